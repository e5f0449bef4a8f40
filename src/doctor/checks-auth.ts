/**
 * AWS identity: the profile in effect exists; which of the guide's auth methods is in use and what can be
 * known about its expiry; the SSO session's time left; the last sign-in went to the profile in effect
 * (the guide's "SSO login works but Claude fails" row); stray variables.
 */

import { timeLeftWords } from '../core/duration-words.js';
import { isValidProfileName, PROFILE_NAME_RULE } from '../core/profile-name.js';
import { shellFix, userShell } from '../core/shell-syntax.js';
import { analyzeStray, combinedFix } from '../core/stray.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';
import { sessionEndCheck } from './checks-session-end.js';
import { authRefreshFits } from './checks-settings.js';
import { fromWhere, isEnvTruthy, profileArg, shown, tilde } from './describe.js';
import type { DoctorFacts } from './facts.js';

export type AuthMethod =
  | 'skip-auth'
  | 'bedrock-api-key'
  | 'pasted-temporary-keys'
  | 'env-static-keys'
  | 'credential-export'
  | 'profile';

/** Which credentials Claude Code uses, by the JS SDK's rules (DESIGN.md facts). */
export function authMethod(f: Pick<DoctorFacts, 'claudeEnv' | 'settings'>): AuthMethod {
  const e = f.claudeEnv;
  if (isEnvTruthy(e.CLAUDE_CODE_SKIP_BEDROCK_AUTH)) return 'skip-auth';
  if (e.AWS_BEARER_TOKEN_BEDROCK) return 'bedrock-api-key';
  if (f.settings.awsCredentialExport) return 'credential-export';
  if (!e.AWS_PROFILE && e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY) {
    return e.AWS_SESSION_TOKEN ? 'pasted-temporary-keys' : 'env-static-keys';
  }
  return 'profile';
}

/**
 * Claude Code runs awsAuthRefresh at start when the credentials fail. It signs in only if it can: ours
 * (`bedrock-profile login`) and `aws sso login` need the AWS CLI v2 (v1 has no `sso login`).
 */
function authRefreshSignsIn(f: DoctorFacts): boolean {
  if (!authRefreshFits(f)) return false;
  const cmd = f.settings.awsAuthRefresh?.value.trim() ?? '';
  if (!/^(aws\s+(sso\s+)?login|bedrock-profile\s+login)\b/.test(cmd)) return true;
  return f.awsCli.found && Number(f.awsCli.version?.split('.')[0]) >= 2;
}

/** `aws sso login` needs AWS CLI v2: with v1 or none, the fix says to install it first (the aws-cli check). */
const SIGN_IN = (f: DoctorFacts) => {
  const cmd = `aws ${f.session?.login ? 'login' : 'sso login'} --profile ${profileArg(f.session?.profile ?? f.profile.value)}`;
  const v2 = f.awsCli.found && Number(f.awsCli.version?.split('.')[0]) >= 2;
  return v2 ? cmd : `install AWS CLI v2 (see aws-cli above), then: ${cmd}`;
};

export function checkProfile(f: DoctorFacts): CheckResult {
  const id = 'profile';
  const title = 'AWS profile';
  const method = authMethod(f);
  // Two identities: the profile in effect is what the agent's commands use, so it is still judged.
  if (method !== 'profile' && !f.bedrockExport)
    return skip(id, title, `not used: Claude Code authenticates with ${method.replace(/-/g, ' ')}`);
  // A name from a repo that is not a profile name is not echoed (it can be code or a forged line).
  if (!isValidProfileName(f.profile.value)) {
    return fail(
      id,
      title,
      `the AWS_PROFILE ${fromWhere(f.profile, f)} is not a profile name (${PROFILE_NAME_RULE})`,
      'bedrock-profile use <profile>   (or fix the value in that file)',
    );
  }
  const name = shown(f.profile.value);
  if (f.awsConfigError) {
    return fail(
      id,
      title,
      `${name}: the AWS config cannot be read: ${shown(f.awsConfigError)}`,
      `fix ${tilde(f.awsConfigFile, f.shellEnv.HOME)}`,
    );
  }
  const info = f.profileInfo;
  if (!info || info.kind === 'missing') {
    const others = f.profiles.map((p) => p.name).filter((n) => n !== f.profile.value);
    const hint = others.length ? `; defined: ${others.slice(0, 6).map(shown).join(', ')}` : '';
    const fix =
      f.profile.source.scope === 'default'
        ? `bedrock-profile use <profile>   (or \`aws configure sso --profile default\`)`
        : `aws configure sso --profile ${profileArg(f.profile.value)}   (or point the setting at an existing profile: bedrock-profile use <profile>)`;
    return fail(
      id,
      title,
      `${name} ${fromWhere(f.profile, f)} is not in ${tilde(f.awsConfigFile, f.shellEnv.HOME)} or ${tilde(f.awsCredentialsFile, f.shellEnv.HOME)}${hint}`,
      fix,
    );
  }
  if (info.problems?.length) {
    return warn(
      id,
      title,
      `${name} ${fromWhere(f.profile, f)} (${info.kind}): ${info.problems.map(shown).join('; ')}`,
      `fix the [profile ${profileArg(f.profile.value)}] section of ${tilde(info.definedIn[0] ?? f.awsConfigFile, f.shellEnv.HOME)}`,
    );
  }
  const extra =
    info.kind === 'sso'
      ? `, sso-session ${shown(info.ssoSession ?? '?')}`
      : info.kind === 'role-chain'
        ? `, role via ${shown(info.sourceProfile ?? '?')}`
        : '';
  return pass(id, title, `${name} ${fromWhere(f.profile, f)} (${info.kind}${extra})`);
}

