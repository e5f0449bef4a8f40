/**
 * The brain behind `bedrock-profile resolve`: for one launch context, decide what the hooks do (switch,
 * hint, which variables to watch) and what they say, from Claude Code's settings resolution
 * (src/claude), the stray rules (src/core/stray.ts), the trust list and the config mode. Returns the
 * record and the lines to print; writing it is record-store.ts.
 */
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import { loadConfig, type Mode } from '../config/config.js';
import type { Env } from '../context.js';
import { shellArg } from '../core/shell-quote.js';
import { analyzeStray } from '../core/stray.js';
import type { ResolvedSettings } from '../core/types.js';
import { BedrockProfileError } from '../errors.js';
import { entryExists, exists } from '../fs/exists.js';
import { readTextFile } from '../fs/read-text-file.js';
import type { Paths } from '../platform/paths.js';
import { checkVars } from './check-vars.js';
import { noticeLine, refusedLine, strayLine, untrustedLine } from './messages.js';
import { isValidProfileName, PROFILE_NAME_RULE } from './profile-name.js';
import type { HookRecord } from './record.js';
import { trustKey } from './trust-key.js';
import { loadTrust, type TrustState, trustState } from './trust-store.js';

export interface ResolveHookInput {
  /** The launch directory (absolute), as the hook found it. */
  dir: string;
  env: Env;
  paths: Paths;
  now: number;
  /**
   * The hook may set AWS_PROFILE (it is unset, or the value the hook set itself): judge strays as they
   * will be once the hook has switched. False when the user set AWS_PROFILE by hand after the hook did.
   */
  owned: boolean;
}

