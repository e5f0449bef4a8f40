/**
 * Gather everything `status` reports for a directory: Claude Code's settings, the effective profile and
 * region, the profile's kind, its SSO session, stray variables, the subdirectory case. Reads files only;
 * never loads an AWS SDK client (status must start fast) and never fails on what it finds: problems are
 * part of the report. Fails only on unusable input (no HOME, a cwd that does not exist).
 */
import { promises as fsp } from 'node:fs';
import { loginCacheFile, readLoginToken } from '../aws/login-cache.js';
import { loadAwsProfiles, profileInfo } from '../aws/profiles.js';
import { readSsoToken, ssoCacheId, tokenCacheFile } from '../aws/token-cache.js';
import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import type { Context } from '../context.js';
import {
  CLAUDE_DEFAULT_REGION,
  claudeProcessEnv,
  claudeRegion,
  type EffectiveValue,
  effectiveProfile,
  effectiveVariable,
  profileRegionOf,
  REGION_FROM_AWS_CONFIG_SINCE,
} from '../core/effective-profile.js';
import { isValidProfileName, PROFILE_NAME_RULE } from '../core/profile-name.js';
import { sessionState } from '../core/session-state.js';
import { analyzeStray } from '../core/stray.js';
import type { ProfileInfo, Sourced } from '../core/types.js';
import { daemonStatusJson } from '../daemon/daemon-state.js';
import { BedrockProfileError, describeFsError, FileAccessError } from '../errors.js';
import { resolvePaths } from '../platform/paths.js';
import { gatherIdentities, notSsoSession, sessionJsonOf } from './identities.js';
import { sessionEndJson } from './session-end-json.js';
import type { AuthKind, SessionJson, SourcedJson, SourceJson, StatusReport } from './status-report.js';
import { STATUS_SCHEMA_VERSION } from './status-report.js';

/** Claude Code's reading of a boolean variable: 1, true, yes, on (any case). */
export function isEnvTruthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

/** Role chains longer than this are not followed (a loop in the config must not hang status). */
const MAX_CHAIN = 8;

function sourceJson(v: EffectiveValue): SourceJson {
  const out: SourceJson = { scope: v.source.scope, file: v.source.file ?? null };
  if (v.source.variable) out.variable = v.source.variable;
  return out;
}

function sourcedJson(v: EffectiveValue): SourcedJson {
  return { value: v.value ?? null, source: sourceJson(v) };
}

function settingJson(s: Sourced<string> | undefined): SourcedJson | null {
  return s ? { value: s.value, source: { scope: s.scope, file: s.file ?? null } } : null;
}