const EXPIRY: Record<string, string> = {
  sso: 'SSO (sso-session): the access token is refreshed silently until the session ends (time left: see sso-session)',
  'legacy-sso':
    'legacy SSO (sso_start_url in the profile): no refresh token; sign in again when the token ends',
  'static-keys': 'static IAM keys in the AWS files: they do not expire (rotate them)',
  'credential-process': 'credential_process: its program decides the expiry; not knowable offline',
  'role-chain': 'role chain: temporary role credentials renewed from the source profile',
  'web-identity': 'web identity: renewed from the token file',
  login:
    '`aws login` console credentials (login_session): cached for up to 12 h, refreshed by the SDK until the session ends',
  unknown: 'a profile doctor does not recognise: expiry unknown',
};

export function checkAuthMethod(f: DoctorFacts): CheckResult {
  const id = 'auth-method';
  const title = 'auth method';
  switch (authMethod(f)) {
    case 'skip-auth':
      // Verified with the real binary: every Bedrock call goes out unsigned.
      if (f.claudeEnv.ANTHROPIC_BEDROCK_BASE_URL) {
        return pass(
          id,
          title,
          'CLAUDE_CODE_SKIP_BEDROCK_AUTH: Claude Code signs nothing; the gateway at ANTHROPIC_BEDROCK_BASE_URL must authenticate',
        );
      }
      return fail(
        id,
        title,
        'CLAUDE_CODE_SKIP_BEDROCK_AUTH without ANTHROPIC_BEDROCK_BASE_URL: Claude Code sends unsigned calls to Bedrock itself, which rejects every one',
        'unset CLAUDE_CODE_SKIP_BEDROCK_AUTH   (and remove it from the settings "env"; it is for a gateway that signs)',
      );
    case 'bedrock-api-key':
      return pass(
        id,
        title,
        'Bedrock API key (AWS_BEARER_TOKEN_BEDROCK): its expiry is not stored locally (short-term keys last at most 12 h); `doctor --live --invoke` tests it',
      );
    case 'credential-export':
      if (f.bedrockExport)
        return pass(
          id,
          title,
          `awsCredentialExport: bedrock-profile export prints profile ${shown(f.bedrockExport.profile)}'s credentials for Bedrock; Claude Code caches them until they expire`,
        );
      return pass(
        id,
        title,
        'awsCredentialExport: Claude Code runs it for credentials; their expiry is whatever it returns',
      );
    case 'pasted-temporary-keys':
      return warn(
        id,
        title,
        'pasted temporary keys (AWS_ACCESS_KEY_ID + AWS_SESSION_TOKEN): nothing records when they expire (1 to 12 h after issue); then every message fails with ExpiredTokenException',
        'prefer an SSO profile: `bedrock-profile use <profile>`; `bedrock-profile doctor --live` tells whether the keys still work',
      );
    case 'env-static-keys':
      return pass(id, title, 'static IAM keys in the environment: they do not expire (rotate them)');
    case 'profile': {
      const kind = f.profileInfo?.kind;
      if (!kind || kind === 'missing')
        return skip(id, title, 'the profile in effect is not defined (see profile)');
      return pass(id, title, EXPIRY[kind] ?? kind);
    }
  }
}

/** Treat a token as ending soon below this (botocore refreshes within 15 min; we warn earlier). */
const SOON_MS = 15 * 60_000;

