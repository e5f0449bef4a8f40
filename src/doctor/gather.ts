/**
 * Gather the facts the offline checks judge: settings files (parsed), the effective profile and region,
 * the AWS profiles and the SSO token caches, `~/.claude.json`, the tools on PATH, the daemon and the hook.
 * All I/O of doctor's offline part lives here; it runs the independent reads in parallel and never
 * loads an AWS SDK client.
 */

import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { loginCacheFile, readLoginToken } from '../aws/login-cache.js';
import { type AwsProfiles, allProfiles, loadAwsProfiles, profileInfo } from '../aws/profiles.js';
import { readSsoToken, ssoCacheId, tokenCacheFile } from '../aws/token-cache.js';
import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import type { Context, Env } from '../context.js';
import {
  claudeProcessEnv,
  claudeRegion,
  effectiveProfile,
  profileRegionOf,
  REGION_FROM_AWS_CONFIG_SINCE,
  versionBefore,
} from '../core/effective-profile.js';
import { sessionState } from '../core/session-state.js';
import { bedrockExportProfile } from '../core/two-identities.js';
import type { ProfileInfo } from '../core/types.js';
import { readDaemonState } from '../daemon/daemon-state.js';
import { BedrockProfileError } from '../errors.js';
import { readTextFile } from '../fs/read-text-file.js';
import { type Paths, resolvePaths } from '../platform/paths.js';
import { daemonStartFix } from '../service/daemon-start-fix.js';
import { sessionEndJson } from '../status/session-end-json.js';
import type {
  ClaudeStateFacts,
  DaemonFacts,
  DoctorFacts,
  HookFacts,
  LastSignInFacts,
  SessionFacts,
  SettingsFileFacts,
} from './facts.js';
import { integrationFacts } from './integration-facts.js';
import { legacyProfilesInUse } from './legacy-facts.js';
import { AWS_PROBE, CLAUDE_PROBE, probeTools } from './probe-tool.js';

/** Role chains longer than this are not followed (a loop in the config must not hang doctor). */
const MAX_CHAIN = 8;
/** ~/.claude.json also holds project history; it can be several MiB. */
const MAX_STATE_BYTES = 64 * 1024 * 1024;
/** Settings keys people put in ~/.claude.json, where Claude Code does not read them. */
const SETTINGS_KEYS = ['awsAuthRefresh', 'awsCredentialExport', 'env'];

async function parseOk(file: string): Promise<unknown> {
  const text = await readTextFile(file);
  return text === undefined ? undefined : JSON.parse(text);
}

async function settingsFiles(files: DoctorFacts['settings']['files']): Promise<SettingsFileFacts[]> {
  return Promise.all(
    files.map(async (f): Promise<SettingsFileFacts> => {
      const out: SettingsFileFacts = { scope: f.scope, file: f.file, status: f.status };
      if (f.error) out.error = f.error;
      if (f.status === 'ok') {
        try {
          out.data = await parseOk(f.file);
        } catch (err) {
          // Changed since the resolver read it; report it as the resolver would.
          out.status = 'invalid';
          out.error = err instanceof Error ? err.message : String(err);
        }
      }
      return out;
    }),
  );
}

async function claudeState(file: string): Promise<ClaudeStateFacts> {
  const out: ClaudeStateFacts = { status: 'missing', file, misplacedKeys: [], oauthAccount: false };
  try {
    const text = await readTextFile(file, MAX_STATE_BYTES);
    if (text === undefined) return out;
    const data = JSON.parse(text) as Record<string, unknown>;
    out.status = 'ok';
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      out.misplacedKeys = SETTINGS_KEYS.filter((k) => k in data);
      out.oauthAccount = typeof data.oauthAccount === 'object' && data.oauthAccount !== null;
    }
  } catch {
    out.status = 'invalid';
  }
  return out;
}

/** The profile at the end of a role chain (source_profile followed): the one whose SSO session signs. */
export function sessionProfile(model: AwsProfiles, start: ProfileInfo): ProfileInfo {
  let p = start;
  for (
    let i = 0;
    i < MAX_CHAIN && p.kind === 'role-chain' && p.sourceProfile && p.sourceProfile !== p.name;
    i++
  ) {
    p = profileInfo(model, p.sourceProfile);
  }
  return p;
}

