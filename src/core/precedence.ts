/**
 * Claude Code's settings precedence, as a pure merge: layers in, effective values with their source out.
 * The I/O (finding and reading the files) lives in src/claude; this module never touches the disk.
 */
import type { SettingsScope, Sourced } from './types.js';

/** One parsed settings file. `data` is whatever JSON.parse returned (validated here, not trusted). */
export interface SettingsLayer {
  scope: SettingsScope;
  file: string;
  data: unknown;
}

/** The Bedrock-related top-level keys we resolve besides `env`. */
export const TOP_LEVEL_KEYS = ['awsAuthRefresh', 'awsCredentialExport', 'model'] as const;
export type TopLevelKey = (typeof TOP_LEVEL_KEYS)[number];

export interface MergedSettings {
  env: Record<string, Sourced<string>>;
  top: Partial<Record<TopLevelKey, Sourced<string>>>;
  /** Values skipped because Claude Code would not use them, one line each. */
  notes: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Merge layers given in precedence order, HIGHEST FIRST (managed drop-ins last-sorted first, then
 * managed-settings.json, local, project, user). The first layer that sets a key wins; `env` merges per
 * variable. Non-string values are skipped with a note: Claude Code's schema requires strings.
 */
export function mergeSettings(layers: readonly SettingsLayer[]): MergedSettings {
  const env: Record<string, Sourced<string>> = Object.create(null);
  const top: Partial<Record<TopLevelKey, Sourced<string>>> = {};
  const notes: string[] = [];
  for (const layer of layers) {
    if (!isObject(layer.data)) {
      notes.push(`${layer.file}: the top level is not a JSON object; Claude Code ignores this file`);
      continue;
    }
    const rawEnv = layer.data.env;
    if (rawEnv !== undefined && !isObject(rawEnv)) {
      notes.push(`${layer.file}: "env" is not an object; its variables are ignored`);
    } else if (rawEnv) {
      for (const [name, value] of Object.entries(rawEnv)) {
        if (typeof value !== 'string') {
          notes.push(`${layer.file}: env.${name} is not a string; Claude Code skips it (write it in quotes)`);
          continue;
        }
        if (!(name in env)) env[name] = { value, scope: layer.scope, file: layer.file };
      }
    }
    for (const key of TOP_LEVEL_KEYS) {
      const value = layer.data[key];
      if (value === undefined) continue;
      if (typeof value !== 'string') {
        notes.push(`${layer.file}: ${key} is not a string; it is ignored`);
        continue;
      }
      if (!top[key]) top[key] = { value, scope: layer.scope, file: layer.file };
    }
  }
  return { env, top, notes };
}
