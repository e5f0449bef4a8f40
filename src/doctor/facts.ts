/**
 * Everything the offline checks judge, gathered once (src/doctor/gather.ts) and then passed to pure check
 * functions. Plain data: tests build these directly for the table of cases, and the CLI tests build the
 * same situations as real files.
 */

import type { Env } from '../context.js';
import type { EffectiveValue } from '../core/effective-profile.js';
import type { ProfileInfo, ResolvedSettings } from '../core/types.js';
import type { SessionEndJson } from '../status/session-end-json.js';

export interface ToolProbe {
  /** Found on PATH. */
  found: boolean;
  path?: string;
  /** The version number read from `--version` (e.g. "2.1.328", "1.45.11"). */
  version?: string;
  /** Why the probe did not give a version (timeout, exit code). */
  error?: string;
}

/** A settings file Claude Code reads here, with its parsed content when it parsed. */
export interface SettingsFileFacts {
  scope: string;
  file: string;
  status: 'ok' | 'missing' | 'invalid';
  error?: string;
  data?: unknown;
}

/** `~/.claude.json`: Claude's state file, not a settings file; people put settings there by mistake. */
export interface ClaudeStateFacts {
  status: 'ok' | 'missing' | 'invalid';
  file: string;
  /** Settings keys found at its top level, which Claude Code does not read from there. */
  misplacedKeys: string[];
  /** An Anthropic account signed in with /login. */
  oauthAccount: boolean;
}

/** The SSO token of the profile in effect (or of the SSO profile at the end of its role chain). */
export interface SessionFacts {
  /** The profile holding the sso settings. */
  profile: string;
  /** sso_session name, or the start URL for legacy profiles. */
  id: string;
  cacheFile: string;
  status: 'ok' | 'missing' | 'unreadable' | 'corrupt';
  reason?: string;
  /** Never the secret fields: only what the checks need. */
  expiresAt?: number;
  refreshable?: boolean;
  registrationExpiresAt?: number;
  mtimeMs?: number;
  /** The session's real end (src/status/session-end-json.ts). */
  end?: SessionEndJson;
  /** An `aws login` console session (login_session) rather than SSO: `id` is the login_session. */
  login?: boolean;
}

/** The token cache file written most recently among the SSO sessions the AWS config knows. */
export interface LastSignInFacts {
  id: string;
  /** Profiles that use this session. */
  profiles: string[];
  mtimeMs: number;
  expiresAt?: number;
}

export interface DaemonFacts {
  running: boolean;
  pid?: number;
  /** Why we could not tell (state unreadable). */
  error?: string;
  /** The fix when it is not running: `service start` with a service installed, else `install`. */
  startFix?: string;
}

export interface HookFacts {
  /** The hook marker in this shell's environment, if any. */
  active: boolean;
  shell?: string;
  /** Not active here, but a start-up file loads it (a shell opened before the install, or it failed). */
  installedIn?: string;
}

export interface DoctorFacts {
  now: number;
  cwd: string;
  shellEnv: Env;
  /** The environment the `claude` process gets: the shell's with the settings `env` on top. */
  claudeEnv: Record<string, string>;
  claudeUserSettings: string;
  awsConfigFile: string;
  awsCredentialsFile: string;
  claude: ToolProbe;
  awsCli: ToolProbe;
  settings: ResolvedSettings;
  files: SettingsFileFacts[];
  claudeState: ClaudeStateFacts;
  profile: EffectiveValue & { value: string };
  region: EffectiveValue;
  /** The profile in effect as the AWS files define it; undefined when the files could not be read. */
  profileInfo?: ProfileInfo;
  /** Why the AWS config could not be read. */
  awsConfigError?: string;
  /** Every profile the AWS files define (for region hints and the last sign-in). */
  profiles: ProfileInfo[];
  session?: SessionFacts;
  lastSignIn?: LastSignInFacts;
  /** env.AWS_PROFILE of the nearest ignored ancestor `.claude/settings.json`, if it sets one. */
  ignoredProfile?: string;
  daemon: DaemonFacts;
  hook: HookFacts;
  /**
   * Two identities: our `awsCredentialExport` exports this profile (not the one in effect) for Bedrock.
   * `info` is undefined when the AWS files could not be read; `session` is the SSO session behind it.
   */
  bedrockExport?: { profile: string; info?: ProfileInfo; session?: SessionFacts };
  /** Legacy SSO profiles in use (here, in HOME, in known repos): `migrate` makes them refreshable. */
  legacyInUse?: string[];
  integration?: import('./integration-facts.js').IntegrationFacts;
}