async function mtime(file: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function sessionFacts(
  ssoCacheDir: string,
  p: ProfileInfo,
  now: number,
): Promise<SessionFacts | undefined> {
  const id = ssoCacheId(p);
  if (id === undefined) return undefined;
  const cacheFile = tokenCacheFile(ssoCacheDir, id);
  const [read, mt] = await Promise.all([readSsoToken(cacheFile), mtime(cacheFile)]);
  const state = sessionState(read, now);
  const out: SessionFacts = { profile: p.name, id, cacheFile, status: read.status };
  if (read.status !== 'ok') out.reason = read.reason;
  if (state.expiresAt !== undefined) out.expiresAt = state.expiresAt;
  out.refreshable = state.refreshable;
  if (state.registrationExpiresAt !== undefined) out.registrationExpiresAt = state.registrationExpiresAt;
  if (mt !== undefined) out.mtimeMs = mt;
  return out;
}

/** An `aws login` profile's cached console credentials, judged like an SSO session. */
async function loginFacts(cacheDir: string, p: ProfileInfo): Promise<SessionFacts | undefined> {
  if (!p.loginSession) return undefined;
  const read = await readLoginToken(loginCacheFile(cacheDir, p.loginSession));
  const out: SessionFacts = {
    profile: p.name,
    id: p.loginSession,
    cacheFile: read.file,
    status: read.status,
    login: true,
  };
  if (read.reason) out.reason = read.reason;
  if (read.expiresAt !== undefined) out.expiresAt = read.expiresAt;
  out.refreshable = read.refreshable === true;
  return out;
}

/** The most recently written token among the SSO sessions of the config: where the user last signed in. */
async function lastSignIn(
  ssoCacheDir: string,
  profiles: ProfileInfo[],
): Promise<LastSignInFacts | undefined> {
  const byId = new Map<string, string[]>();
  for (const p of profiles) {
    const id = ssoCacheId(p);
    if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), p.name]);
  }
  const stamped = await Promise.all(
    [...byId].map(async ([id, names]) => ({
      id,
      names,
      file: tokenCacheFile(ssoCacheDir, id),
      mt: await mtime(tokenCacheFile(ssoCacheDir, id)),
    })),
  );
  const newest = stamped.filter((s) => s.mt !== undefined).sort((a, b) => b.mt! - a.mt!)[0];
  if (!newest) return undefined;
  const read = await readSsoToken(newest.file);
  const out: LastSignInFacts = { id: newest.id, profiles: newest.names, mtimeMs: newest.mt! };
  if (read.status === 'ok') out.expiresAt = read.token.expiresAt;
  return out;
}

async function daemonFacts(paths: Paths, env: Env): Promise<DaemonFacts> {
  const startFix = daemonStartFix(env);
  try {
    const d = await readDaemonState(paths);
    const out: DaemonFacts = { running: d.running, startFix };
    if (d.running && d.pid !== undefined) out.pid = d.pid;
    return out;
  } catch (err) {
    return { running: false, error: err instanceof Error ? err.message : String(err), startFix };
  }
}

/**
 * An exported marker the hook may set in the shells it runs in. The hook's own state lives in unexported
 * shell variables a child process cannot see, so without the marker doctor falls back to the shell's
 * start-up files: the hook line there means "installed", which is reported as such, not as active.
 */
export const HOOK_MARKER = 'BEDROCK_PROFILE_HOOK';

/** Start-up files per shell, where `eval "$(bedrock-profile hook zsh)"` (or install.sh's line) goes. */
function rcFiles(shell: string, env: Env, home: string): string[] {
  if (shell === 'zsh') return [join(env.ZDOTDIR || home, '.zshrc')];
  if (shell === 'bash') return [join(home, '.bashrc'), join(home, '.bash_profile')];
  const config = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return [join(config, 'fish', 'config.fish'), join(config, 'fish', 'conf.d', 'bedrock-profile.fish')];
}

const HOOK_LINE = /bedrock-profile[^\n]*\bhook\b|shell\/hook\.(zsh|bash|fish)/;

export async function hookFacts(env: Env, home: string): Promise<HookFacts> {
  const v = env[HOOK_MARKER];
  const shell = /(zsh|bash|fish)$/.exec(env.SHELL ?? '')?.[1] ?? 'zsh';
  if (v) return { active: true, shell: /^(zsh|bash|fish)/.exec(v)?.[1] ?? shell };
  for (const file of rcFiles(shell, env, home)) {
    try {
      const text = await readTextFile(file);
      if (text && HOOK_LINE.test(text)) return { active: false, shell, installedIn: file };
    } catch {
      // An unreadable start-up file: the hook cannot be confirmed from it.
    }
  }
  return { active: false, shell };
}