export interface ResolvedHook {
  record: HookRecord;
  /** Lines for stderr, for the environment as the hook will leave it. */
  messages: string[];
  settings: ResolvedSettings;
  /** The settings file that names the repo's profile, when the repo names one. */
  profileFile?: string;
  trust?: TrustState;
  mode: Mode;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

async function topmostMissing(file: string): Promise<string> {
  let missing = file;
  for (
    let parent = dirname(missing);
    parent !== missing && !(await exists(parent));
    parent = dirname(parent)
  ) {
    missing = parent;
  }
  return missing;
}

/** Files outside the repo whose change changes the record; the hook tests them with `-nt`/`-e`. */
function globalSources(settings: ResolvedSettings, paths: Paths): string[] {
  const files = new Set<string>();
  for (const f of settings.files) if (f.scope === 'managed' || f.scope === 'user') files.add(f.file);
  files.add(join(paths.managedSettingsDir, 'managed-settings.d'));
  files.add(paths.configFile);
  files.add(paths.trustFile);
  // A path with a newline cannot be a record line; such a file is not watched (documented).
  return [...files].filter((f) => !CONTROL.test(f));
}

/** The profile's token expiry and the files it depends on; never throws (the prompt just shows less). */
type AwsModules = [typeof import('../aws/profiles.js'), typeof import('../aws/token-cache.js')];

/**
 * Whether the AWS config or credentials file could make any profile an SSO one (only those have a token).
 * Unreadable counts as yes: the full parse then decides, as it always did.
 */
async function mayHaveSso(paths: Paths): Promise<boolean> {
  try {
    const texts = await Promise.all([
      readTextFile(paths.awsConfigFile),
      readTextFile(paths.awsCredentialsFile),
    ]);
    return texts.some((t) => t?.includes('sso_'));
  } catch {
    return true;
  }
}

async function profileToken(
  modules: Promise<AwsModules | undefined>,
  paths: Paths,
  profile: string,
  env: Env,
  now: number,
): Promise<{ expiresAt?: number; files: string[] } | undefined> {
  try {
    const loaded = await modules;
    // No `sso_` in either file: no profile has a token (what the parse would find), without loading it.
    if (!loaded) return { files: [paths.awsConfigFile] };
    const [{ loadAwsProfiles, profileInfo }, { readProfileToken }] = loaded;
    const info = profileInfo(await loadAwsProfiles(paths, env), profile);
    const files = [paths.awsConfigFile];
    const token = await readProfileToken(paths.ssoCacheDir, info);
    if (!token) return { files };
    files.push(token.file);
    if (token.status !== 'ok') return { files };
    // The prompt shows the session's real end, not the access token's (renewed hourly): when unknown, nothing.
    const key =
      info.kind === 'sso' ? info.ssoSession : info.kind === 'legacy-sso' ? info.ssoStartUrl : undefined;
    if (key === undefined || (info.kind !== 'sso' && info.kind !== 'legacy-sso'))
      return { expiresAt: token.token.expiresAt, files };
    const { sessionEndJson } = await import('../status/session-end-json.js');
    const { sessionLifeFile } = await import('../state/session-life.js');
    files.push(sessionLifeFile(paths), paths.configFile);
    const end = await sessionEndJson({ paths, key, kind: info.kind, file: token.file, now });
    return end.at ? { expiresAt: Date.parse(end.at), files } : { files };
  } catch {
    return undefined;
  }
}

export async function resolveHookRecord(input: ResolveHookInput): Promise<ResolvedHook> {
  const { dir, env, paths, now } = input;
  // Started now, used later: the AWS config parser loads while the settings files are read, and only
  // when a profile may be SSO (the SDK's parser costs about 20 ms of CPU to load).
  const awsModules: Promise<AwsModules | undefined> = mayHaveSso(paths).then((sso) =>
    sso ? Promise.all([import('../aws/profiles.js'), import('../aws/token-cache.js')]) : undefined,
  );
  awsModules.catch(() => undefined);
  const messages: string[] = [];
  const settings = await resolveClaudeSettings({ cwd: dir, env, paths });
  let notice = false;
  for (const f of settings.files) {
    if (f.status === 'invalid') {
      notice = true;
      messages.push(noticeLine(f.error ?? `${f.file}: cannot be read; fix the file`));
    }
  }
  let mode: Mode = 'switch';
  try {
    mode = (await loadConfig(paths.configFile)).mode;
  } catch (err) {
    if (!(err instanceof BedrockProfileError)) throw err;
    // A broken config must not switch profiles on a guess: warn-only until it is fixed.
    mode = 'warn';
    notice = true;
    messages.push(noticeLine(`${err.message} (until then the hooks only warn)`));
  }
  let trust = { allowed: [], denied: [] } as Awaited<ReturnType<typeof loadTrust>>;
  try {
    trust = await loadTrust(paths);
  } catch (err) {
    if (!(err instanceof BedrockProfileError)) throw err;
    notice = true;
    messages.push(noticeLine(`${err.message} (until then no repo is trusted)`));
  }

  const named = settings.env.AWS_PROFILE;
  let expect: string | undefined;
  let profile: string | undefined;
  let profileFile: string | undefined;
  let state: TrustState | undefined;
  if (named?.value) {
    if (!isValidProfileName(named.value)) {
      notice = true;
      messages.push(refusedLine(named.file ?? named.scope, named.value, PROFILE_NAME_RULE));
    } else {
      expect = named.value;
      if ((named.scope === 'project' || named.scope === 'local') && named.file) {
        profile = named.value;
        profileFile = named.file;
        state = trustState(trust, await trustKey(named.file), named.value);
      }
    }
  }
  const doSwitch = profile !== undefined && mode === 'switch' && state === 'allowed';
  const hint = profile !== undefined && mode === 'switch' && state === 'unknown';

  // What the shell will look like once the hook has done its part.
  const shellEnv: Record<string, string | undefined> = { ...env };
  if (doSwitch && input.owned) shellEnv.AWS_PROFILE = profile;
  let findings = analyzeStray({ settings, shellEnv });
  if (hint && profileFile && shellEnv.AWS_PROFILE !== profile) {
    messages.unshift(untrustedLine(profile!, profileFile));
    // The trust line already says AWS_PROFILE differs and how to fix it; say the rest only.
    findings = findings.filter((f) => f.name !== 'AWS_PROFILE');
  }
  const stray = strayLine(findings, expect ?? shellEnv.AWS_PROFILE ?? 'default');
  if (stray) messages.push(stray);

  const { check, agree, unsetOk } = checkVars(settings, expect);
  const sources = globalSources(settings, paths);
  // A repo settings file that is a symlink: the hooks' `-ot` follows it, so a link retargeted to an older
  // file would look unchanged. Retargeting rewrites the entry in `.claude/`: watch that directory too.
  for (const f of [
    join(dir, '.claude', 'settings.json'),
    join(settings.gitRoot ?? dir, '.claude', 'settings.local.json'),
  ]) {
    if (
      (await fsp.lstat(f).catch(() => undefined))?.isSymbolicLink() &&
      !CONTROL.test(f) &&
      !sources.includes(dirname(f))
    )
      sources.push(dirname(f));
  }
  // The prompt segment's time: when the profile's SSO session ends (docs/session.md). A new token, a noted
  // sign-in or a config edit makes the record stale (all three files are sources), so it never lies for long.
  let expiresAt: number | undefined;
  if (expect) {
    const token = await profileToken(awsModules, paths, expect, env, now);
    if (token?.expiresAt !== undefined) expiresAt = token.expiresAt;
    for (const f of token?.files ?? []) if (!CONTROL.test(f)) sources.push(f);
  }
  const present = await Promise.all(sources.map(exists));
  // A file dated in the future is newer than every record we can write: the hooks stop rechecking it
  // between cds (after two refreshes in a row that are stale at once); say so, with the fix.
  const repoFiles = [
    join(dir, '.claude', 'settings.json'),
    join(settings.gitRoot ?? dir, '.claude', 'settings.local.json'),
  ];
  for (const f of [...sources.filter((_, i) => present[i]), ...repoFiles]) {
    const mtime = (await fsp.stat(f).catch(() => undefined))?.mtimeMs;
    if (mtime !== undefined && mtime > now + 1000 && !CONTROL.test(f)) {
      notice = true;
      messages.push(
        noticeLine(
          `${f} is dated in the future (${new Date(mtime).toISOString()}); until that date the hook looks again only on a cd; fix: touch ${shellArg(f)}`,
        ),
      );
    }
  }
  // A missing file under a missing directory: watch the topmost missing directory instead, once (one
  // `-e` per prompt covers every file below it; when it appears, the record is stale).
  const absent = [...new Set(await Promise.all(sources.filter((_, i) => !present[i]).map(topmostMissing)))];
  const localFile = join(settings.gitRoot ?? dir, '.claude', 'settings.local.json');
  const record: HookRecord = {
    gen: now,
    dir,
    sources: sources.filter((_, i) => present[i]),
    absent,
    project: await entryExists(join(dir, '.claude', 'settings.json')),
    local: await entryExists(localFile),
    switch: doSwitch,
    hint,
    notice,
    unsetOk,
    check,
    agree,
  };
  if (settings.gitRoot) record.root = settings.gitRoot;
  if (expiresAt !== undefined) record.expiresAt = expiresAt;
  if (profile) record.profile = profile;
  if (expect) record.expect = expect;
  const out: ResolvedHook = { record, messages, settings, mode };
  if (profileFile) out.profileFile = profileFile;
  if (state) out.trust = state;
  return out;
}
