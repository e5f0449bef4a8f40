/**
 * Claude Code settings: the files parse and hold the types Claude Code needs; Bedrock is switched on;
 * the region Claude Code will sign for; awsAuthRefresh is there, fits the profile and is not
 * misplaced; /login is not what signs you in; no ancestor settings file is silently ignored.
 */
import { effectiveVariable, REGION_FROM_AWS_CONFIG_SINCE, versionBefore } from '../core/effective-profile.js';
import { isValidRegion } from '../core/model-id.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';
import { fromWhere, isEnvTruthy, profileArg, shown, tilde } from './describe.js';
import type { DoctorFacts } from './facts.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP_LEVEL_STRINGS = ['awsAuthRefresh', 'awsCredentialExport', 'model', 'apiKeyHelper'];

/** The problems Claude Code would trip on in one parsed settings file. */
export function settingsTypeProblems(data: unknown): string[] {
  if (!isObject(data)) return ['the top level is not a JSON object'];
  const out: string[] = [];
  const env = data.env;
  if (env !== undefined && !isObject(env)) out.push('"env" is not an object');
  if (isObject(env)) {
    for (const [k, v] of Object.entries(env)) {
      if (typeof v !== 'string')
        out.push(`env.${shown(k)} is ${v === null ? 'null' : typeof v}, not a string (write it in quotes)`);
    }
    // Claude Code reads 1/true/yes/on (any case) as on; checkUseBedrock warns about the undocumented
    // spellings. Anything else is off, which checkUseBedrock reports.
  }
  for (const key of TOP_LEVEL_STRINGS) {
    if (data[key] !== undefined && typeof data[key] !== 'string') out.push(`${key} is not a string`);
  }
  return out;
}

export function checkSettingsFiles(f: DoctorFacts): CheckResult {
  const id = 'settings-files';
  const title = 'settings files valid';
  const home = f.shellEnv.HOME;
  const invalid = f.files.filter((x) => x.status === 'invalid');
  if (invalid.length > 0) {
    const first = invalid[0]!;
    return fail(
      id,
      title,
      invalid.map((x) => shown(x.error ?? `${x.file}: invalid`)).join('; '),
      `fix the JSON at the position shown in ${tilde(first.file, home)}${invalid.length > 1 ? ' (and the others)' : ''}; Claude Code ignores a file it cannot parse`,
    );
  }
  const problems: string[] = [];
  let firstFile: string | undefined;
  for (const file of f.files) {
    if (file.status !== 'ok') continue;
    for (const p of settingsTypeProblems(file.data)) {
      problems.push(`${tilde(file.file, home)}: ${p}`);
      firstFile ??= file.file;
    }
  }
  if (problems.length > 0) {
    return fail(
      id,
      title,
      problems.join('; '),
      `edit ${tilde(firstFile!, home)}: env values must be strings, e.g. "CLAUDE_CODE_USE_BEDROCK": "1"`,
    );
  }
  const read = f.files.filter((x) => x.status === 'ok').length;
  return pass(id, title, `${read} of ${f.files.length} files present, all valid`);
}

function initFix(f: DoctorFacts): string {
  // The profile's own region needs no --region (init leaves it to the profile).
  if (f.profileInfo?.region && isValidRegion(f.profileInfo.region)) return 'bedrock-profile init';
  const region = f.region.value && isValidRegion(f.region.value) ? f.region.value : 'us-east-1';
  return `bedrock-profile init --region ${region}`;
}

export function checkUseBedrock(f: DoctorFacts): CheckResult {
  const id = 'use-bedrock';
  const title = 'CLAUDE_CODE_USE_BEDROCK';
  const v = effectiveVariable('CLAUDE_CODE_USE_BEDROCK', f.settings.env, f.shellEnv);
  const mantle = usesMantle(f);
  if (mantle) {
    return pass(
      id,
      title,
      `not set, but CLAUDE_CODE_USE_MANTLE ${fromWhere(mantle, f)}: Claude Code uses Bedrock's Messages API (bedrock-mantle)`,
    );
  }
  if (v.value === '1') {
    if (v.source.scope === 'shell') {
      return warn(
        id,
        title,
        '"1" from this shell only: Claude Code started elsewhere (an IDE, another terminal) uses the Anthropic API',
        initFix(f),
      );
    }
    return pass(id, title, `"1" ${fromWhere(v, f)}`);
  }
  if (isEnvTruthy(v.value)) {
    return warn(
      id,
      title,
      `${JSON.stringify(shown(v.value!))} ${fromWhere(v, f)}: Claude Code accepts it, but the documented value is "1"`,
      initFix(f),
    );
  }
  const what =
    v.value === undefined ? 'is not set' : `is ${JSON.stringify(shown(v.value))} ${fromWhere(v, f)}`;
  return fail(
    id,
    title,
    `${what}: Claude Code talks to the Anthropic API (and /login) instead of Bedrock`,
    `${initFix(f)}   (sets "env": {"CLAUDE_CODE_USE_BEDROCK": "1"} in ${tilde(f.claudeUserSettings, f.shellEnv.HOME)})`,
  );
}

