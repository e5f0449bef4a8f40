/**
 * The shared vocabulary of the configuration model. Everything here is data: the modules that fill it
 * (src/claude, src/aws) and the pure logic that judges it (src/core) agree on these shapes.
 */

/** Where a Claude Code setting came from, highest precedence first. */
export type SettingsScope = 'managed' | 'local' | 'project' | 'user';

/** One settings file Claude Code would consider for a start directory. */
export interface SettingsFileState {
  scope: SettingsScope;
  file: string;
  /** `ok`: parsed; `missing`: no such file; `invalid`: unreadable or bad JSON (see `error`). */
  status: 'ok' | 'missing' | 'invalid';
  /** For `invalid`: the message, e.g. "/repo/.claude/settings.json:3:7: invalid JSON: ...". */
  error?: string;
}

/** A value and where it came from. `shell` = the environment of the process started here. */
export interface Sourced<T> {
  value: T;
  scope: SettingsScope | 'shell';
  /** The settings file, absent for `shell`. */
  file?: string;
}

export interface ResolvedSettings {
  /** The directory Claude Code would be started in. */
  cwd: string;
  /** The git work tree root containing cwd, if any. */
  gitRoot?: string;
  /** Every candidate file in precedence order (managed first), with its state. */
  files: SettingsFileState[];
  /** The merged settings `env` (per-variable precedence). Does not include the shell environment. */
  env: Record<string, Sourced<string>>;
  awsAuthRefresh?: Sourced<string>;
  awsCredentialExport?: Sourced<string>;
  model?: Sourced<string>;
  /**
   * `.claude/settings.json` files in ancestors of cwd (up to the git root) that Claude Code ignores
   * because it only reads the one in its start directory. The case that bites people.
   */
  ignoredAncestorSettings: string[];
  /**
   * The merged settings `env` that Claude Code started in a subdirectory of cwd (same git root, no
   * `.claude/settings.json` of its own) would see: managed, local and user only.
   */
  subdirEnv?: Record<string, Sourced<string>>;
  /** Values Claude Code would skip (e.g. a non-string `env` value), one line each, file named. */
  notes?: string[];
}

/** How a profile gets credentials. */
export type ProfileKind =
  | 'sso' // sso_session = name, refreshable through SSO-OIDC
  | 'legacy-sso' // sso_start_url in the profile, no refresh token
  | 'static-keys' // aws_access_key_id in credentials/config
  | 'credential-process'
  | 'role-chain' // role_arn + source_profile / credential_source
  | 'web-identity'
  | 'login' // login_session: console credentials from `aws login`, cached in ~/.aws/login/cache
  | 'missing' // the name is in no file
  | 'unknown'; // present, but none of the above

export interface ProfileInfo {
  name: string;
  kind: ProfileKind;
  /** Files that define it (config and/or credentials). */
  definedIn: string[];
  region?: string;
  ssoSession?: string;
  /** `login_session` (kind login): the console identity `aws login` signed in as. */
  loginSession?: string;
  ssoStartUrl?: string;
  ssoRegion?: string;
  ssoAccountId?: string;
  ssoRoleName?: string;
  roleArn?: string;
  sourceProfile?: string;
  /** role-chain via `credential_source` (Environment, Ec2InstanceMetadata, EcsContainer) instead of a profile. */
  credentialSource?: string;
  /**
   * How botocore (the `aws` CLI) gets credentials for it, when that differs from `kind` (the JS SDK's
   * choice, which Claude Code uses). E.g. a profile with both sso_* keys and static keys: the SDK uses the
   * keys, botocore uses SSO.
   */
  cliKind?: ProfileKind;
  /** What is wrong or incomplete in its definition, in words (missing sso-session section...). */
  problems?: string[];
}

/** A parsed `~/.aws/sso/cache/*.json` entry. Secret fields never leave src/aws except to AWS. */
export interface SsoToken {
  accessToken: string;
  /** ms since epoch, parsed from either RFC 3339 form. */
  expiresAt: number;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: number;
  region?: string;
  startUrl?: string;
}

/** What reading one token cache file gave (src/aws/token-cache.ts reads; src/core/session-state.ts judges). */
export type TokenRead =
  | { file: string; status: 'ok'; token: SsoToken; raw: Record<string, unknown> }
  | { file: string; status: 'missing' | 'unreadable' | 'corrupt'; reason: string };

/** Who a stray variable affects. */
export type Consumer =
  | 'claude-here'
  | 'claude-subdir'
  | 'aws-cli'
  | 'aws-sso-login'
  /** The agent's own AWS commands (Claude Code's Bash tool, MCP servers), judged when Bedrock is signed
   * through awsCredentialExport: then they, not Claude's Bedrock calls, are what the chain variables reach. */
  | 'agent-commands';

export interface StrayFinding {
  /** The variable, e.g. AWS_ACCESS_KEY_ID. */
  name: string;
  consumers: Consumer[];
  /** One line: what it overrides for whom. Never contains a secret value. */
  explanation: string;
  /** The fix, e.g. "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY". */
  fix: string;
  severity: 'warn' | 'error';
}
