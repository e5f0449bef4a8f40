/**
 * The shape `bedrock-profile status --json` prints (documented in README.md; fields are only ever added).
 * The human rendering is built from this same object, so the two never disagree.
 */
import type { ValueScope } from '../core/effective-profile.js';
import type { Consumer, ProfileKind, SettingsFileState, StrayFinding } from '../core/types.js';
import type { SessionEndJson } from './session-end-json.js';

export const STATUS_SCHEMA_VERSION = 1;

export interface SourceJson {
  /** managed | local | project | user (a settings file), shell, default (the SDK's fallback profile),
   * aws-config (a profile's setting in the AWS files: the region), claude-default (Claude Code's own
   * fallback: us-east-1 for the region), unset. */
  scope: ValueScope;
  file: string | null;
  /** Only when the value came from another variable than the field's own (region: AWS_DEFAULT_REGION). */
  variable?: string;
}

export interface SourcedJson {
  value: string | null;
  source: SourceJson;
}

/** `unsigned`: CLAUDE_CODE_SKIP_BEDROCK_AUTH, Claude Code signs nothing (a gateway does). */
export type AuthKind = 'profile' | 'bearer-token' | 'env-keys' | 'unsigned';

export type SessionStatus = 'valid' | 'expiring' | 'expired' | 'missing' | 'invalid' | 'not-sso';

export interface SessionJson {
  status: SessionStatus;
  /** The SSO profile whose session this is (the effective profile, or the SSO source of a role chain). */
  profile: string | null;
  /** ISO 8601 (UTC) or null. */
  expiresAt: string | null;
  /** Milliseconds left at the time of the report (negative once expired), or null. */
  msLeft: number | null;
  refreshable: boolean;
  registrationExpiresAt: string | null;
  cacheFile: string | null;
  /** Why the session is missing/invalid, in words. Never a token. */
  reason: string | null;
  /** The SSO session's real end (not the access token's), for SSO profiles (docs/session.md). */
  end?: SessionEndJson;
  /** The daemon saw AWS refuse to refresh this token: it ends at expiresAt (absent: no refusal known). */
  refused?: { reason: string; at: string | null };
}

/** Filled by the daemon helper (src/daemon/daemon-state.ts); absent until then. */
export interface DaemonSessionJson {
  name: string;
  lastRefresh: string | null;
  /** The next step in words (kept for scripts); `next` is the same, structured. */
  nextAction: string | null;
  /** The profiles the session serves. */
  profiles?: string[];
  /** refresh | retry | notify | ended | login, and when (ISO 8601). */
  next?: { action: string; at: string } | null;
  /** Why it cannot be refreshed: invalid_grant, registration-expired (AWS refused), not-refreshable, legacy. */
  endsBecause?: string | null;
  /** When AWS refused the refresh of this token. */
  refusedAt?: string | null;
  /** The token the daemon judged (ISO 8601): its refusal is about this token only. */
  expiresAt?: string | null;
}
export interface DaemonJson {
  running: boolean;
  pid: number | null;
  /** Tokens AWS refused to refresh, remembered by the daemon (running or not). */
  refused?: Array<{ session: string; reason: string; at: string; expiresAt: string | null }>;
  sessions: DaemonSessionJson[];
}

/** Two identities (docs/two-identities.md): Bedrock signed through `bedrock-profile export --profile P`. */
export interface IdentitiesJson {
  bedrock: {
    profile: string;
    /** From the AWS config (SSO account id, role ARN), null when it does not say. */
    account: string | null;
    kind: ProfileKind | null;
    /** The SSO session behind the Bedrock profile. */
    session: SessionJson;
  };
  /** What the agent's Bash tool and MCP servers get: the `profile` above. */
  agent: { profile: string; account: string | null };
}

export interface StatusReport {
  schema: typeof STATUS_SCHEMA_VERSION;
  cwd: string;
  gitRoot: string | null;
  /** CLAUDE_CODE_USE_BEDROCK as Claude Code started here sees it. */
  /** `mantle`: CLAUDE_CODE_USE_MANTLE (Bedrock's Messages API on bedrock-mantle; used when
   * CLAUDE_CODE_USE_BEDROCK is off). */
  bedrock: { enabled: boolean; value: string | null; source: SourceJson; mantle?: SourcedJson };
  profile: {
    name: string;
    source: SourceJson;
    /** null when the AWS config could not be read. */
    kind: ProfileKind | null;
    definedIn: string[];
  };
  /** The region Claude Code signs its Bedrock calls for (AWS_REGION, AWS_DEFAULT_REGION, the profile's
   * region, else us-east-1; Claude Code >= 2.1.172). */
  region: SourcedJson;
  model: SourcedJson | null;
  auth: {
    kind: AuthKind;
    awsAuthRefresh: SourcedJson | null;
    awsCredentialExport: SourcedJson | null;
  };
  session: SessionJson;
  stray: Array<Pick<StrayFinding, 'name' | 'explanation' | 'fix' | 'severity'> & { consumers: Consumer[] }>;
  /** Claude Code started in a subdirectory of cwd (no .claude/settings.json there). */
  subdirectory: { profile: { name: string; source: SourceJson }; region: SourcedJson };
  /** `.claude/settings.json` files above cwd (up to the git root) that Claude Code started here ignores. */
  ignoredAncestorSettings: string[];
  settingsFiles: Array<Omit<SettingsFileState, 'error'> & { error: string | null }>;
  /** One line each: skipped settings values, an unreadable AWS config, a missing AWS_REGION. */
  notes: string[];
  daemon?: DaemonJson;
  /** Present only when Claude Code signs Bedrock with another profile than the agent's commands use. */
  identities?: IdentitiesJson;
}
