/**
 * One silent refresh of one SSO session: read the cache, CreateToken with the refresh token, compare-and-
 * write the result. Shared by the daemon, `refresh` and `login` (which tries this before any browser).
 */

import { loadAwsProfiles, profileInfo } from '../aws/profiles.js';
import { refreshSsoToken } from '../aws/refresh-token.js';
import { readSsoToken, ssoCacheId, tokenCacheFile } from '../aws/token-cache.js';
import { writeRefreshedToken } from '../aws/token-cache-write.js';
import type { Env } from '../context.js';
import type { ProfileInfo } from '../core/types.js';
import { BedrockProfileError } from '../errors.js';
import type { Paths } from '../platform/paths.js';
import type { DiscoveredSession } from './sessions.js';

export type SessionRefresh =
  | { outcome: 'refreshed'; expiresAt: number }
  /** Someone else wrote a token at least as new meanwhile; it is kept. `lostRace`: they refreshed first,
   * rotating the refresh token we sent, so AWS refused ours. */
  | { outcome: 'kept-newer'; expiresAt: number; lostRace?: true }
  /** The session is over: it ends at `expiresAt` (the current token's). */
  | {
      outcome: 'rejected';
      reason: 'invalid_grant' | 'registration-expired';
      detail: string;
      expiresAt: number;
    }
  | { outcome: 'not-refreshable'; reason: 'legacy' | 'not-refreshable'; expiresAt: number }
  /** Network, 5xx, throttling: try again later. */
  | { outcome: 'failed'; detail: string; expiresAt: number }
  /** No usable cache file. */
  | { outcome: 'no-token'; status: 'missing' | 'unreadable' | 'corrupt'; reason: string }
  | { outcome: 'skipped'; reason: string };

export interface RefreshDeps {
  env: Env;
  paths: Paths;
  now: () => number;
  /** Told about every secret read or received, so the log can redact it by value. */
  onSecret?: (value: string | undefined) => void;
  /** Per CreateToken attempt (default 15 s); the Claude Code hooks keep it short. */
  timeoutMs?: number;
}

export function lockDir(paths: Pick<Paths, 'stateDir'>): string {
  return `${paths.stateDir}/locks`;
}

export async function refreshSession(
  s: Pick<DiscoveredSession, 'file' | 'kind' | 'ssoRegion'>,
  deps: RefreshDeps,
): Promise<SessionRefresh> {
  const read = await readSsoToken(s.file);
  if (read.status !== 'ok') return { outcome: 'no-token', status: read.status, reason: read.reason };
  const t = read.token;
  deps.onSecret?.(t.accessToken);
  deps.onSecret?.(t.refreshToken);
  deps.onSecret?.(t.clientSecret);
  if (s.kind === 'legacy-sso')
    return { outcome: 'not-refreshable', reason: 'legacy', expiresAt: t.expiresAt };
  if (!t.refreshToken || !t.clientId || !t.clientSecret) {
    return { outcome: 'not-refreshable', reason: 'not-refreshable', expiresAt: t.expiresAt };
  }
  const r = await refreshSsoToken({
    token: t,
    region: s.ssoRegion,
    env: deps.env,
    now: deps.now,
    ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
  });
  if (r.status === 'rejected') {
    const newer = await newerTokenOnDisk(s.file, t, deps);
    if (newer !== undefined) return { outcome: 'kept-newer', expiresAt: newer, lostRace: true };
    return { outcome: 'rejected', reason: r.reason, detail: r.detail, expiresAt: t.expiresAt };
  }
  if (r.status === 'failed') return { outcome: 'failed', detail: r.detail, expiresAt: t.expiresAt };
  deps.onSecret?.(r.accessToken);
  deps.onSecret?.(r.refreshToken);
  const w = await writeRefreshedToken({ file: s.file, next: r, lockDir: lockDir(deps.paths), now: deps.now });
  if (w.status === 'written') return { outcome: 'refreshed', expiresAt: w.expiresAt };
  if (w.status === 'kept-newer') return { outcome: 'kept-newer', expiresAt: w.onDisk };
  return { outcome: 'skipped', reason: w.reason };
}

/**
 * After a rejection: did another writer (botocore, the JS SDK, our own `refresh`) refresh the session
 * while our CreateToken was in flight? Then the refresh token we sent was rotated away and the file holds
 * a later token (or another refresh token): the session is fine. Its expiry, or undefined.
 */
async function newerTokenOnDisk(
  file: string,
  before: { expiresAt: number; refreshToken?: string },
  deps: RefreshDeps,
): Promise<number | undefined> {
  const again = await readSsoToken(file);
  if (again.status !== 'ok') return undefined;
  const n = again.token;
  deps.onSecret?.(n.accessToken);
  deps.onSecret?.(n.refreshToken);
  deps.onSecret?.(n.clientSecret);
  if (n.expiresAt > before.expiresAt || (n.refreshToken && n.refreshToken !== before.refreshToken))
    return n.expiresAt;
  return undefined;
}

/** The SSO session behind one profile, or a typed error that says why there is none. */
export async function sessionOfProfile(
  paths: Paths,
  profile: string,
): Promise<{ info: ProfileInfo; session?: DiscoveredSession }> {
  const model = await loadAwsProfiles(paths);
  const info = profileInfo(model, profile);
  if (info.kind === 'missing') {
    throw new BedrockProfileError(
      `there is no profile "${profile}" in ${paths.awsConfigFile} or ${paths.awsCredentialsFile}; create it with "aws configure sso --profile ${profile}" or pick another with --profile`,
    );
  }
  const id = ssoCacheId(info);
  if (id === undefined || (info.kind !== 'sso' && info.kind !== 'legacy-sso')) return { info };
  return {
    info,
    session: {
      key: id,
      kind: info.kind,
      profiles: [profile],
      ...(info.ssoRegion ? { ssoRegion: info.ssoRegion } : {}),
      file: tokenCacheFile(paths.ssoCacheDir, id),
    },
  };
}