/** A Claude Code before 2.1.172 with a profile whose region it skips. */
function legacyIgnoresProfile(f: DoctorFacts): boolean {
  const v = f.claude.version;
  return v !== undefined && versionBefore(v, REGION_FROM_AWS_CONFIG_SINCE) && Boolean(f.profileInfo?.region);
}

export function checkRegion(f: DoctorFacts): CheckResult {
  const id = 'region';
  const title = 'region';
  const r = f.region;
  const version = f.claude.version;
  if (!r.value) return fail(id, title, 'no region', initFix(f));
  if (!isValidRegion(r.value)) {
    return fail(
      id,
      title,
      `${JSON.stringify(shown(r.value))} ${fromWhere(r, f)} is not an AWS region`,
      initFix(f),
    );
  }
  const variable = r.source.variable ?? 'AWS_REGION';
  switch (r.source.scope) {
    case 'shell':
      return warn(
        id,
        title,
        `${r.value} from ${variable} in this shell only: Claude Code started elsewhere (an IDE, another terminal) uses another region`,
        `bedrock-profile init --region ${r.value}`,
      );
    case 'aws-config':
      return pass(
        id,
        title,
        `${r.value} from profile ${shown(f.profile.value)}'s region${r.source.file ? ` in ${tilde(r.source.file, f.shellEnv.HOME)}` : ''} (no AWS_REGION or AWS_DEFAULT_REGION; Claude Code reads it since ${REGION_FROM_AWS_CONFIG_SINCE})`,
      );
    case 'claude-default':
      if (legacyIgnoresProfile(f)) {
        return warn(
          id,
          title,
          `${r.value}: Claude Code ${shown(version ?? '?')} (before ${REGION_FROM_AWS_CONFIG_SINCE}) does not read profile ${shown(f.profile.value)}'s region ${shown(f.profileInfo?.region ?? '')}, so it uses its default`,
          `bedrock-profile init --region ${f.profileInfo?.region ?? r.value}   (or update Claude Code: \`claude update\`)`,
        );
      }
      return warn(
        id,
        title,
        `${r.value}: no AWS_REGION, AWS_DEFAULT_REGION or profile region is set, so Claude Code uses its default`,
        `bedrock-profile init --region <region>   (or set \`region\` in the profile)`,
      );
    default:
      return pass(
        id,
        title,
        `${r.value} ${fromWhere(r, f)}${r.source.variable ? ` (${r.source.variable})` : ''}`,
      );
  }
}

const SSO_KINDS = new Set(['sso', 'legacy-sso']);

/**
 * An awsAuthRefresh / awsCredentialExport command line is never printed: it can hold a token or a
 * password. Only the forms we know are named (with a profile that is a valid name), anything else by
 * its program alone.
 */
