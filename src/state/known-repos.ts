/**
 * Directories the shell hooks have resolved (launch contexts). The daemon watches their settings files and
 * includes their profiles' SSO sessions. A small JSON map, written atomically; bounded so it cannot grow forever.
 */
import { dirname } from 'node:path';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { ownedDir, readOwnedTextFile } from '../fs/owned-dir.js';
import type { Paths } from '../platform/paths.js';

export interface KnownRepo {
  /** The launch directory (where `.claude/settings.json` is read). */
  dir: string;
  /** The git root (where `.claude/settings.local.json` is read), if any. */
  gitRoot?: string;
  lastSeen: number;
}

/** Oldest entries are dropped past this many. */
export const MAX_KNOWN_REPOS = 2000;
/** PATH_MAX: a longer "directory" is not one. */
const MAX_DIR_CHARS = 4096;

export async function readKnownRepos(paths: Pick<Paths, 'knownReposFile'>): Promise<KnownRepo[]> {
  let text: string | undefined;
  try {
    text = await readOwnedTextFile(paths.knownReposFile, dirname(paths.knownReposFile), 8 * 1024 * 1024);
  } catch {
    return [];
  }
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as { repos?: unknown };
    if (!Array.isArray(parsed.repos)) return [];
    // The cap holds on read too: a planted or runaway list of 60,000 entries costs one sort, not a pass
    // that watches every one of them.
    return parsed.repos
      .filter(
        (r): r is KnownRepo =>
          typeof r?.dir === 'string' &&
          r.dir.length <= MAX_DIR_CHARS &&
          typeof r?.lastSeen === 'number' &&
          Number.isFinite(r.lastSeen) &&
          (r.gitRoot === undefined || (typeof r.gitRoot === 'string' && r.gitRoot.length <= MAX_DIR_CHARS)),
      )
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .slice(0, MAX_KNOWN_REPOS);
  } catch {
    // A corrupt list only costs us the watch list; it is rebuilt as the hooks run.
    return [];
  }
}

/** Record a visit; returns true when the list changed (a new repo). */
export async function rememberRepo(
  paths: Pick<Paths, 'knownReposFile'>,
  repo: Omit<KnownRepo, 'lastSeen'>,
  now: number,
): Promise<boolean> {
  const repos = await readKnownRepos(paths);
  const existing = repos.find((r) => r.dir === repo.dir);
  if (existing) {
    // Only rewrite for a changed git root or a visit more than an hour later: keeps the hook path cheap.
    if (existing.gitRoot === repo.gitRoot && now - existing.lastSeen < 3_600_000) return false;
    existing.gitRoot = repo.gitRoot;
    existing.lastSeen = now;
  } else {
    repos.push({ ...repo, lastSeen: now });
  }
  repos.sort((a, b) => b.lastSeen - a.lastSeen);
  const kept = repos.slice(0, MAX_KNOWN_REPOS);
  await ownedDir(dirname(paths.knownReposFile), { create: true });
  await atomicWriteFile(paths.knownReposFile, `${JSON.stringify({ repos: kept }, null, 1)}\n`, {
    mode: 0o600,
  });
  return !existing;
}
