/**
 * Our own directories (cache, state, logs, and records/stamps/locks in them) are ours: created 0700 and
 * checked on every use by the code that reads or writes them. Another local user who created one first
 * (a shared `XDG_CACHE_HOME=/tmp/$USER` setup, some CI runners) could otherwise plant a record that
 * switches AWS_PROFILE, a trust entry, or a symlink that turns our writes and deletions onto the victim's
 * files. Checked with lstat (a symlink is refused, never followed): owner is the current user, not group-
 * or world-writable, a directory. Files in them are opened with O_NOFOLLOW and must be ours too
 * (readOwnedTextFile). docs/security.md has the threat model.
 */
import { closeSync, constants, promises as fsp, fstatSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { shellArg } from '../core/shell-quote.js';
import { describeFsError, FileAccessError, UnsafePathError } from '../errors.js';
import { readTextFileFrom } from './read-text-file.js';

/** The uid we run as; undefined where there is none (Windows), where nothing is checked. */
const myUid = (): number | undefined => process.getuid?.();

/** Why `st` (from lstat) is not a directory we may trust, or undefined when it is one. */
export function unsafeDirReason(st: {
  isSymbolicLink(): boolean;
  isDirectory(): boolean;
  uid: number;
  mode: number;
}): string | undefined {
  if (st.isSymbolicLink()) return 'is a symbolic link, not our directory';
  if (!st.isDirectory()) return 'is not a directory';
  const uid = myUid();
  if (uid !== undefined && st.uid !== uid) return `is owned by another user (uid ${st.uid}, you are ${uid})`;
  if (st.mode & 0o022)
    return `is writable by ${st.mode & 0o002 ? 'every user' : 'its group'} (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

function unsafeDir(dir: string, reason: string, st?: { uid: number; mode: number }): UnsafePathError {
  let fix: string;
  if (reason.startsWith('is writable'))
    fix = `make it private (chmod 700 ${shellArg(dir)}) and run the command again`;
  else if (st && st.uid !== myUid() && !removableByUs(dir, st))
    // Another user's, in a directory we cannot remove it from (a sticky /tmp, theirs): say who can.
    fix = `have its owner (uid ${st.uid}) or root remove it, or set XDG_CACHE_HOME and XDG_STATE_HOME to directories of your own, and run the command again`;
  else
    fix = `remove it (rm -rf ${shellArg(dir)}; bedrock-profile makes it again, mode 700) and run the command again`;
  return new UnsafePathError(dir, reason, fix);
}

/** Could `rm -rf dir` work for us: its parent ours and not sticky, the directory itself writable by all. */
function removableByUs(dir: string, st: { mode: number }): boolean {
  try {
    const parent = lstatSync(dirname(dir));
    return parent.uid === myUid() && (parent.mode & 0o1000) === 0 && (st.mode & 0o002) !== 0;
  } catch {
    return false;
  }
}

/**
 * Check one of our directories. `create`: make it (and its missing parents) with mode 0700 first.
 * Returns false when it does not exist (and was not to be created); throws UnsafePathError when it
 * exists and is not ours.
 */
export async function ownedDir(dir: string, opts: { create?: boolean } = {}): Promise<boolean> {
  if (opts.create) await fsp.mkdir(dir, { recursive: true, mode: 0o700 }).catch(ignoreExists);
  let st: Awaited<ReturnType<typeof fsp.lstat>>;
  try {
    st = await fsp.lstat(dir);
  } catch (err) {
    if (isMissing(err)) return false;
    throw new FileAccessError(dir, describeFsError(err), 'check the directory and its permissions');
  }
  const reason = unsafeDirReason(st);
  if (reason) throw unsafeDir(dir, reason, st);
  return true;
}

/** Synchronous twin (the daemon's log file opens synchronously). */
export function ownedDirSync(dir: string, opts: { create?: boolean } = {}): boolean {
  if (opts.create) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      ignoreExists(err);
    }
  }
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(dir);
  } catch (err) {
    if (isMissing(err)) return false;
    throw new FileAccessError(dir, describeFsError(err), 'check the directory and its permissions');
  }
  const reason = unsafeDirReason(st);
  if (reason) throw unsafeDir(dir, reason, st);
  return true;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** mkdir's EEXIST (a file or link in the way) is judged by the lstat that follows. */
function ignoreExists(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
}

/** O_NOFOLLOW: a symlink planted in place of one of our files fails to open (ELOOP) instead of being read. */
export const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function notOurs(file: string, reason: string): UnsafePathError {
  return new UnsafePathError(file, reason, `remove it (rm -f ${shellArg(file)}) and run the command again`);
}

/**
 * Read a file of ours (trust list, known repos, daemon state, records) from one of our directories: the
 * directory checked (ownedDir), the file opened without following a symlink and owned by us. Undefined
 * when the directory or the file does not exist.
 */
export async function readOwnedTextFile(
  file: string,
  dir: string,
  maxBytes?: number,
): Promise<string | undefined> {
  if (!(await ownedDir(dir))) return undefined;
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, constants.O_RDONLY | constants.O_NONBLOCK | NOFOLLOW);
  } catch (err) {
    if (isMissing(err)) return undefined;
    if ((err as NodeJS.ErrnoException).code === 'ELOOP')
      throw notOurs(file, 'is a symbolic link, not our file');
    throw new FileAccessError(file, describeFsError(err), 'check the file and its permissions');
  }
  try {
    const st = await handle.stat();
    const uid = myUid();
    if (uid !== undefined && st.uid !== uid) throw notOurs(file, `is owned by another user (uid ${st.uid})`);
    return await readTextFileFrom(handle, file, maxBytes);
  } finally {
    await handle.close();
  }
}

/**
 * Open a file of ours for appending (the daemon log): never through a symlink, only a regular file
 * owned by us, created 0600.
 */
export function openOwnedAppendSync(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP')
      throw notOurs(file, 'is a symbolic link, not our file');
    throw err;
  }
  const st = fstatSync(fd);
  const uid = myUid();
  const reason = !st.isFile()
    ? 'is not a regular file'
    : uid !== undefined && st.uid !== uid
      ? `is owned by another user (uid ${st.uid})`
      : undefined;
  if (reason) {
    closeSync(fd);
    throw notOurs(file, reason);
  }
  return fd;
}
