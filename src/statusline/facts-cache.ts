/**
 * The status line runs after every assistant message: it must not parse the AWS config each time. The
 * profile facts (`profile-facts.ts`) are kept in `<cache>/bedrock-profile/statusline-profiles.json`, one
 * entry per (config file, credentials file, profile), valid while both files have the same identity
 * (inode, size, mtime; a missing file counts as such). A damaged cache file is just a miss.
 * No secret is in it: names, an account id and paths.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../context.js';
import type { Paths } from '../platform/paths.js';
import type { ProfileFacts } from './profile-facts.js';

interface Entry {
  stamp: string;
  facts: ProfileFacts;
  at: number;
}

interface CacheFile {
  version: 2;
  entries: Record<string, Entry>;
}

/** At most this many entries are kept (the oldest go first). */
const MAX_ENTRIES = 32;

export function factsCacheFile(paths: Pick<Paths, 'cacheDir'>): string {
  return join(paths.cacheDir, 'statusline-profiles.json');
}

function fileStamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

function readCache(file: string): CacheFile {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (v && v.version === 2 && v.entries && typeof v.entries === 'object') return v;
  } catch {
    // missing or damaged: start again
  }
  return { version: 2, entries: Object.create(null) as Record<string, Entry> };
}

export function factsKey(paths: Pick<Paths, 'awsConfigFile' | 'awsCredentialsFile'>, profile: string) {
  return {
    key: `${paths.awsConfigFile}\n${paths.awsCredentialsFile}\n${profile}`,
    stamp: `${fileStamp(paths.awsConfigFile)}|${fileStamp(paths.awsCredentialsFile)}`,
  };
}

/** The cached facts of `profile` when the AWS files are unchanged since they were computed. Synchronous:
 * the status line's fast path. */
export function cachedProfileFacts(paths: Paths, profile: string): ProfileFacts | undefined {
  const { key, stamp } = factsKey(paths, profile);
  const cache = readCache(factsCacheFile(paths));
  const hit = Object.hasOwn(cache.entries, key) ? cache.entries[key] : undefined;
  return hit && hit.stamp === stamp && hit.facts?.profile === profile ? hit.facts : undefined;
}

/** The facts of `profile`, from the cache when the AWS files are unchanged, else computed and stored. */
export async function profileFacts(
  paths: Paths,
  profile: string,
  env: Env,
  now: number,
): Promise<ProfileFacts> {
  const cached = cachedProfileFacts(paths, profile);
  if (cached) return cached;
  // The stamp is taken before reading: a file that changes meanwhile makes the entry stale at once.
  const { key, stamp } = factsKey(paths, profile);
  const [{ computeProfileFacts }, { atomicWriteFile }] = await Promise.all([
    import('./profile-facts.js'),
    import('../fs/atomic-write.js'),
  ]);
  const facts = await computeProfileFacts(paths, profile, env);
  const file = factsCacheFile(paths);
  const cache = readCache(file);
  cache.entries[key] = { stamp, facts, at: now };
  const keys = Object.keys(cache.entries).sort((a, b) => cache.entries[b]!.at - cache.entries[a]!.at);
  for (const k of keys.slice(MAX_ENTRIES)) delete cache.entries[k];
  try {
    await atomicWriteFile(file, `${JSON.stringify(cache)}\n`, { mode: 0o600, mkdirMode: 0o700 });
  } catch {
    // A cache we cannot write only costs speed.
  }
  return facts;
}
