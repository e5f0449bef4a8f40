/** Existence tests that never throw: a missing path, a broken parent or no permission all read as false. */
import { promises as fsp } from 'node:fs';

/** The path resolves to something (links followed). */
export async function exists(file: string): Promise<boolean> {
  try {
    await fsp.stat(file);
    return true;
  } catch {
    return false;
  }
}

/** The directory entry itself is there, a dangling symlink included (links not followed). */
export async function entryExists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}
