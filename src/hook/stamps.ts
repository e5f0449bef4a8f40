/**
 * Shell stamps: `<cache>/bedrock-profile/stamps/<host>.<pid>`, one small file per interactive zsh, bash
 * or fish, written by the hook (a builtin redirection, no fork) before it reads a record whenever the
 * records directory is not already older than it. The prompt's fast path compares the records directory
 * with it (`-ot`): a record renamed into place after the stamp makes the directory at least as new, and
 * the hook takes the full look. A hook cannot make a directory without a fork, so the record writer
 * makes this one, and prunes stamps no shell has written for a day. Pruning a live shell's stamp is
 * harmless: its next prompt takes the full look and writes the stamp again.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { UnsafePathError } from '../errors.js';
import { ownedDir } from '../fs/owned-dir.js';

/** A stamp untouched this long belongs to a shell that has gone (or is idle: it writes it again). */
export const STAMP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Which of the stamps (name → mtime in ms) to delete at `now`. Pure. */
export function staleStamps(
  stamps: ReadonlyMap<string, number>,
  now: number,
  maxAgeMs = STAMP_MAX_AGE_MS,
): string[] {
  return [...stamps].filter(([, mtime]) => now - mtime > maxAgeMs).map(([name]) => name);
}

/**
 * A stamp's name: `<host>.<pid>` as the hooks write it (zsh `$HOST`, bash `$HOSTNAME`, fish `$hostname`).
 * Pruning deletes nothing else: only regular files of ours with this name and one link.
 */
export const STAMP_NAME = /^[A-Za-z0-9._-]*\.[0-9]{1,10}$/;

/**
 * Make the stamps directory (0700) and delete stale stamps. Throws UnsafePathError when the directory is
 * not ours (a link, another user's: pruning through it would delete their choice of files); any other
 * trouble is swallowed: stamps only save work.
 */
export async function prepareStamps(dir: string, now: number): Promise<void> {
  try {
    await ownedDir(dir, { create: true });
  } catch (err) {
    // A plain file in the way only costs the fast path; a link or another user's directory is refused.
    if (err instanceof UnsafePathError && err.reason !== 'is not a directory') throw err;
    return;
  }
  try {
    const names = (await fsp.readdir(dir)).filter((name) => STAMP_NAME.test(name));
    const uid = process.getuid?.();
    const stamps = new Map<string, number>();
    await Promise.all(
      names.map(async (name) => {
        const st = await fsp.lstat(join(dir, name)).catch(() => undefined);
        if (st?.isFile() && st.nlink === 1 && (uid === undefined || st.uid === uid))
          stamps.set(name, st.mtimeMs);
      }),
    );
    await Promise.all(staleStamps(stamps, now).map((name) => fsp.unlink(join(dir, name)).catch(() => {})));
  } catch {
    // A read-only cache or a file in the way: the hooks fall back to reading the record's first line.
  }
}
