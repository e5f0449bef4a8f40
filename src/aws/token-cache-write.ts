/**
 * The write side of the SSO token cache: compare-and-write of a refreshed token.
 *
 * - Our own refreshers (daemon, `refresh`, `login` in any process) hold the session's lock (`cacheLockFile`)
 *   from before CreateToken until the write, so two of ours never refresh one session at once, and the
 *   re-read / compare / rename sequence is atomic among them.
 * - The decision is made on what the file holds, not on expiry seconds: a refresh AWS answered rotated the
 *   refresh token we sent, so a file that still holds that consumed token is replaced, whatever its
 *   expiresAt says (an equal or later expiresAt there would otherwise keep a dead refresh token). A file
 *   that holds another refresh token was written by someone else after we read it (botocore's or the JS
 *   SDK's refresh, a new sign-in): theirs is kept. The same live refresh token on both sides (a service
 *   that does not rotate) keeps the later expiresAt.
 * - Other writers (botocore, the JS SDK) take no lock: the file is re-read just before the rename, and a
 *   change since we read it is judged again from the start.
 * - The file is replaced atomically (temp file in the same directory, fsync, rename), mode 0600, unknown
 *   fields kept, in botocore's exact format (`json.dumps`, `expiresAt` as `YYYY-MM-DDTHH:MM:SSZ`), which the
 *   JS SDK reads too.
 */

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { formatRfc3339Seconds } from '../core/rfc3339.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { tryAcquireLock, waitForRelease } from '../fs/lock.js';
import { readSsoToken } from './token-cache.js';

export interface NewToken {
  accessToken: string;
  expiresAt: number;
  refreshToken?: string;
}

export type WriteOutcome =
  | { status: 'written'; expiresAt: number }
  /** The file holds a token someone else obtained after ours was read (or, without `consumed`, a later
   * expiresAt): theirs is kept. */
  | { status: 'kept-newer'; onDisk: number }
  /** The file is gone or unusable now (signed out?): nothing written. */
  | { status: 'skipped'; reason: string };

/** Python's json.dumps with default separators (", " and ": "), ASCII-only, as botocore writes. */
export function botocoreJson(obj: Record<string, unknown>): string {
  const ascii = (s: string) =>
    s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const enc = (v: unknown): string => {
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) return `[${v.map(enc).join(', ')}]`;
      return `{${Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => `${ascii(JSON.stringify(k))}: ${enc(x)}`)
        .join(', ')}}`;
    }
    return ascii(JSON.stringify(v) ?? 'null');
  };
  return enc(obj);
}

/** Where our writers serialise (outside ~/.aws so no other tool sees it). */
export function cacheLockFile(lockDir: string, cacheFile: string): string {
  return join(lockDir, `cache-${createHash('sha1').update(cacheFile).digest('hex').slice(0, 16)}.lock`);
}

async function statKey(file: string): Promise<string | undefined> {
  try {
    const st = await fsp.stat(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return undefined;
  }
}

/**
 * Take the session's lock and write `next` (see the header for when the file is kept instead).
 * `consumedRefreshToken` is the refresh token sent to CreateToken; without it (no refresh behind the write)
 * the later expiresAt wins.
 */
export async function writeRefreshedToken(opts: {
  file: string;
  next: NewToken;
  consumedRefreshToken?: string;
  lockDir: string;
  now: () => number;
  /** How long to wait for another holder of the lock. Default 30 s. */
  waitMs?: number;
}): Promise<WriteOutcome> {
  const lockFile = cacheLockFile(opts.lockDir, opts.file);
  const deadline = performance.now() + (opts.waitMs ?? 30_000);
  for (;;) {
    const got = await tryAcquireLock(lockFile, `write ${basename(opts.file)}`, opts.now());
    if (got.acquired) {
      try {
        return await writeRefreshedTokenLocked(opts.file, opts.next, opts.consumedRefreshToken);
      } finally {
        await got.lock.release();
      }
    }
    const left = deadline - performance.now();
    if (left <= 0)
      return {
        status: 'skipped',
        reason: `another process (pid ${got.holder.pid}, ${got.holder.purpose}) keeps the cache file locked`,
      };
    await waitForRelease(lockFile, { timeoutMs: Math.min(left, 5_000), pollMs: 5 });
  }
}

/** The compare-and-write itself, for a caller that already holds the session's lock. */
export async function writeRefreshedTokenLocked(
  file: string,
  given: NewToken,
  consumed?: string,
): Promise<WriteOutcome> {
  // The file holds whole seconds (botocore's format): compare and report what will really be on disk.
  const next = { ...given, expiresAt: Math.floor(given.expiresAt / 1000) * 1000 };
  // A torn read (another tool writing without a rename) gets a second look before we give up on it.
  let read = await readSsoToken(file);
  for (let i = 0; i < 3 && read.status === 'corrupt'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    read = await readSsoToken(file);
  }
  if (read.status !== 'ok')
    return { status: 'skipped', reason: `the cache file is ${read.status}: ${read.reason}` };
  const onDisk = read.token.refreshToken;
  const after = next.refreshToken ?? consumed;
  const later = read.token.expiresAt >= next.expiresAt;
  // Only the tokens compare: the file's refresh token is live (ours or the same), dead (the one we
  // consumed), or someone else's newer one.
  const keep =
    consumed === undefined ? later : onDisk !== undefined && onDisk === after ? later : onDisk !== consumed;
  if (keep) return { status: 'kept-newer', onDisk: read.token.expiresAt };
  const before = await statKey(file);
  const body: Record<string, unknown> = { ...read.raw };
  body.accessToken = next.accessToken;
  body.expiresAt = formatRfc3339Seconds(next.expiresAt);
  if (next.refreshToken) body.refreshToken = next.refreshToken;
  const text = botocoreJson(body);
  // Last look, after the temp file is synced and just before the rename: a file that changed under us
  // is judged again from the start.
  const replaced = await atomicWriteFile(file, text, {
    mode: 0o600,
    beforeRename: async () => (await statKey(file)) === before,
  });
  if (!replaced) return writeRefreshedTokenLocked(file, next, consumed);
  return { status: 'written', expiresAt: next.expiresAt };
}
