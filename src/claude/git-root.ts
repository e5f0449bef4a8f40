/**
 * Find the git work tree root without spawning git: walk up from a directory looking for `.git`, a
 * directory (a normal clone) or a file (worktrees, submodules), as git's discovery does. Bounded, and
 * stops at the filesystem root. GIT_DIR / GIT_CEILING_DIRECTORIES are not honoured (documented).
 */
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';

/** No real tree is this deep; the bound keeps a pathological path from looping. */
export const MAX_WALK_UP = 256;

/** `dir` and its ancestors, nearest first, ending at the filesystem root. */
export function ancestorsInclusive(dir: string): string[] {
  const out: string[] = [];
  let current = dir;
  for (let i = 0; i < MAX_WALK_UP; i++) {
    out.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return out;
}

async function hasGitEntry(dir: string): Promise<boolean> {
  try {
    const st = await fsp.stat(join(dir, '.git'));
    return st.isDirectory() || st.isFile();
  } catch {
    // Missing, or unreadable: git would not see a repo there either.
    return false;
  }
}

/** The nearest directory at or above `start` that holds a `.git` entry, or undefined. */
export async function findGitRoot(start: string): Promise<string | undefined> {
  for (const dir of ancestorsInclusive(start)) {
    if (await hasGitEntry(dir)) return dir;
  }
  return undefined;
}
