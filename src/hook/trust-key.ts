/**
 * The one identity of a settings file in the trust list: its real path (symlinked directories and a
 * symlinked settings file resolved). The hooks name a repo by the logical `$PWD`, `allow` run elsewhere
 * may see the physical path; both must find the same entry. A retargeted settings link is another file:
 * asked again. Falls back to the path as given when it cannot be resolved (a dangling link).
 */
import { promises as fsp } from 'node:fs';

export async function trustKey(file: string): Promise<string> {
  return fsp.realpath(file).catch(() => file);
}
