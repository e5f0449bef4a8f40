/**
 * Which repos may switch the shell's AWS_PROFILE. Trust is keyed on the settings file that names the
 * profile AND the profile it names, several profiles per file (branches): editing anything else in the file keeps the trust, changing the
 * profile asks again (direnv's content hash re-asks on every edit, the complaint we avoid).
 * `deny` records a refusal so the "how to trust it" line stops for that (file, profile).
 * Stored as JSON in the state dir, written atomically with mode 0600.
 */

import { dirname } from 'node:path';
import { InvalidValueError } from '../errors.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { ownedDir, readOwnedTextFile } from '../fs/owned-dir.js';
import { parseJson } from '../fs/parse-json.js';
import type { Paths } from '../platform/paths.js';

export interface TrustEntry {
  /** Absolute path of the settings file that names the profile. */
  file: string;
  profile: string;
  /** ms since epoch. */
  at: number;
}

export interface TrustStore {
  allowed: TrustEntry[];
  denied: TrustEntry[];
}

export type TrustState = 'allowed' | 'denied' | 'unknown';

function entries(raw: unknown, file: string, key: string): TrustEntry[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new InvalidValueError(file, key, 'must be a list; fix or delete the file');
  return raw.filter(
    (e): e is TrustEntry =>
      typeof e?.file === 'string' && typeof e?.profile === 'string' && typeof e?.at === 'number',
  );
}

/** A missing file is an empty store; a corrupt one is an error naming the file (trust is not guessed). */
export async function loadTrust(paths: Pick<Paths, 'trustFile'>): Promise<TrustStore> {
  // Only from our own state directory, never through a link: a planted trust entry is a switched profile.
  const text = await readOwnedTextFile(paths.trustFile, dirname(paths.trustFile));
  if (text === undefined) return { allowed: [], denied: [] };
  const data = (await parseJson(text, paths.trustFile)) as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidValueError(
      paths.trustFile,
      '(top level)',
      'must be a JSON object; fix or delete the file',
    );
  }
  return {
    allowed: entries(data.allowed, paths.trustFile, 'allowed'),
    denied: entries(data.denied, paths.trustFile, 'denied'),
  };
}

export async function saveTrust(paths: Pick<Paths, 'trustFile'>, store: TrustStore): Promise<void> {
  const text = `${JSON.stringify({ version: 1, allowed: store.allowed, denied: store.denied }, null, 2)}\n`;
  await ownedDir(dirname(paths.trustFile), { create: true });
  await atomicWriteFile(paths.trustFile, text, { mode: 0o600 });
}

const same = (a: { file: string; profile: string }, b: { file: string; profile: string }) =>
  a.file === b.file && a.profile === b.profile;

export function trustState(store: TrustStore, file: string, profile: string): TrustState {
  const key = { file, profile };
  if (store.allowed.some((e) => same(e, key))) return 'allowed';
  if (store.denied.some((e) => same(e, key))) return 'denied';
  return 'unknown';
}

/**
 * Pure: allow (file, profile). Other profiles allowed for the same file stay allowed (one settings file
 * names another profile on another branch: switching back must not ask again); a denial of this
 * (file, profile) goes.
 */
export function withAllowed(store: TrustStore, file: string, profile: string, now: number): TrustStore {
  const key = { file, profile };
  return {
    allowed: [...store.allowed.filter((e) => !same(e, key)), { file, profile, at: now }],
    denied: store.denied.filter((e) => !same(e, key)),
  };
}

/** Pure: deny (file, profile); removes that pair's trust only (the file's other profiles keep theirs). */
export function withDenied(store: TrustStore, file: string, profile: string, now: number): TrustStore {
  const key = { file, profile };
  return {
    allowed: store.allowed.filter((e) => !same(e, key)),
    denied: [...store.denied.filter((e) => !same(e, key)), { file, profile, at: now }],
  };
}
