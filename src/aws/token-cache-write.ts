/**
 * The write side of the SSO token cache: compare-and-write of a refreshed token.
 *
 * - Our own writers (daemon, `refresh`, `login` in any process) take a per-file lock, so among them the
 *   re-read / compare / rename sequence is atomic.
 * - Other writers (botocore and the JS SDK refresh the same file without any lock) are handled by re-reading
 *   just before the rename: if the file changed since we read it and now holds a later expiresAt, we keep
 *   theirs. What is left is the microseconds between that last check and the rename.
 * - The file is replaced atomically (temp file in the same directory, fsync, rename), mode 0600, unknown
 *   fields kept, in botocore's exact format (`json.dumps`, `expiresAt` as `YYYY-MM-DDTHH:MM:SSZ`), which the
 *   JS SDK reads too.
 */

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { formatRfc3339Seconds } from '../core/rfc3339.js';
import { tryAcquireLock, waitForRelease } from '../daemon/lock.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { readSsoToken } from './token-cache.js';

export interface NewToken {
  accessToken: string;
  expiresAt: number;
  refreshToken?: string;
}

export type WriteOutcome =
  | { status: 'written'; expiresAt: number }
  /** The file holds a later expiresAt (someone else refreshed): theirs is kept. */
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
 * Write `next` into `file` unless the file meanwhile got a later expiresAt. `basedOnAccessToken` is the
 * token we refreshed from: a file that still holds it is ours to replace.
 */
export async function writeRefreshedToken(opts: {
  file: string;
  next: NewToken;
  lockDir: string;
  now: () => number;
}): Promise<WriteOutcome> {
  const lockFile = cacheLockFile(opts.lockDir, opts.file);
  for (let attempt = 0; ; attempt++) {
    const got = await tryAcquireLock(lockFile, `write ${basename(opts.file)}`, opts.now());
    if (got.acquired) {
      try {
        return await compareAndWrite(opts.file, opts.next);
      } finally {
        await got.lock.release();
      }
    }
    if (attempt >= 20)
      return {
        status: 'skipped',
        reason: `another process (pid ${got.holder.pid}) keeps the cache file locked`,
      };
    await waitForRelease(lockFile, { timeoutMs: 5_000, pollMs: 5 });
  }
}

async function compareAndWrite(file: string, given: NewToken): Promise<WriteOutcome> {
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
  if (read.token.expiresAt >= next.expiresAt) return { status: 'kept-newer', onDisk: read.token.expiresAt };
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
  if (!replaced) return compareAndWrite(file, next);
  return { status: 'written', expiresAt: next.expiresAt };
}
