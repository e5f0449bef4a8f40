/**
 * Writing hook records: `<recordsDir>/<recordName(dir)>`, atomically, mode 0600 in a 0700 directory.
 *
 * Freshness: the hooks call a record stale when a source file is newer (`-nt`) than it. The record's
 * mtime is set to the moment resolving STARTED, minus a margin for coarse file-system clocks, so an edit
 * made while we were reading is still newer than the record (at worst one extra resolve).
 *
 * For the daemon: `refreshRecord(dir, { env, now })` re-resolves one launch context and rewrites its
 * record (no output). The hooks notice the new generation on their next prompt and re-read it.
 */
import { join } from 'node:path';
import type { Env } from '../context.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { ownedDir } from '../fs/owned-dir.js';
import { type Paths, resolvePaths } from '../platform/paths.js';
import { serializeRecord } from './record.js';
import { recordName, recordNameFits } from './record-name.js';
import { type ResolvedHook, resolveHookRecord } from './resolve-record.js';
import { prepareStamps } from './stamps.js';

/**
 * Older than the resolve start by this much: file-system timestamps come from a coarse clock (Linux
 * stamps files with the tick-granular clock, a few ms behind the precise one).
 */
export const MTIME_MARGIN_MS = 20;

/** The record file of a launch directory, or undefined when its name is too long to be a file name. */
export function recordFile(paths: Pick<Paths, 'recordsDir'>, dir: string): string | undefined {
  const name = recordName(dir);
  return recordNameFits(name) ? join(paths.recordsDir, name) : undefined;
}

/** Write the record; returns its path, or undefined when the name does not fit (nothing written). */
export async function writeRecord(
  paths: Paths,
  resolved: ResolvedHook,
  startedAt: number,
  marginMs = MTIME_MARGIN_MS,
): Promise<string | undefined> {
  const file = recordFile(paths, resolved.record.dir);
  if (!file) return undefined;
  // Our directories, checked on every write: a records directory another user made (or a link) is refused.
  await ownedDir(paths.cacheDir, { create: true });
  await ownedDir(paths.recordsDir, { create: true });
  const write = () =>
    atomicWriteFile(file, serializeRecord(resolved.record), { mode: 0o600, mtimeMs: startedAt - marginMs });
  await Promise.all([write(), prepareStamps(paths.stampsDir, startedAt)]);
  return file;
}

export interface RefreshContext {
  env: Env;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** Re-resolve one launch context and rewrite its record. For the daemon, when it sees settings change. */
export async function refreshRecord(dir: string, ctx: RefreshContext): Promise<void> {
  const paths = resolvePaths(ctx.env);
  const startedAt = ctx.now();
  // The daemon's environment is not a shell's: judge no strays, only the record matters here.
  const resolved = await resolveHookRecord({ dir, env: ctx.env, paths, now: startedAt, owned: true });
  await writeRecord(paths, resolved, startedAt);
}
