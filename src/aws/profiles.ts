/**
 * The AWS configuration model: every profile in `~/.aws/config` and `~/.aws/credentials` (or the files named
 * by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, already resolved in Paths), the `[sso-session]` sections,
 * and for one profile how it gets credentials.
 *
 * Parsing is the JS SDK's own: @smithy/shared-ini-file-loader's `loadSharedConfigFiles` and
 * `loadSsoSessionData`, so what we call a profile is exactly what Claude Code's SDK sees (including its
 * quirks: `[dev]` without `profile ` is ignored in the config file, a `[profile __proto__]` section makes
 * the SDK drop the whole file). The loader reads files with a plain `fs.readFile`, which would block
 * forever on a FIFO and swallows every error; so we read the text ourselves through readTextFile (FIFO,
 * huge file, bad UTF-8 → a problem in words) and hand it to the loader through its documented
 * `externalDataInterceptor`, removing the interception right after the synchronous read so nothing global
 * is left behind (and the loader's own per-path cache is never used: a long-running daemon sees edits).
 *
 * Kinds follow the JS SDK's `fromIni` order (Claude Code's consumer): role (role_arn with exactly one of
 * source_profile / credential_source), static keys, web identity, credential_process, SSO. botocore (the
 * `aws` CLI) checks role, web identity, SSO (sso_account_id or sso_role_name), then static keys, then
 * credential_process; where that gives another answer, `cliKind` says so.
 */
import {
  externalDataInterceptor,
  loadSharedConfigFiles,
  loadSsoSessionData,
} from '@smithy/shared-ini-file-loader';
import type { Env } from '../context.js';
import type { ProfileInfo, ProfileKind } from '../core/types.js';
import { FileAccessError } from '../errors.js';
import { readTextFile } from '../fs/read-text-file.js';
import type { Paths } from '../platform/paths.js';

export interface SsoSessionInfo {
  name: string;
  startUrl?: string;
  region?: string;
  registrationScopes?: string;
}

export type ProfileSettings = Readonly<Record<string, string>>;

export interface AwsProfiles {
  configFile: string;
  credentialsFile: string;
  /** Per profile name: its keys as the SDK merges them (credentials file values over config file values). */
  settings: ReadonlyMap<string, ProfileSettings>;
  /** Per profile name: the files that define it. */
  definedIn: ReadonlyMap<string, string[]>;
  ssoSessions: ReadonlyMap<string, SsoSessionInfo>;
  /** File-level problems in words (unreadable, a FIFO, too big, not UTF-8). Never a secret. */
  problems: string[];
  /**
   * Set when the JS SDK will not find the `[sso-session]` sections although we do: AWS_CONFIG_FILE starts
   * with `~/`, which the SDK's loadSsoSessionData does not expand (loadSharedConfigFiles does, botocore does).
   */
  sdkMissesSsoSessions?: string;
}

/** Section-name prefixes the loader keeps as `prefix.name` keys; they are not profiles. */
const SECTION_PREFIXES = ['profile.', 'sso-session.', 'services.'];

async function readForLoader(file: string): Promise<{ text: string; problem?: string }> {
  try {
    return { text: (await readTextFile(file)) ?? '' };
  } catch (err) {
    if (err instanceof FileAccessError) return { text: '', problem: `${file}: ${err.reason}` };
    throw err;
  }
}

/** Run `load` with the loader seeing `texts` for these paths, then remove the interception. */
function withInterceptedFiles<T>(texts: Record<string, string>, load: () => T): T {
  const record = externalDataInterceptor.getFileRecord() as Record<string, unknown>;
  for (const [path, text] of Object.entries(texts)) externalDataInterceptor.interceptFile(path, text);
  try {
    // The loader looks the paths up synchronously when called; the promise it returns needs no interception.
    return load();
  } finally {
    for (const path of Object.keys(texts)) delete record[path];
  }
}

const stringRecord = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') {
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  }
  return out;
};

/**
 * `env` is the environment of the consumer (Claude Code's, for status): only its raw AWS_CONFIG_FILE is
 * looked at, for the SDK's `~` quirk; `paths` has it expanded already.
 */