async function requireDirectory(dir: string): Promise<void> {
  try {
    const st = await fsp.stat(dir);
    if (!st.isDirectory())
      throw new FileAccessError(dir, 'is not a directory', 'run the command from a directory');
  } catch (err) {
    if (err instanceof FileAccessError) throw err;
    throw new FileAccessError(dir, describeFsError(err), 'run the command from an existing directory');
  }
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** The profile that holds the SSO session: the profile itself, or the SSO source at the end of a role chain. */
function sessionProfile(model: Parameters<typeof profileInfo>[0], start: ProfileInfo): ProfileInfo {
  let p = start;
  for (let i = 0; i < MAX_CHAIN && p.kind === 'role-chain' && p.sourceProfile; i++) {
    p = profileInfo(model, p.sourceProfile);
  }
  return p;
}

/** An `aws login` profile's cached console credentials, as a session (expiry, refreshable). */
async function loginSession(cacheDir: string, p: ProfileInfo, now: number): Promise<SessionJson> {
  const read = await readLoginToken(loginCacheFile(cacheDir, p.loginSession!));
  const left = read.expiresAt === undefined ? undefined : read.expiresAt - now;
  const status: SessionJson['status'] =
    read.status === 'missing'
      ? 'missing'
      : read.status !== 'ok'
        ? 'invalid'
        : left! <= 0
          ? 'expired'
          : left! < EXPIRING_MS
            ? 'expiring'
            : 'valid';
  return {
    status,
    profile: p.name,
    expiresAt: iso(read.expiresAt),
    msLeft: left ?? null,
    refreshable: read.refreshable === true,
    registrationExpiresAt: null,
    cacheFile: read.file,
    reason: read.reason ?? null,
  };
}

/** Same threshold as SSO sessions (src/core/session-state.ts). */
const EXPIRING_MS = 15 * 60_000;

export async function gatherStatus(ctx: Context): Promise<StatusReport> {
  const shellPaths = resolvePaths(ctx.env);
  await requireDirectory(ctx.cwd);
  const settings = await resolveClaudeSettings({ cwd: ctx.cwd, env: ctx.env, paths: shellPaths });
  const notes = [...(settings.notes ?? [])];
  const profile = effectiveProfile(settings.env, ctx.env);
  const bedrock = effectiveVariable('CLAUDE_CODE_USE_BEDROCK', settings.env, ctx.env);
  const mantle = effectiveVariable('CLAUDE_CODE_USE_MANTLE', settings.env, ctx.env);
  const claudeEnv = claudeProcessEnv(settings.env, ctx.env);
  const profileName = profile.value ?? 'default';

  // Claude Code reads the AWS files named in ITS environment (settings may redirect them).
  const claudePaths = resolvePaths(claudeEnv);
  let info: ProfileInfo | undefined;
  let model: Awaited<ReturnType<typeof loadAwsProfiles>> | undefined;
  /** The session's key in the daemon's memory (its sso-session name, or the legacy start URL). */
  let sessionKey: string | undefined;
  let session: SessionJson = notSsoSession();
  try {
    // With Claude's env, the loader also flags what the JS SDK mishandles (e.g. a literal `~` in AWS_CONFIG_FILE).
    model = await loadAwsProfiles(claudePaths, claudeEnv);
    for (const problem of model.problems) notes.push(`AWS config: ${problem}`);
    const found: ProfileInfo = profileInfo(model, profileName);
    info = found;
    // A repo's value that is not a profile name is never echoed (code, a forged line).
    const named = isValidProfileName(profileName)
      ? `profile '${profileName}'`
      : `the AWS_PROFILE in effect (not a profile name: ${PROFILE_NAME_RULE})`;
    for (const problem of found.problems ?? []) notes.push(`${named}: ${problem}`);
    const ssoProfile = sessionProfile(model, found);
    const id = ssoCacheId(ssoProfile);
    sessionKey = id;
    const cacheFile = id === undefined ? undefined : tokenCacheFile(claudePaths.ssoCacheDir, id);
    const read = cacheFile === undefined ? undefined : await readSsoToken(cacheFile);
    const state = sessionState(read, ctx.now());
    session = sessionJsonOf(state, id === undefined ? null : ssoProfile.name, cacheFile);
    if (id !== undefined && cacheFile && (ssoProfile.kind === 'sso' || ssoProfile.kind === 'legacy-sso'))
      session.end = await sessionEndJson({
        paths: shellPaths,
        key: id,
        kind: ssoProfile.kind,
        file: cacheFile,
        now: ctx.now(),
      });
    if (found.kind === 'login' && found.loginSession)
      session = await loginSession(claudePaths.awsLoginCacheDir, found, ctx.now());
    if (found.kind === 'missing') {
      notes.push(
        `${named} is not defined in ${claudePaths.awsConfigFile} or ${claudePaths.awsCredentialsFile}`,
      );
    }
  } catch (err) {
    if (!(err instanceof BedrockProfileError)) throw err;
    notes.push(`AWS config: ${err.message}`);
  }

  let authKind: AuthKind = 'profile';
  // Checked against the binary (test/conformance): with it, no credentials are read and nothing is signed.
  if (isEnvTruthy(claudeEnv.CLAUDE_CODE_SKIP_BEDROCK_AUTH)) authKind = 'unsigned';
  else if (claudeEnv.AWS_BEARER_TOKEN_BEDROCK) authKind = 'bearer-token';
  else if (!claudeEnv.AWS_PROFILE && claudeEnv.AWS_ACCESS_KEY_ID && claudeEnv.AWS_SECRET_ACCESS_KEY)
    authKind = 'env-keys';

  // The region Claude Code signs for: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1.
  const region = claudeRegion(settings.env, ctx.env, profileRegionOf(info));
  if (region.source.scope === 'aws-config') {
    notes.push(
      `the region comes from profile '${profileName}' in the AWS config; Claude Code before ${REGION_FROM_AWS_CONFIG_SINCE} ignores it and signs for ${CLAUDE_DEFAULT_REGION}`,
    );
  } else if (region.source.scope === 'claude-default') {
    notes.push(
      `no region is set (AWS_REGION, AWS_DEFAULT_REGION or the profile's region): Claude Code uses ${CLAUDE_DEFAULT_REGION}`,
    );
  }

  const subdirEnv = settings.subdirEnv ?? settings.env;
  const subProfile = effectiveProfile(subdirEnv, ctx.env);
  const subInfo = model ? profileInfo(model, subProfile.value ?? 'default') : undefined;
  const strayInput: Parameters<typeof analyzeStray>[0] = { settings, shellEnv: ctx.env };
  if (info) strayInput.profile = info;
  const stray = analyzeStray(strayInput);

  const identities = await gatherIdentities({
    settings,
    model,
    agentProfile: profileName,
    ssoCacheDir: claudePaths.ssoCacheDir,
    paths: shellPaths,
    now: ctx.now(),
  });
  // What the daemon knows and the files do not: AWS refused to refresh this very token.
  const daemon = await daemonStatusJson(shellPaths);
  const refusal = daemon.refused.find((d) => d.session === sessionKey && d.expiresAt === session.expiresAt);
  if (refusal)
    session = { ...session, refreshable: false, refused: { reason: refusal.reason, at: refusal.at } };
  return {
    schema: STATUS_SCHEMA_VERSION,
    cwd: settings.cwd,
    gitRoot: settings.gitRoot ?? null,
    bedrock: {
      enabled: isEnvTruthy(bedrock.value),
      value: bedrock.value ?? null,
      source: sourceJson(bedrock),
      mantle: { value: mantle.value ?? null, source: sourceJson(mantle) },
    },
    profile: {
      name: profileName,
      source: sourceJson(profile),
      kind: info?.kind ?? null,
      definedIn: info?.definedIn ?? [],
    },
    region: sourcedJson(region),
    model: settingJson(settings.model),
    auth: {
      kind: authKind,
      awsAuthRefresh: settingJson(settings.awsAuthRefresh),
      awsCredentialExport: settingJson(settings.awsCredentialExport),
    },
    session,
    stray: stray.map((f) => ({
      name: f.name,
      consumers: f.consumers,
      explanation: f.explanation,
      fix: f.fix,
      severity: f.severity,
    })),
    subdirectory: {
      profile: { name: subProfile.value ?? 'default', source: sourceJson(subProfile) },
      region: sourcedJson(claudeRegion(subdirEnv, ctx.env, profileRegionOf(subInfo))),
    },
    ignoredAncestorSettings: settings.ignoredAncestorSettings,
    settingsFiles: settings.files.map((f) => ({
      scope: f.scope,
      file: f.file,
      status: f.status,
      error: f.error ?? null,
    })),
    notes,
    daemon,
    ...(identities ? { identities } : {}),
  };
}
