/** Path containment, lexically (no I/O): is `child` strictly below `parent`? Both absolute and resolved. */
import { isAbsolute, relative } from 'node:path';

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
