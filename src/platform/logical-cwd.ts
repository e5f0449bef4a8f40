/**
 * The working directory as the shell names it: `$PWD` (the logical path, through symlinked directories
 * such as `~/src -> /data/src`, or `/tmp -> /private/tmp` on macOS) when it is absolute and is the same
 * directory as the process's own (same device and inode), else the physical one. The hooks key records on
 * the logical `$PWD`, so `allow`, `status` and `prompt` must name the directory the same way.
 */
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';

export function logicalCwd(pwd: string | undefined, physical: string): string {
  if (!pwd || !isAbsolute(pwd) || pwd === physical || /(^|\/)\.\.?(\/|$)/.test(pwd)) return physical;
  try {
    const a = statSync(pwd);
    const b = statSync(physical);
    return a.dev === b.dev && a.ino === b.ino ? pwd : physical;
  } catch {
    return physical;
  }
}

/**
 * Node decodes a directory name that is not valid UTF-8 with U+FFFD in place of the bad bytes (process.cwd(),
 * argv), a path that names a DIFFERENT directory (or none). Undefined when `p` is faithful: no U+FFFD, or
 * (for the working directory, `same` given) the decoded path is the very directory we are in.
 */
export function unfaithfulPath(p: string, same?: string): string | undefined {
  if (!p.includes('\uFFFD')) return undefined;
  if (same !== undefined) {
    try {
      const a = statSync(p);
      const b = statSync(same);
      if (a.dev === b.dev && a.ino === b.ino) return undefined;
    } catch {
      // Not the same directory: refuse.
    }
  }
  return `the directory name ${JSON.stringify(p).replace(/\uFFFD/g, '?')} is not valid UTF-8, so bedrock-profile cannot name it and does nothing there; rename the directory to a UTF-8 name`;
}
