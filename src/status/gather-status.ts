/**
 * Gather everything `status` reports for a directory: Claude Code's settings, the effective profile and
 * region, the profile's kind, its SSO session, stray variables, the subdirectory case. Reads files only;
 * never loads an AWS SDK client (status must start fast) and never fails on what it finds: problems are
 * part of the report. Fails only on unusable input (no HOME, a cwd that does not exist).
 */
import { promises as fsp } from 'node:fs';
import { loadAwsProfiles, profileInfo } from '../aws/profiles.js';
import { readSsoToken, ssoCacheId, tokenCacheFile } from '../aws/token-cache.js';
import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import type { Context } from '../context.js';
import {
  claudeProcessEnv,
  type EffectiveValue,
  effectiveProfile,
  effectiveRegion,
  effectiveVariable,
} from '../core/effective-profile.js';
import { sessionState } from '../core/session-state.js';
import { analyzeStray } from '../core/stray.js';
import type { ProfileInfo, Sourced } from '../core/types.js';
import { daemonStatusJson } from '../daemon/daemon-state.js';
import { BedrockProfileError, describeFsError, FileAccessError } from '../errors.js';
import { resolvePaths } from '../platform/paths.js';
import type { AuthKind, SessionJson, SourcedJson, SourceJson, StatusReport } from './status-report.js';
import { STATUS_SCHEMA_VERSION } from './status-report.js';

/** Claude Code's reading of a boolean variable: 1, true, yes, on (any case). */
export function isEnvTruthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

/** Role chains longer than this are not followed (a loop in the config must not hang status). */
const MAX_CHAIN = 8;

function sourceJson(v: EffectiveValue): SourceJson {
  return { scope: v.source.scope, file: v.source.file ?? null };
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

export async function gatherStatus(ctx: Context): Promise<StatusReport> {
  const shellPaths = resolvePaths(ctx.env);
  await requireDirectory(ctx.cwd);
  const settings = await resolveClaudeSettings({ cwd: ctx.cwd, env: ctx.env, paths: shellPaths });
  const notes = [...(settings.notes ?? [])];
  const profile = effectiveProfile(settings.env, ctx.env);
  const region = effectiveRegion(settings.env, ctx.env);
  const bedrock = effectiveVariable('CLAUDE_CODE_USE_BEDROCK', settings.env, ctx.env);
  const claudeEnv = claudeProcessEnv(settings.env, ctx.env);
  const profileName = profile.value ?? 'default';

  // Claude Code reads the AWS files named in ITS environment (settings may redirect them).
  const claudePaths = resolvePaths(claudeEnv);
  let info: ProfileInfo | undefined;
  /** The session's key in the daemon's memory (its sso-session name, or the legacy start URL). */
  let sessionKey: string | undefined;
  let session: SessionJson = {
    status: 'not-sso',
    profile: null,
    expiresAt: null,
    msLeft: null,
    refreshable: false,
    registrationExpiresAt: null,
    cacheFile: null,
    reason: null,
  };
  try {
    // With Claude's env, the loader also flags what the JS SDK mishandles (e.g. a literal `~` in AWS_CONFIG_FILE).
    const model = await loadAwsProfiles(claudePaths, claudeEnv);
    for (const problem of model.problems) notes.push(`AWS config: ${problem}`);
    const found: ProfileInfo = profileInfo(model, profileName);
    info = found;
    for (const problem of found.problems ?? []) notes.push(`profile '${profileName}': ${problem}`);
    const ssoProfile = sessionProfile(model, found);
    const id = ssoCacheId(ssoProfile);
    sessionKey = id;
    const cacheFile = id === undefined ? undefined : tokenCacheFile(claudePaths.ssoCacheDir, id);
    const read = cacheFile === undefined ? undefined : await readSsoToken(cacheFile);
    const state = sessionState(read, ctx.now());
    session = {
      status: state.status,
      profile: id === undefined ? null : ssoProfile.name,
      expiresAt: iso(state.expiresAt),
      msLeft: state.msLeft ?? null,
      refreshable: state.refreshable,
      registrationExpiresAt: iso(state.registrationExpiresAt),
      cacheFile: cacheFile ?? null,
      reason: state.reason ?? null,
    };
    if (found.kind === 'missing') {
      notes.push(
        `profile '${profileName}' is not defined in ${claudePaths.awsConfigFile} or ${claudePaths.awsCredentialsFile}`,
      );
    }
  } catch (err) {
    if (!(err instanceof BedrockProfileError)) throw err;
    notes.push(`AWS config: ${err.message}`);
  }

  let authKind: AuthKind = 'profile';
  if (claudeEnv.AWS_BEARER_TOKEN_BEDROCK) authKind = 'bearer-token';
  else if (!claudeEnv.AWS_PROFILE && claudeEnv.AWS_ACCESS_KEY_ID && claudeEnv.AWS_SECRET_ACCESS_KEY)
    authKind = 'env-keys';

  if (!region.value) {
    notes.push(
      'AWS_REGION is not set for Claude Code; it requires it (it does not read the region from ~/.aws/config)',
    );
  }

  const subdirEnv = settings.subdirEnv ?? settings.env;
  const subProfile = effectiveProfile(subdirEnv, ctx.env);
  const strayInput: Parameters<typeof analyzeStray>[0] = { settings, shellEnv: ctx.env };
  if (info) strayInput.profile = info;
  const stray = analyzeStray(strayInput);

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
      region: sourcedJson(effectiveRegion(subdirEnv, ctx.env)),
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
  };
}
