/**
 * Which settings files Claude Code considers for a start directory, in precedence order (highest first).
 * Facts (DESIGN.md): managed over `.claude/settings.local.json` at the git root over
 * `.claude/settings.json` in the start directory ONLY over the user file.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { SettingsScope } from '../core/types.js';
import { describeFsError } from '../errors.js';
import type { Paths } from '../platform/paths.js';

export interface SettingsCandidate {
  scope: SettingsScope;
  file: string;
  /** Set when the candidate could not even be listed (an unreadable managed-settings.d). */
  listError?: string;
}

export const MANAGED_FILE = 'managed-settings.json';
export const MANAGED_DROPIN_DIR = 'managed-settings.d';

/**
 * Managed drop-ins: `managed-settings.d/*.json`, hidden files skipped, sorted by name. They are merged on
 * top of managed-settings.json in that order, so a later file overrides an earlier one. Returned highest
 * precedence first: last drop-in ... first drop-in, then managed-settings.json.
 */
export async function managedCandidates(managedDir: string): Promise<SettingsCandidate[]> {
  const base: SettingsCandidate = { scope: 'managed', file: join(managedDir, MANAGED_FILE) };
  const dropinDir = join(managedDir, MANAGED_DROPIN_DIR);
  let names: string[];
  try {
    names = await fsp.readdir(dropinDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [base];
    return [{ scope: 'managed', file: dropinDir, listError: `${dropinDir}: ${describeFsError(err)}` }, base];
  }
  const dropins = names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .sort()
    .map((n): SettingsCandidate => ({ scope: 'managed', file: join(dropinDir, n) }));
  return [...dropins.reverse(), base];
}

/** The candidates for Claude Code started in `cwd`, highest precedence first. */
export async function settingsCandidates(
  cwd: string,
  gitRoot: string | undefined,
  paths: Paths,
): Promise<SettingsCandidate[]> {
  const managed = await managedCandidates(paths.managedSettingsDir);
  // Outside a git repo the project root is the start directory itself.
  const local: SettingsCandidate = {
    scope: 'local',
    file: join(gitRoot ?? cwd, '.claude', 'settings.local.json'),
  };
  const projectFile = join(cwd, '.claude', 'settings.json');
  const user: SettingsCandidate = { scope: 'user', file: paths.claudeUserSettings };
  // Started in HOME, the project file IS the user file: one file, reported once, as the user file.
  const project: SettingsCandidate[] =
    projectFile === paths.claudeUserSettings ? [] : [{ scope: 'project', file: projectFile }];
  return [...managed, local, ...project, user];
}