async function ignoredProfile(files: string[]): Promise<string | undefined> {
  const first = files[0];
  if (!first) return undefined;
  try {
    const data = (await parseOk(first)) as { env?: { AWS_PROFILE?: unknown } } | undefined;
    const v = data?.env?.AWS_PROFILE;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function gatherFacts(ctx: Context): Promise<DoctorFacts> {
  const now = ctx.now();
  const paths = resolvePaths(ctx.env);
  const toolCache = join(paths.cacheDir, 'tool-versions.json');
  // Tool probes start first: they are the slowest part and run alongside the file reads.
  const toolsP = probeTools([CLAUDE_PROBE, AWS_PROBE], ctx.env, toolCache).then(
    ([c, a]) => [c!, a!] as const,
  );
  const daemonP = daemonFacts(paths, ctx.env);
  const stateP = claudeState(paths.claudeStateFile);
  const hookP = hookFacts(ctx.env, paths.home);
  const settings = await resolveClaudeSettings({ cwd: ctx.cwd, env: ctx.env, paths });
  const claudeEnv = claudeProcessEnv(settings.env, ctx.env);
  // Claude Code reads the AWS files named in ITS environment (settings may redirect them).
  const claudePaths = resolvePaths(claudeEnv);
  const profile = effectiveProfile(settings.env, ctx.env);
  const profileName = profile.value ?? 'default';

  const filesP = settingsFiles(settings.files);
  const ignoredP = ignoredProfile(settings.ignoredAncestorSettings);
  let model: AwsProfiles | undefined;
  let awsConfigError: string | undefined;
  try {
    model = await loadAwsProfiles(claudePaths);
  } catch (err) {
    if (!(err instanceof BedrockProfileError)) throw err;
    awsConfigError = err.message;
  }
  const profiles = model ? allProfiles(model) : [];
  const info = model ? profileInfo(model, profileName) : undefined;
  const sso = model && info ? sessionProfile(model, info) : undefined;
  const bedrockName = bedrockExportProfile(settings.awsCredentialExport?.value, profileName);
  const bedrockInfo = model && bedrockName ? profileInfo(model, bedrockName) : undefined;
  const bedrockSso = model && bedrockInfo ? sessionProfile(model, bedrockInfo) : undefined;
  const bedrockSessionP = bedrockSso
    ? sessionFacts(claudePaths.ssoCacheDir, bedrockSso, now)
    : Promise.resolve(undefined);
  const [session, last, files, ignored, [claude, awsCli], daemon, claudeStateFacts, hook] = await Promise.all(
    [
      sso?.kind === 'login'
        ? loginFacts(claudePaths.awsLoginCacheDir, sso)
        : sso
          ? sessionFacts(claudePaths.ssoCacheDir, sso, now)
          : Promise.resolve(undefined),
      lastSignIn(claudePaths.ssoCacheDir, profiles),
      filesP,
      ignoredP,
      toolsP,
      daemonP,
      stateP,
      hookP,
    ],
  );

  const facts: DoctorFacts = {
    now,
    cwd: ctx.cwd,
    shellEnv: ctx.env,
    claudeEnv,
    claudeUserSettings: paths.claudeUserSettings,
    awsConfigFile: claudePaths.awsConfigFile,
    awsCredentialsFile: claudePaths.awsCredentialsFile,
    claude,
    awsCli,
    settings,
    files,
    claudeState: claudeStateFacts,
    profile: { ...profile, value: profileName },
    // Claude Code before 2.1.172 read AWS_REGION only.
    region: claudeRegion(settings.env, ctx.env, profileRegionOf(info), {
      legacy: claude.version !== undefined && versionBefore(claude.version, REGION_FROM_AWS_CONFIG_SINCE),
    }),
    profiles,
    daemon,
    hook,
  };
  facts.integration = await integrationFacts(settings, paths.claudeUserSettings, ctx.env);
  if (info) facts.profileInfo = info;
  if (awsConfigError) facts.awsConfigError = awsConfigError;
  if (session) facts.session = session;
  if (session && sso && (sso.kind === 'sso' || sso.kind === 'legacy-sso'))
    session.end = await sessionEndJson({
      paths,
      key: session.id,
      kind: sso.kind,
      file: session.cacheFile,
      now,
    });
  facts.legacyInUse = await legacyProfilesInUse(ctx.env, claudePaths, info);
  if (last) facts.lastSignIn = last;
  if (ignored) facts.ignoredProfile = ignored;
  if (bedrockName) {
    const bedrockSession = await bedrockSessionP;
    facts.bedrockExport = {
      profile: bedrockName,
      ...(bedrockInfo ? { info: bedrockInfo } : {}),
      ...(bedrockSession ? { session: bedrockSession } : {}),
    };
  }
  return facts;
}
