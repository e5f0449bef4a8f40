/**
 * Before a refresh spends the refresh token: can the result be written (a read-only or full
 * `~/.aws/sso/cache` is found before CreateToken, not after), and are temp files left by one of our
 * writers killed with -9 (each holds a whole token) cleaned up. Only our own temp names are touched
 * (src/fs/atomic-write.ts's `.<name>.<pid>.<hex>.tmp`, src/fs/lock.ts's `.<lock>.<pid>.<hex>`), and
 * only when the pid that made them is gone or the file is old.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from '../errors.js';
import { isPidAlive } from '../fs/lock.js';

/** A temp file older than this belongs to no running write (writes take milliseconds). */
const TEMP_MAX_AGE_MS = 10 * 60_000;
/** About the size of a cache file, so a disk with no room for one is found. */
const PROBE_BYTES = 4096;

const OUR_CACHE_TEMP = /^\.[0-9a-f]{40}\.json\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const OUR_LOCK_TEMP = /^\.[a-z0-9-]+\.lock(?:\.stale)?\.(\d+)\.[0-9a-f]{8}$/;

async function cleanDir(dir: string, pattern: RegExp): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const p = join(dir, name);
    try {
      const st = await fsp.lstat(p);
      if (!st.isFile()) continue;
      const pid = Number(m[1]);
      // Our own pid: a write of this process may be under way (the daemon's other sessions).
      if (pid === process.pid && Date.now() - st.mtimeMs < TEMP_MAX_AGE_MS) continue;
      if (isPidAlive(pid) && Date.now() - st.mtimeMs < TEMP_MAX_AGE_MS) continue;
      await fsp.rm(p, { force: true });
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
}

export async function cleanStaleTemps(cacheFile: string, lockDir: string): Promise<void> {
  await cleanDir(dirname(cacheFile), OUR_CACHE_TEMP);
  await cleanDir(lockDir, OUR_LOCK_TEMP);
}

/** Undefined when a cache-file-sized write in the file's directory works; else why not, with the fix. */
export async function checkWritable(cacheFile: string): Promise<string | undefined> {
  const dir = dirname(cacheFile);
  const probe = join(dir, `.${basename(cacheFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const h = await fsp.open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await h.writeFile(Buffer.alloc(PROBE_BYTES, 32));
      await h.sync();
    } finally {
      await h.close();
    }
    return undefined;
  } catch (err) {
    return `the SSO token cache directory ${dir} cannot be written (${describeFsError(err)}), so a refreshed token could not be saved; nothing was sent to AWS; free space or fix the permissions of ${dir}, then run the command again`;
  } finally {
    await fsp.rm(probe, { force: true }).catch(() => {});
  }
}
