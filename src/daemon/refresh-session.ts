/**
 * One silent refresh of one SSO session: take the session's lock, read the cache, check that the result
 * can be written, CreateToken with the refresh token, compare-and-write the result, release. Shared by the
 * daemon, `refresh` and `login` (which tries this before any browser). A second refresher of ours waits for
 * the lock and uses the first one's result instead of spending the refresh token again.
 */

import { checkWritable, cleanStaleTemps } from '../aws/cache-dir-hygiene.js';
import { type Deadlines, deadlinesFromEnv } from '../aws/deadline-handler.js';
import { loadAwsProfiles, profileInfo } from '../aws/profiles.js';
import { type FailureKind, refreshSsoToken } from '../aws/refresh-token.js';
import { readSsoToken, ssoCacheId, tokenCacheFile } from '../aws/token-cache.js';
import { cacheLockFile, writeRefreshedTokenLocked } from '../aws/token-cache-write.js';
import type { Env } from '../context.js';
import { shellArg } from '../core/shell-quote.js';
import type { ProfileInfo } from '../core/types.js';
import { BedrockProfileError } from '../errors.js';
import { tryAcquireLock, waitForRelease } from '../fs/lock.js';
import type { Paths } from '../platform/paths.js';
import type { DiscoveredSession } from './sessions.js';

export type SessionRefresh =
  | { outcome: 'refreshed'; expiresAt: number; note?: string }
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
  /** Network, 5xx, throttling, a deadline: try again later. */
  | { outcome: 'failed'; kind: FailureKind; detail: string; expiresAt: number }
  /** No usable cache file. */
  | { outcome: 'no-token'; status: 'missing' | 'unreadable' | 'corrupt'; reason: string }
  /** Nothing was sent to AWS, or the answer could not be written: `reason` says why and what to do. */
  | { outcome: 'skipped'; reason: string; expiresAt?: number };

export interface RefreshDeps {
  env: Env;
  paths: Paths;
  now: () => number;
  /** Told about every secret read or received, so the log can redact it by value. */
  onSecret?: (value: string | undefined) => void;
  /** Stop waiting and abort the request (the daemon stopping, Ctrl-C). */
  signal?: AbortSignal;
  deadlines?: Deadlines;
}

/** A refresher of ours that holds the session's lock is done within its deadline; this is the margin. */
const LOCK_WAIT_MARGIN_MS = 5_000;
/** After invalid_grant, how long another tool's refresh (which won the race at AWS) gets to land on disk. */
const RACE_SETTLE_MS = 2_000;

export function lockDir(paths: Pick<Paths, 'stateDir'>): string {
  return `${paths.stateDir}/locks`;
}

export async function refreshSession(
  s: Pick<DiscoveredSession, 'file' | 'kind' | 'ssoRegion'>,
  deps: RefreshDeps,
): Promise<SessionRefresh> {
  const first = await readSsoToken(s.file);
  if (first.status !== 'ok') return { outcome: 'no-token', status: first.status, reason: first.reason };
  const t0 = first.token;
  deps.onSecret?.(t0.accessToken);
  deps.onSecret?.(t0.refreshToken);
  deps.onSecret?.(t0.clientSecret);
  if (s.kind === 'legacy-sso')
    return { outcome: 'not-refreshable', reason: 'legacy', expiresAt: t0.expiresAt };
  if (!t0.refreshToken || !t0.clientId || !t0.clientSecret) {
    return { outcome: 'not-refreshable', reason: 'not-refreshable', expiresAt: t0.expiresAt };
  }
  const deadlines = deps.deadlines ?? deadlinesFromEnv(deps.env);
  // The lock is taken before AWS is asked: the refresh token is spent once, by one of us.
  const lockFile = cacheLockFile(lockDir(deps.paths), s.file);
  const waitUntil = performance.now() + deadlines.totalMs + LOCK_WAIT_MARGIN_MS;
  let waited = false;
  for (;;) {
    const got = await tryAcquireLock(lockFile, 'refresh', deps.now());
    if (got.acquired) {
      try {
        if (waited) {
          // Another refresher of ours ran meanwhile: use its result.
          const theirs = await newerTokenOnDisk(s.file, t0, deps);
          if (theirs !== undefined) return { outcome: 'kept-newer', expiresAt: theirs };
        }
        return await refreshLocked(s, deps, deadlines);
      } finally {
        await got.lock.release();
      }
    }
    waited = true;
    const left = waitUntil - performance.now();
    if (left <= 0 || deps.signal?.aborted)
      return {
        outcome: 'skipped',
        reason: `another process (pid ${got.holder.pid}, ${got.holder.purpose}) is refreshing this SSO session and has not finished`,
        expiresAt: t0.expiresAt,
      };
    await waitForRelease(lockFile, {
      timeoutMs: left,
      pollMs: 25,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  }
}

async function refreshLocked(
  s: Pick<DiscoveredSession, 'file' | 'kind' | 'ssoRegion'>,
  deps: RefreshDeps,
  deadlines: Deadlines,
): Promise<SessionRefresh> {
  // Read again under the lock: what another refresher wrote before we got it is what we refresh from.
  const read = await readSsoToken(s.file);
  if (read.status !== 'ok') return { outcome: 'no-token', status: read.status, reason: read.reason };
  const t = read.token;
  deps.onSecret?.(t.accessToken);
  deps.onSecret?.(t.refreshToken);
  deps.onSecret?.(t.clientSecret);
  if (!t.refreshToken || !t.clientId || !t.clientSecret)
    return { outcome: 'not-refreshable', reason: 'not-refreshable', expiresAt: t.expiresAt };
  await cleanStaleTemps(s.file, lockDir(deps.paths));
  // A read-only or full cache directory is found now, before CreateToken spends the refresh token.
  const cannot = await checkWritable(s.file);
  if (cannot) return { outcome: 'skipped', reason: cannot, expiresAt: t.expiresAt };
  const r = await refreshSsoToken({
    token: t,
    region: s.ssoRegion,
    env: deps.env,
    now: deps.now,
    deadlines,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (r.status === 'rejected') {
    const newer = await newerTokenOnDisk(s.file, t, deps, RACE_SETTLE_MS);
    if (newer !== undefined) return { outcome: 'kept-newer', expiresAt: newer, lostRace: true };
    return { outcome: 'rejected', reason: r.reason, detail: r.detail, expiresAt: t.expiresAt };
  }
  if (r.status === 'failed')
    return { outcome: 'failed', kind: r.kind, detail: r.detail, expiresAt: t.expiresAt };
  deps.onSecret?.(r.accessToken);
  deps.onSecret?.(r.refreshToken);
  const w = await writeRefreshedTokenLocked(s.file, r, t.refreshToken);
  if (w.status === 'written')
    return { outcome: 'refreshed', expiresAt: w.expiresAt, ...(r.note ? { note: r.note } : {}) };
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
  settleMs = 0,
): Promise<number | undefined> {
  const until = performance.now() + settleMs;
  for (;;) {
    const again = await readSsoToken(file);
    if (again.status === 'ok') {
      const n = again.token;
      deps.onSecret?.(n.accessToken);
      deps.onSecret?.(n.refreshToken);
      deps.onSecret?.(n.clientSecret);
      if (n.expiresAt > before.expiresAt || (n.refreshToken && n.refreshToken !== before.refreshToken))
        return n.expiresAt;
    }
    if (performance.now() >= until || deps.signal?.aborted) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
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
      `there is no profile "${profile}" in ${paths.awsConfigFile} or ${paths.awsCredentialsFile}; create it with "aws configure sso --profile ${shellArg(profile)}" or pick another with --profile`,
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
