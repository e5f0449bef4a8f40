/**
 * Which AWS profile and region Claude Code started here uses, and where each came from. One rule, shared
 * by status, the hooks and doctor. Pure: the settings env and the shell env are passed in.
 *
 * Profile: the merged settings `env.AWS_PROFILE` (settings beat the shell), else the shell's AWS_PROFILE,
 * else `default` (the JS SDK's fallback). AWS_DEFAULT_PROFILE is not read by the JS SDK.
 * Region: the merged settings `env.AWS_REGION`, else the shell's AWS_REGION, else unset. Claude Code's
 * Bedrock docs say AWS_REGION is required and is not read from ~/.aws/config, and the JS SDK does not read
 * AWS_DEFAULT_REGION, so neither the profile's `region` nor AWS_DEFAULT_REGION counts for Claude Code.
 */
import type { Env } from '../context.js';
import type { SettingsScope, Sourced } from './types.js';

export type ValueScope = SettingsScope | 'shell' | 'default' | 'unset';

export interface ValueSource {
  scope: ValueScope;
  /** The settings file for settings scopes; absent for shell/default/unset. */
  file?: string;
}

export interface EffectiveValue {
  /** Undefined only for scope `unset`. */
  value: string | undefined;
  source: ValueSource;
}

function fromSettingsOrShell(
  name: string,
  settingsEnv: Readonly<Record<string, Sourced<string>>>,
  shellEnv: Env,
): EffectiveValue | undefined {
  const s = settingsEnv[name];
  // An empty string in settings still replaces the shell's value in the claude process: the variable is
  // then empty, which the SDK treats as unset.
  if (s)
    return s.value === ''
      ? undefined
      : { value: s.value, source: s.file ? { scope: s.scope, file: s.file } : { scope: s.scope } };
  const v = shellEnv[name];
  if (v) return { value: v, source: { scope: 'shell' } };
  return undefined;
}

export function effectiveProfile(
  settingsEnv: Readonly<Record<string, Sourced<string>>>,
  shellEnv: Env,
): EffectiveValue {
  return (
    fromSettingsOrShell('AWS_PROFILE', settingsEnv, shellEnv) ?? {
      value: 'default',
      source: { scope: 'default' },
    }
  );
}

export function effectiveRegion(
  settingsEnv: Readonly<Record<string, Sourced<string>>>,
  shellEnv: Env,
): EffectiveValue {
  return (
    fromSettingsOrShell('AWS_REGION', settingsEnv, shellEnv) ?? {
      value: undefined,
      source: { scope: 'unset' },
    }
  );
}

/** Any variable as Claude Code sees it: settings first, then the shell. */
export function effectiveVariable(
  name: string,
  settingsEnv: Readonly<Record<string, Sourced<string>>>,
  shellEnv: Env,
): EffectiveValue {
  return fromSettingsOrShell(name, settingsEnv, shellEnv) ?? { value: undefined, source: { scope: 'unset' } };
}

/** The environment the `claude` process gets: the shell's, with the settings `env` on top. */
export function claudeProcessEnv(
  settingsEnv: Readonly<Record<string, Sourced<string>>>,
  shellEnv: Env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(shellEnv)) if (v !== undefined) out[k] = v;
  for (const [k, v] of Object.entries(settingsEnv)) out[k] = v.value;
  return out;
}
