/**
 * The launch context of a directory, as the shell hooks find it with builtins (the shells mirror this
 * walk; test/shell checks they agree): the nearest directory at or above `start` that has a
 * `.claude/settings.json` (any kind of entry, so a FIFO or a broken link is still reported), not above
 * the git root; inside HOME outside a repo, not HOME itself (its `.claude` is the user's settings);
 * outside HOME and a repo, only `start` itself. Without such a file, the git root. Else no context.
 */
import { join } from 'node:path';
import { ancestorsInclusive, findGitRoot } from '../claude/git-root.js';
import { isInside } from '../core/path-inside.js';
import { entryExists } from '../fs/exists.js';

export interface LaunchContext {
  /** Where Claude Code reads `.claude/settings.json` for this subtree: the record's key. */
  dir: string;
  gitRoot?: string;
}

export async function findLaunchContext(start: string, home: string): Promise<LaunchContext | undefined> {
  const gitRoot = await findGitRoot(start);
  const candidates: string[] = [];
  if (gitRoot) {
    for (const dir of ancestorsInclusive(start)) {
      candidates.push(dir);
      if (dir === gitRoot) break;
    }
  } else if (isInside(start, home)) {
    for (const dir of ancestorsInclusive(start)) {
      if (dir === home) break;
      candidates.push(dir);
    }
  } else if (start !== home) {
    candidates.push(start);
  }
  for (const dir of candidates) {
    if (dir !== home && (await entryExists(join(dir, '.claude', 'settings.json')))) {
      return gitRoot ? { dir, gitRoot } : { dir };
    }
  }
  return gitRoot ? { dir: gitRoot, gitRoot } : undefined;
}