export async function loadAwsProfiles(
  paths: Pick<Paths, 'awsConfigFile' | 'awsCredentialsFile'>,
  env?: Env,
): Promise<AwsProfiles> {
  const configFile = paths.awsConfigFile;
  const credentialsFile = paths.awsCredentialsFile;
  const [configRead, credentialsRead] = await Promise.all([
    readForLoader(configFile),
    readForLoader(credentialsFile),
  ]);
  const problems = [configRead.problem, credentialsRead.problem].filter((p): p is string => p !== undefined);
  const configText = configRead.text;
  const credentialsText = credentialsRead.text;
  const texts = { [configFile]: configText, [credentialsFile]: credentialsText };
  const [files, sessions] = await withInterceptedFiles(texts, () =>
    Promise.all([
      loadSharedConfigFiles({ filepath: credentialsFile, configFilepath: configFile, ignoreCache: true }),
      loadSsoSessionData({ configFilepath: configFile }),
    ]),
  );
  if (configText.trim() !== '' && Object.keys(files.configFile).length === 0 && /^\s*\[/m.test(configText)) {
    problems.push(
      `${configFile}: the AWS SDK finds no profile in it (check the [profile NAME] section headers)`,
    );
  }

  const settings = new Map<string, Record<string, string>>();
  const definedIn = new Map<string, string[]>();
  const add = (data: Record<string, unknown>, file: string) => {
    for (const [name, values] of Object.entries(data)) {
      if (SECTION_PREFIXES.some((p) => name.startsWith(p))) continue;
      settings.set(name, { ...settings.get(name), ...stringRecord(values) });
      definedIn.set(name, [...(definedIn.get(name) ?? []), file]);
    }
  };
  // Same order as the SDK's mergeConfigFiles(config, credentials): the credentials file wins per key.
  add(files.configFile, configFile);
  add(files.credentialsFile, credentialsFile);

  const ssoSessions = new Map<string, SsoSessionInfo>();
  for (const [name, values] of Object.entries(sessions)) {
    const v = stringRecord(values);
    const info: SsoSessionInfo = { name };
    if (v.sso_start_url) info.startUrl = v.sso_start_url;
    if (v.sso_region) info.region = v.sso_region;
    if (v.sso_registration_scopes) info.registrationScopes = v.sso_registration_scopes;
    ssoSessions.set(name, info);
  }
  const model: AwsProfiles = { configFile, credentialsFile, settings, definedIn, ssoSessions, problems };
  if (env?.AWS_CONFIG_FILE?.startsWith('~/')) {
    model.sdkMissesSsoSessions =
      `AWS_CONFIG_FILE=${env.AWS_CONFIG_FILE} starts with ~, which the AWS SDK does not expand when it reads ` +
      '[sso-session] sections (Claude Code fails on SSO profiles); set it to an absolute path';
  }
  return model;
}

export function profileNames(model: AwsProfiles): string[] {
  return [...model.settings.keys()].sort();
}

const has = (s: ProfileSettings, key: string) => typeof s[key] === 'string' && s[key] !== '';

/** The JS SDK's fromIni decision (credential-provider-ini resolveProfileData). */
function sdkKind(s: ProfileSettings): ProfileKind {
  if (has(s, 'role_arn') && has(s, 'source_profile') !== has(s, 'credential_source')) return 'role-chain';
  if (has(s, 'aws_access_key_id') && has(s, 'aws_secret_access_key')) return 'static-keys';
  if (has(s, 'web_identity_token_file') && has(s, 'role_arn')) return 'web-identity';
  if (has(s, 'credential_process')) return 'credential-process';
  if (
    ['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some((k) => has(s, k))
  ) {
    return has(s, 'sso_session') ? 'sso' : 'legacy-sso';
  }
  // The JS SDK's fromIni tries login_session last (credential-provider-ini resolveProfileData).
  if (has(s, 'login_session')) return 'login';
  return 'unknown';
}

/** botocore's provider order (credentials.py create_credential_resolver), for the `aws` CLI. */
function cliKindOf(s: ProfileSettings): ProfileKind {
  if (has(s, 'role_arn') && !has(s, 'web_identity_token_file')) return 'role-chain';
  if (has(s, 'web_identity_token_file') && has(s, 'role_arn')) return 'web-identity';
  if (has(s, 'sso_account_id') || has(s, 'sso_role_name'))
    return has(s, 'sso_session') ? 'sso' : 'legacy-sso';
  if (has(s, 'aws_access_key_id') && has(s, 'aws_secret_access_key')) return 'static-keys';
  // botocore 1.43: LoginProvider comes after the shared-credentials keys, before credential_process.
  if (has(s, 'login_session')) return 'login';
  if (has(s, 'credential_process')) return 'credential-process';
  return 'unknown';
}

function ssoProblems(model: AwsProfiles, info: ProfileInfo, s: ProfileSettings): string[] {
  const problems: string[] = [];
  const missing = (keys: string[]) => keys.filter((k) => !has(s, k));
  if (info.kind === 'sso') {
    if (model.sdkMissesSsoSessions) problems.push(model.sdkMissesSsoSessions);
    const session = model.ssoSessions.get(info.ssoSession!);
    if (!session) {
      problems.push(
        `sso_session '${info.ssoSession}' has no [sso-session ${info.ssoSession}] section in ${model.configFile}`,
      );
    } else {
      if (!session.startUrl) problems.push(`[sso-session ${session.name}] has no sso_start_url`);
      if (!session.region) problems.push(`[sso-session ${session.name}] has no sso_region`);
      if (has(s, 'sso_region') && session.region && s.sso_region !== session.region) {
        problems.push(
          `sso_region ${s.sso_region} differs from the one in [sso-session ${session.name}] (${session.region})`,
        );
      }
      if (has(s, 'sso_start_url') && session.startUrl && s.sso_start_url !== session.startUrl) {
        problems.push(`sso_start_url differs from the one in [sso-session ${session.name}]`);
      }
    }
    const m = missing(['sso_account_id', 'sso_role_name']);
    if (m.length) problems.push(`missing ${m.join(' and ')} (needed to get role credentials)`);
  } else {
    const m = missing(['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name']);
    if (m.length)
      problems.push(`missing ${m.join(', ')} (a legacy SSO profile needs all four, or an sso_session)`);
  }
  return problems;
}

/** How the profile `name` gets credentials, with its SSO and role settings. */
export function profileInfo(model: AwsProfiles, name: string): ProfileInfo {
  const s = model.settings.get(name);
  if (!s) return { name, kind: 'missing', definedIn: [] };
  const kind = sdkKind(s);
  const info: ProfileInfo = { name, kind, definedIn: [...(model.definedIn.get(name) ?? [])] };
  if (has(s, 'region')) info.region = s.region;
  if (has(s, 'login_session')) info.loginSession = s.login_session;
  if (has(s, 'sso_session')) info.ssoSession = s.sso_session;
  if (has(s, 'sso_account_id')) info.ssoAccountId = s.sso_account_id;
  if (has(s, 'sso_role_name')) info.ssoRoleName = s.sso_role_name;
  if (has(s, 'role_arn')) info.roleArn = s.role_arn;
  if (has(s, 'source_profile')) info.sourceProfile = s.source_profile;
  if (has(s, 'credential_source')) info.credentialSource = s.credential_source;
  // An sso_session's URL and region come from its section (the SDK copies them over the profile's).
  const session = info.ssoSession ? model.ssoSessions.get(info.ssoSession) : undefined;
  const startUrl = session?.startUrl ?? (has(s, 'sso_start_url') ? s.sso_start_url : undefined);
  const ssoRegion = session?.region ?? (has(s, 'sso_region') ? s.sso_region : undefined);
  if (startUrl) info.ssoStartUrl = startUrl;
  if (ssoRegion) info.ssoRegion = ssoRegion;

  const cli = cliKindOf(s);
  if (cli !== kind) info.cliKind = cli;
  const problems: string[] = [];
  if (kind === 'sso' || kind === 'legacy-sso') problems.push(...ssoProblems(model, info, s));
  if (has(s, 'role_arn') && has(s, 'source_profile') && has(s, 'credential_source')) {
    problems.push('both source_profile and credential_source are set; use one');
  } else if (kind === 'role-chain' && info.sourceProfile && !model.settings.has(info.sourceProfile)) {
    problems.push(`source_profile '${info.sourceProfile}' is not defined`);
  } else if (
    kind === 'role-chain' &&
    info.sourceProfile === name &&
    !(has(s, 'aws_access_key_id') && has(s, 'aws_secret_access_key'))
  ) {
    problems.push('source_profile points at itself without static keys');
  }
  if (kind === 'unknown' && has(s, 'login_session')) {
    problems.push('uses login_session (aws login), which this tool does not track');
  } else if (kind === 'unknown' && problems.length === 0) {
    problems.push(
      'has no credential settings (no sso_session, sso_start_url, keys, role_arn or credential_process)',
    );
  }
  if (problems.length) info.problems = problems;
  return info;
}

/** Every profile, sorted by name. */
export function allProfiles(model: AwsProfiles): ProfileInfo[] {
  return profileNames(model).map((n) => profileInfo(model, n));
}

/** For `use` and `init`: does any AWS file define this profile? An unreadable file counts as no. */
export async function profileExists(paths: Paths, name: string): Promise<boolean> {
  try {
    return profileInfo(await loadAwsProfiles(paths), name).kind !== 'missing';
  } catch {
    return false;
  }
}
