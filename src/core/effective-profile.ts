/**
 * Which AWS profile and region Claude Code started here uses, and where each came from. One rule, shared
 * by status, the hooks and doctor. Pure: the settings env and the shell env are passed in.
 *
 * Profile: the merged settings `env.AWS_PROFILE` (settings beat the shell), else the shell's AWS_PROFILE,
 * else `default` (the JS SDK's fallback). AWS_DEFAULT_PROFILE is not read by the JS SDK.
 * Region (`claudeRegion`, verified against the real binary by test/conformance, Claude Code 2.1.335):
 * AWS_REGION, else AWS_DEFAULT_REGION (for each, the merged settings `env` beats the shell), else the
 * `region` of the profile in effect (config or credentials file; not [default]'s when another profile is
 * in effect), else us-east-1. Claude Code before 2.1.172 skips the profile's region (2.1.170, run by
 * test/conformance with BP_CLAUDE_CODE_VERSION=2.1.170: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1;
 * changelog 2.1.172: "reads the AWS region from ~/.aws config files when AWS_REGION isn't set").
 * `effectiveRegion` is AWS_REGION alone (the stray rules compare the shell's with the settings').
 */
import type { Env } from '../context.js';
import type { SettingsScope, Sourced } from './types.js';

/** `aws-config`: a profile's setting in the AWS files; `claude-default`: Claude Code's own fallback. */
export type ValueScope = SettingsScope | 'shell' | 'default' | 'aws-config' | 'claude-default' | 'unset';

export interface ValueSource {
  scope: ValueScope;
  /** The settings file for settings scopes, the AWS file for aws-config; absent otherwise. */
  file?: string;
  /** The variable it came from when that is not the one asked about (AWS_DEFAULT_REGION for a region). */
  variable?: string;
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

/** Claude Code's region when AWS_REGION, AWS_DEFAULT_REGION and the profile give none. */
export const CLAUDE_DEFAULT_REGION = 'us-east-1';
/** The first Claude Code release that reads AWS_DEFAULT_REGION and the profile's region. */
export const REGION_FROM_AWS_CONFIG_SINCE = '2.1.172';

export interface ProfileRegion {
  value: string;
  /** The AWS file that sets it. */
  file?: string;
}

/** A profile's own `region` (undefined for a missing profile or one without). */
export function profileRegionOf(
  info: { kind?: string; region?: string; definedIn?: string[] } | undefined,
): ProfileRegion | undefined {
  if (!info?.region || info.kind === 'missing') return undefined;
  return info.definedIn?.[0] ? { value: info.region, file: info.definedIn[0] } : { value: info.region };
}

/**
 * The region Claude Code signs its Bedrock calls for. `legacy`: a Claude Code older than 2.1.172, which
 * does not read the profile's region.
 */
export function claudeRegion(
  settingsEnv: Readonly<Record<string, Sourced<string>>>,
  shellEnv: Env,
  profileRegion?: ProfileRegion,
  opts: { legacy?: boolean } = {},
): EffectiveValue {
  const region = fromSettingsOrShell('AWS_REGION', settingsEnv, shellEnv);
  if (region) return region;
  const fallback = fromSettingsOrShell('AWS_DEFAULT_REGION', settingsEnv, shellEnv);
  if (fallback)
    return { value: fallback.value, source: { ...fallback.source, variable: 'AWS_DEFAULT_REGION' } };
  if (profileRegion?.value && !opts.legacy) {
    return {
      value: profileRegion.value,
      source: profileRegion.file
        ? { scope: 'aws-config', file: profileRegion.file }
        : { scope: 'aws-config' },
    };
  }
  return { value: CLAUDE_DEFAULT_REGION, source: { scope: 'claude-default' } };
}

/** a < b for dotted version numbers (2.1.99 < 2.1.172). */
export function versionBefore(a: string, b: string): boolean {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10));
  const pb = b.split('.').map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
    if (x !== y) return x < y;
  }
  return false;
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