export function commandShown(cmd: string): string {
  const known = /^(aws\s+sso\s+login|bedrock-profile\s+login)\b/.exec(cmd);
  const profile = /--profile[= ]+(\S+)/.exec(cmd)?.[1]?.replace(/^["']|["']$/g, '');
  if (known) {
    const p = profile ? ` --profile ${profileArg(profile)}` : '';
    const rest = cmd
      .slice(known[0].length)
      .replace(/--profile[= ]+\S+/, '')
      .trim();
    return `${known[1]!.replace(/\s+/g, ' ')}${p}${rest ? ' (and more arguments, not shown)' : ''}`;
  }
  const program = cmd.split(/\s+/)[0]?.split('/').pop() ?? '';
  return /^[A-Za-z0-9_.+-]{1,64}$/.test(program)
    ? `a command run with ${program} (its arguments are not shown: they can hold secrets)`
    : 'a command (not shown: it can hold secrets)';
}

/** CLAUDE_CODE_USE_MANTLE when it selects Mantle: on, and CLAUDE_CODE_USE_BEDROCK off (with both on,
 * Claude Code 2.1.335 uses bedrock-runtime: test/conformance). */
export function usesMantle(f: Pick<DoctorFacts, 'settings' | 'shellEnv'>) {
  const m = effectiveVariable('CLAUDE_CODE_USE_MANTLE', f.settings.env, f.shellEnv);
  const b = effectiveVariable('CLAUDE_CODE_USE_BEDROCK', f.settings.env, f.shellEnv);
  return isEnvTruthy(m.value) && !isEnvTruthy(b.value) ? m : undefined;
}

/** awsAuthRefresh is set where Claude Code reads it and does not sign in to another profile. */
export function authRefreshFits(f: DoctorFacts): boolean {
  const setting = f.settings.awsAuthRefresh;
  if (!setting || f.claudeState.misplacedKeys.includes('awsAuthRefresh')) return false;
  const m = /--profile[= ]+(\S+)/.exec(setting.value.trim());
  if (!m) return true;
  const named = m[1]!.replace(/^["']|["']$/g, '');
  return /^\$\{?AWS_PROFILE\}?$/.test(named) || named === f.profile.value;
}

export function checkAuthRefresh(f: DoctorFacts): CheckResult {
  const id = 'auth-refresh';
  const title = 'awsAuthRefresh';
  const home = f.shellEnv.HOME;
  const fixInit = 'bedrock-profile init --auth-refresh';
  if (f.claudeState.misplacedKeys.includes('awsAuthRefresh')) {
    return fail(
      id,
      title,
      `awsAuthRefresh is in ${tilde(f.claudeState.file, home)}, which Claude Code does not read settings from`,
      `${fixInit}   (writes it to ${tilde(f.claudeUserSettings, home)}; then delete it from ${tilde(f.claudeState.file, home)})`,
    );
  }
  const usesSso = f.session !== undefined || SSO_KINDS.has(f.profileInfo?.kind ?? '');
  const setting = f.settings.awsAuthRefresh;
  if (!setting && f.session?.login) {
    return skip(
      id,
      title,
      'not set; the profile in effect signs in with `aws login`, which bedrock-profile login does not run',
    );
  }
  if (!setting) {
    if (!usesSso) return skip(id, title, 'not set; not needed: the profile in effect is not SSO');
    return warn(
      id,
      title,
      'not set: when the SSO session ends Claude Code fails instead of signing you in again',
      fixInit,
    );
  }
  const cmd = setting.value.trim();
  const where = setting.file ? ` (${tilde(setting.file, home)})` : '';
  const m = /--profile[= ]+(\S+)/.exec(cmd);
  if (m) {
    const named = m[1]!.replace(/^["']|["']$/g, '');
    const dynamic = /^\$\{?AWS_PROFILE\}?$/.test(named);
    if (!dynamic && named !== f.profile.value) {
      return fail(
        id,
        title,
        `signs in to profile ${profileArg(named)} but Claude Code here uses ${shown(f.profile.value)}${where}`,
        `${fixInit}   (sets "awsAuthRefresh": "bedrock-profile login", which signs in to the profile in effect)`,
      );
    }
  }
  if (/^aws\s+sso\s+login\b/.test(cmd)) {
    return pass(
      id,
      title,
      `${commandShown(cmd)}${where}; hint: \`${fixInit}\` uses bedrock-profile login, which refreshes silently before opening a browser`,
    );
  }
  return pass(id, title, `${commandShown(cmd)}${where}`);
}

/** The guide's "/login does not behave" row: Bedrock signs in through AWS, never through /login. */
export function checkClaudeLogin(f: DoctorFacts): CheckResult {
  const id = 'claude-login';
  const title = 'sign-in method';
  const bedrock =
    isEnvTruthy(effectiveVariable('CLAUDE_CODE_USE_BEDROCK', f.settings.env, f.shellEnv).value) ||
    usesMantle(f) !== undefined;
  const signIn = SSO_KINDS.has(f.profileInfo?.kind ?? '')
    ? `aws sso login --profile ${profileArg(f.session?.profile ?? f.profile.value)}`
    : 'your AWS credentials';
  if (!bedrock) {
    return fail(
      id,
      title,
      'without CLAUDE_CODE_USE_BEDROCK=1, /login signs in to an Anthropic account, not to AWS',
      initFix(f),
    );
  }
  const apiKey = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'].filter((n) => f.claudeEnv[n]);
  if (apiKey.length > 0) {
    return warn(
      id,
      title,
      `${apiKey.join(' and ')} set: Bedrock ignores Anthropic credentials; it signs in through AWS (${signIn})`,
      `unset ${apiKey.join(' ')}   (and remove them from the settings "env")`,
    );
  }
  if (f.claudeState.oauthAccount) {
    return warn(
      id,
      title,
      `an Anthropic account is signed in with /login; on Bedrock /login is not used: sign in with ${signIn}`,
      'in claude, run /logout once with CLAUDE_CODE_USE_BEDROCK unset, or ignore this',
    );
  }
  return pass(id, title, `AWS auth (Bedrock does not use /login): sign in with ${signIn}`);
}

/** The subdirectory case: a `.claude/settings.json` above the start directory is not read. */
export function checkIgnoredSettings(f: DoctorFacts): CheckResult {
  const id = 'ignored-settings';
  const title = 'ignored ancestor settings';
  const ignored = f.settings.ignoredAncestorSettings;
  if (ignored.length === 0) return pass(id, title, 'none');
  const home = f.shellEnv.HOME;
  const first = ignored[0]!;
  const dir = first.replace(/\/\.claude\/settings\.json$/, '');
  return warn(
    id,
    title,
    `Claude Code started here ignores ${ignored.map((x) => tilde(x, home)).join(', ')} (it reads .claude/settings.json only from its start directory)`,
    `start claude in ${tilde(dir, home)}, or run \`bedrock-profile use ${f.ignoredProfile ? profileArg(f.ignoredProfile) : '<profile>'} --local\` for the whole repo`,
  );
}
