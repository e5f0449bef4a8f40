/**
 * Resolve what Claude Code started in a directory would take from its settings files: every `env`
 * variable and the Bedrock-related top-level keys, each with the file it came from.
 */
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../context.js';
import { isInside } from '../core/path-inside.js';
import { mergeSettings, type SettingsLayer } from '../core/precedence.js';
import type { ResolvedSettings } from '../core/types.js';
import type { Paths } from '../platform/paths.js';
import { ancestorsInclusive, findGitRoot } from './git-root.js';
import { readSettingsFile } from './read-settings-file.js';
import { settingsCandidates } from './settings-locations.js';

export interface ResolveInput {
  cwd: string;
  env: Env;
  paths: Paths;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * `.claude/settings.json` files in strict ancestors of cwd that Claude Code ignores. The walk stops at the
 * git root (inclusive); outside a repo it stops below HOME, and outside HOME it does not walk at all
 * (every directory up to / would be noise). The user's own settings file is never reported.
 */
export async function findIgnoredAncestorSettings(
  cwd: string,
  gitRoot: string | undefined,
  paths: Paths,
): Promise<string[]> {
  let stopAt: string | undefined;
  if (gitRoot && gitRoot !== cwd) stopAt = gitRoot;
  else if (!gitRoot && isInside(cwd, paths.home)) stopAt = paths.home;
  if (!stopAt) return [];
  const found: string[] = [];
  for (const dir of ancestorsInclusive(dirname(cwd))) {
    if (!gitRoot && dir === stopAt) break;
    const file = join(dir, '.claude', 'settings.json');
    if (file !== paths.claudeUserSettings && (await isFile(file))) found.push(file);
    if (dir === stopAt) break;
  }
  return found;
}

export async function resolveClaudeSettings(input: ResolveInput): Promise<ResolvedSettings> {
  const { cwd, paths } = input;
  const gitRoot = await findGitRoot(cwd);
  const candidates = await settingsCandidates(cwd, gitRoot, paths);
  const reads = await Promise.all(candidates.map(readSettingsFile));
  const layers = reads.flatMap((r) => (r.layer ? [r.layer] : []));
  const merged = mergeSettings(layers);
  const subdirLayers: SettingsLayer[] = layers.filter((l) => l.scope !== 'project');
  const subdir = mergeSettings(subdirLayers);
  const resolved: ResolvedSettings = {
    cwd,
    files: reads.map((r) => r.state),
    env: merged.env,
    ignoredAncestorSettings: await findIgnoredAncestorSettings(cwd, gitRoot, paths),
    subdirEnv: subdir.env,
    notes: merged.notes,
  };
  if (gitRoot) resolved.gitRoot = gitRoot;
  if (merged.top.awsAuthRefresh) resolved.awsAuthRefresh = merged.top.awsAuthRefresh;
  if (merged.top.awsCredentialExport) resolved.awsCredentialExport = merged.top.awsCredentialExport;
  if (merged.top.model) resolved.model = merged.top.model;
  return resolved;
}
