/**
 * `migrate`'s I/O: read the AWS config file (AWS_CONFIG_FILE honoured, a symlink followed to its target),
 * plan the rewrite (src/core/migrate-config.ts), back the file up in our state directory, write it
 * atomically keeping its mode, and carry each legacy token over to the new cache key so the profile keeps
 * working until that token expires (the next sign-in is then refreshable). Nothing is written in a dry run.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { type MigrationPlan, migrateConfig } from '../core/migrate-config.js';
import { FileAccessError } from '../errors.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { readTextFile } from '../fs/read-text-file.js';
import type { Paths } from '../platform/paths.js';
import { readSsoToken, tokenCacheFile } from './token-cache.js';

export interface MigrationResult extends MigrationPlan {
  file: string;
  before: string;
  backup?: string;
  /** Sessions whose legacy token was copied to the new cache key. */
  carried: string[];
}

export async function migrateProfiles(o: {
  paths: Pick<Paths, 'awsConfigFile' | 'ssoCacheDir' | 'stateDir'>;
  profiles: string[];
  dryRun: boolean;
  now: number;
}): Promise<MigrationResult> {
  let file = o.paths.awsConfigFile;
  try {
    file = await fsp.realpath(file);
  } catch {
    // Missing: readTextFile says so below.
  }
  const before = await readTextFile(file);
  if (before === undefined)
    throw new FileAccessError(file, 'does not exist', 'there is nothing to migrate; check AWS_CONFIG_FILE');
  const plan = migrateConfig(before, o.profiles);
  const result: MigrationResult = { ...plan, file, before, carried: [] };
  if (o.dryRun || plan.text === before) return result;

  const backupDir = join(o.paths.stateDir, 'backups');
  const stamp = new Date(o.now).toISOString().replace(/[:.]/g, '-');
  const backup = join(backupDir, `aws-config-${stamp}`);
  const mode = (await fsp.stat(file)).mode & 0o777;
  await atomicWriteFile(backup, before, { mode: mode & 0o600, mkdirMode: 0o700 });
  result.backup = backup;
  await atomicWriteFile(file, plan.text);

  for (const m of plan.migrated) {
    const from = tokenCacheFile(o.paths.ssoCacheDir, m.startUrl);
    const to = tokenCacheFile(o.paths.ssoCacheDir, m.session);
    if (result.carried.includes(m.session)) continue;
    const [old, existing] = await Promise.all([readSsoToken(from), readSsoToken(to)]);
    if (old.status !== 'ok' || old.token.expiresAt <= o.now || existing.status !== 'missing') continue;
    // The same access token under the session's key: botocore and the JS SDK keep using it until it expires.
    const { ...plain } = old.raw;
    await atomicWriteFile(to, JSON.stringify({ ...plain, startUrl: m.startUrl, region: m.region }), {
      mode: 0o600,
    });
    result.carried.push(m.session);
  }
  return result;
}
