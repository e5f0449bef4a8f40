/**
 * A pid lock file: one daemon per user, one refresh and one sign-in per session. The file is created
 * complete and atomically (written to a temp file, then hard-linked into place, which fails when the lock
 * exists), holds the owner's pid, the owner process's start (src/platform/process-start.ts) and a random
 * token, and is taken over when its owner is gone: no process with that pid, or a process with that pid
 * that started at another time (the pid was reused after a crash or a power loss).
 */

import { randomBytes } from 'node:crypto';
import { constants, promises as fsp, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError, FileAccessError } from '../errors.js';
import { ownProcessStart, processStart } from '../platform/process-start.js';
import { NOFOLLOW, ownedDir } from './owned-dir.js';

export interface LockInfo {
  pid: number;
  /** ms since epoch */
  startedAt: number;
  /** What holds it: "daemon", "login dev"... shown to the one that has to wait. */
  purpose: string;
  token: string;
  /** The owner process's start (opaque); absent in locks written before it was recorded. */
  procStart?: string;
}

export interface HeldLock {
  file: string;
  info: LockInfo;
  release(): Promise<void>;
}

export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; holder: LockInfo };

/** Is a process with this pid running? EPERM means it runs under another user: alive. */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock without a recorded process start (an older version wrote it): is its pid one of ours? */
function looksLikeOurs(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('bedrock-profile');
  } catch {
    // No /proc (macOS) or not readable: the pid is all we have.
    return true;
  }
}

/**
 * Does the process that wrote this lock still run? The pid must be alive and, when the lock recorded it,
 * the process must have started when the owner did; an unrelated process that got the pid never holds it.
 */
export function isHolderAlive(info: Pick<LockInfo, 'pid' | 'procStart'>): boolean {
  if (!isPidAlive(info.pid)) return false;
  if (info.procStart === undefined) return looksLikeOurs(info.pid);
  const now = processStart(info.pid);
  // Unreadable (another user's process under hidepid): alive, as the pid says.
  return now === undefined || now === info.procStart;
}

export async function readLock(file: string): Promise<LockInfo | undefined | 'garbage'> {
  let text: string;
  try {
    // Never through a link planted in place of the lock.
    text = await fsp.readFile(file, { encoding: 'utf8', flag: constants.O_RDONLY | NOFOLLOW });
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.token === 'string') {
      return {
        pid: v.pid,
        startedAt: Number(v.startedAt) || 0,
        purpose: String(v.purpose ?? '').slice(0, 200),
        token: v.token,
        ...(typeof v.procStart === 'string' ? { procStart: v.procStart.slice(0, 200) } : {}),
      };
    }
  } catch {
    // fall through
  }
  return 'garbage';
}

function tmpName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

export async function tryAcquireLock(file: string, purpose: string, now: number): Promise<LockAttempt> {
  // Our state directory (or its locks/): a lock planted by another user, or a link, is never honoured.
  await ownedDir(dirname(file), { create: true });
  const procStart = ownProcessStart();
  const info: LockInfo = {
    pid: process.pid,
    startedAt: now,
    purpose,
    token: randomBytes(8).toString('hex'),
    ...(procStart ? { procStart } : {}),
  };
  const tmp = tmpName(file);
  try {
    await fsp.writeFile(tmp, `${JSON.stringify(info)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Disk full, EFBIG: the temp file may exist (empty); never leave it, and name the lock, not `write`.
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw new FileAccessError(
      file,
      describeFsError(err),
      'free space or fix the permissions and run the command again',
    );
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await fsp.link(tmp, file);
        return { acquired: true, lock: makeHeld(file, info) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = await readLock(file);
      if (holder === undefined) continue; // released meanwhile: try again
      if (holder !== 'garbage' && isHolderAlive(holder)) return { acquired: false, holder };
      // Stale (owner gone) or garbage: move it aside, and make sure what we moved is the stale one.
      const aside = tmpName(`${file}.stale`);
      try {
        await fsp.rename(file, aside);
      } catch {
        continue;
      }
      const moved = await readLock(aside);
      if (moved !== undefined && moved !== 'garbage' && isHolderAlive(moved)) {
        // We raced with a process that took the lock just now: put it back.
        await fsp.link(aside, file).catch(() => {});
        await fsp.rm(aside, { force: true });
        return { acquired: false, holder: moved };
      }
      await fsp.rm(aside, { force: true });
    }
    const holder = await readLock(file);
    return {
      acquired: false,
      holder:
        holder && holder !== 'garbage' ? holder : { pid: 0, startedAt: 0, purpose: 'unknown', token: '' },
    };
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

function makeHeld(file: string, info: LockInfo): HeldLock {
  let released = false;
  return {
    file,
    info,
    async release() {
      if (released) return;
      released = true;
      const current = await readLock(file);
      // Only remove our own lock, never one a later owner took over.
      if (current && current !== 'garbage' && current.token === info.token)
        await fsp.rm(file, { force: true });
    },
  };
}

/** Wait until the lock is free (or its owner died). Resolves false on timeout or when `signal` aborts. */
export async function waitForRelease(
  file: string,
  opts: { timeoutMs: number; pollMs?: number; signal?: AbortSignal },
): Promise<boolean> {
  const deadline = performance.now() + opts.timeoutMs;
  while (performance.now() < deadline) {
    if (opts.signal?.aborted) return false;
    const holder = await readLock(file);
    if (holder === undefined || holder === 'garbage' || !isHolderAlive(holder)) return true;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
  return false;
}