export function checkSsoSession(f: DoctorFacts): CheckResult {
  const id = 'sso-session';
  const title = 'SSO session';
  const s = f.session;
  if (authMethod(f) !== 'profile' && !f.bedrockExport)
    return skip(id, title, 'not used by the auth method in effect');
  if (!s) return skip(id, title, 'the profile in effect is not an SSO profile');
  const login = SIGN_IN(f);
  if (s.status !== 'ok') {
    const why = s.status === 'missing' ? 'not signed in: no cached token' : shown(s.reason ?? s.status);
    const detail = `${shown(s.id)}: ${why} (${tilde(s.cacheFile, f.shellEnv.HOME)})`;
    if (authRefreshSignsIn(f))
      return warn(id, title, `${detail}; Claude Code runs awsAuthRefresh at start to sign in`, login);
    return fail(id, title, detail, login);
  }
  const left = (s.expiresAt ?? 0) - f.now;
  const refreshable =
    s.refreshable === true && (s.registrationExpiresAt === undefined || s.registrationExpiresAt > f.now);
  const how = refreshable ? 'refreshable' : 'not refreshable';
  if (left <= 0) {
    if (refreshable) {
      return warn(
        id,
        title,
        `${shown(s.id)}: access token ${timeLeftWords(left)}, ${how}: the next AWS call refreshes it unless the session itself ended`,
        `bedrock-profile refresh --profile ${profileArg(s.profile)}`,
      );
    }
    // Claude Code checks the credentials at start and runs awsAuthRefresh when they fail.
    if (authRefreshSignsIn(f)) {
      return warn(
        id,
        title,
        `${shown(s.id)}: ${timeLeftWords(left)}, not refreshable; Claude Code runs awsAuthRefresh at start to sign in again`,
        login,
      );
    }
    return fail(id, title, `${shown(s.id)}: ${timeLeftWords(left)}, not refreshable`, login);
  }
  if (!refreshable && left < SOON_MS) {
    return warn(
      id,
      title,
      `${shown(s.id)}: ${timeLeftWords(left)} left, not refreshable: sign in again soon`,
      login,
    );
  }
  // The session's end, not the access token's minutes (renewed every hour while refreshable).
  if (s.end) return sessionEndCheck(id, title, s, s.end, how, f.now);
  return pass(id, title, `${shown(s.id)}: ${timeLeftWords(left)} left, ${how}`);
}

/** The guide's first troubleshooting row: you signed in, but to another session than Claude's profile. */
export function checkLastSignIn(f: DoctorFacts): CheckResult {
  const id = 'last-sign-in';
  const title = 'last sign-in';
  const last = f.lastSignIn;
  const s = f.session;
  if (!last) return skip(id, title, 'no cached SSO sign-in for any profile in the AWS config');
  const who = `${shown(last.id)} (profile ${last.profiles.map(shown).join(', ')})`;
  if (s && last.id === s.id) return pass(id, title, `${who}: the session Claude Code uses here`);
  const claudeSide = s
    ? `Claude Code here uses profile ${shown(f.profile.value)}, session ${shown(s.id)}`
    : `Claude Code here uses profile ${shown(f.profile.value)}, which is not SSO`;
  const ok = s && s.status === 'ok' && (s.expiresAt ?? 0) > f.now;
  if (ok || authMethod(f) !== 'profile') return pass(id, title, `${who}; ${claudeSide}, also signed in`);
  if (!s) {
    // A static-keys or role profile here: a sign-in elsewhere is not its problem. A missing one may be.
    if (f.profileInfo && f.profileInfo.kind !== 'missing') return pass(id, title, `${who}; ${claudeSide}`);
    return warn(
      id,
      title,
      `you last signed in to ${who}, but ${claudeSide}`,
      `bedrock-profile use ${profileArg(last.profiles[0] ?? '<profile>')}   (if that is the account you meant)`,
    );
  }
  return fail(
    id,
    title,
    `you last signed in to ${who}, but ${claudeSide}, whose token is ${s.status === 'ok' ? 'expired' : s.status}: profile mismatch`,
    `${SIGN_IN(f)}   (or make the repo use the other profile: bedrock-profile use ${profileArg(last.profiles[0] ?? '<profile>')})`,
  );
}

export function checkStray(f: DoctorFacts): CheckResult {
  const id = 'stray-variables';
  const title = 'stray AWS variables';
  const input: Parameters<typeof analyzeStray>[0] = { settings: f.settings, shellEnv: f.shellEnv };
  if (f.profileInfo) input.profile = f.profileInfo;
  const major = Number(f.awsCli.version?.split('.')[0]);
  if (major === 1 || major === 2) input.awsCliVersion = major;
  const findings = analyzeStray(input);
  if (findings.length === 0) return pass(id, title, 'none');
  const detail = findings.map((x) => x.explanation).join('; ');
  // In the syntax of the shell doctor runs from (fish: `set -e` / `set -gx`).
  const fix = shellFix(combinedFix(findings).join('; '), userShell(f.shellEnv));
  // A stray variable changes which identity, region or files a consumer uses; Claude Code still answers
  // (checked against the real binary: test/conformance), so it is a warning, never a failure.
  return warn(id, title, detail, fix);
}
