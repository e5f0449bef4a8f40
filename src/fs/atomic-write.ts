/**
 * Atomic file replacement: write a temp file in the same directory, fsync it, rename over the target,
 * fsync the directory. A reader sees the old file or the new one, never a torn one. The mode is kept
 * (or set explicitly, e.g. 0600 for token caches).
 */

import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode for the new file. Default: the existing file's mode, else 0o644. */
  mode?: number;
  /** Create the parent directory (with this mode) when missing. */
  mkdirMode?: number;
  /**
   * Called after the temp file is complete and synced, just before the rename: return false to abandon
   * the write (compare-and-write callers re-check the target here, keeping their race window minimal).
   */
  beforeRename?: () => Promise<boolean>;
  /** Set the new file's access and modification time (ms since epoch) on the temp file, before the rename. */
  mtimeMs?: number;
}

/** Resolves true when the file was replaced, false when `beforeRename` abandoned the write. */
export async function atomicWriteFile(
  file: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<boolean> {
  const dir = dirname(file);
  if (opts.mkdirMode !== undefined) await fsp.mkdir(dir, { recursive: true, mode: opts.mkdirMode });
  let mode = opts.mode;
  if (mode === undefined) {
    try {
      mode = (await fsp.stat(file)).mode & 0o7777;
    } catch {
      mode = 0o644;
    }
  }
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    try {
      await handle.writeFile(data);
      // The umask may have narrowed the mode given to open(); set it exactly.
      await handle.chmod(mode);
      // On the open file, never by path: a path could be swapped for a link after the rename.
      if (opts.mtimeMs !== undefined) await handle.utimes(opts.mtimeMs / 1000, opts.mtimeMs / 1000);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (opts.beforeRename && !(await opts.beforeRename())) {
      await fsp.rm(tmp, { force: true });
      return false;
    }
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  try {
    const dh = await fsp.open(dir, constants.O_RDONLY);
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
  return true;
}
