/**
 * Which shell variables the hook must watch in a context, derived from the stray rules themselves
 * (src/core/stray.ts) by probing them, so the shells need no rule of their own: `check` lists the
 * variables that the analysis flags when set to an unrelated value; `agree` gives, for a variable the
 * settings also set, the value that the analysis accepts (e.g. AWS_REGION equal to the settings' region),
 * so a shell that agrees does not trigger a needless `resolve`.
 */
import type { Env } from '../context.js';
import { isValidRegion } from '../core/model-id.js';
import { isValidProfileName } from '../core/profile-name.js';
import { analyzeStray } from '../core/stray.js';
import type { ResolvedSettings } from '../core/types.js';

/** Every variable the stray analysis reads besides AWS_PROFILE (which the hook compares itself). */
export const STRAY_INPUTS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_DEFAULT_PROFILE',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
] as const;

const PROBE = 'bedrock-profile-probe';
const PRINTABLE = /^[\x20-\x7e]{1,256}$/;

export interface CheckVars {
  check: string[];
  agree: Record<string, string>;
  /** An unset AWS_PROFILE draws no finding here. */
  unsetOk: boolean;
}

const KEYS = { AWS_ACCESS_KEY_ID: PROBE, AWS_SECRET_ACCESS_KEY: PROBE };

/**
 * The only values a record may carry (records are files and `resolve`'s stdout): regions, profile names
 * and file paths, each validated. Never a key id, secret key, session or bearer token, whatever the
 * stray rules accept.
 */
const AGREEABLE: Partial<Record<string, (value: string) => boolean>> = {
  AWS_REGION: isValidRegion,
  AWS_DEFAULT_REGION: isValidRegion,
  AWS_DEFAULT_PROFILE: isValidProfileName,
  AWS_CONFIG_FILE: (v) => PRINTABLE.test(v),
  AWS_SHARED_CREDENTIALS_FILE: (v) => PRINTABLE.test(v),
};

export function checkVars(
  settings: Pick<ResolvedSettings, 'env' | 'subdirEnv'>,
  expectProfile?: string,
): CheckVars {
  const base: Env = expectProfile ? { AWS_PROFILE: expectProfile } : {};
  const all: Record<string, string | undefined> = { ...base };
  for (const name of STRAY_INPUTS) all[name] = PROBE;
  const flagged = new Set(analyzeStray({ settings, shellEnv: all }).map((f) => f.name));
  // One at a time too, alone and next to a key pair: some only matter alone (a key without its pair),
  // some only next to keys (AWS_SECURITY_TOKEN without AWS_SESSION_TOKEN).
  for (const name of STRAY_INPUTS) {
    if (flagged.has(name)) continue;
    for (const env of [
      { ...base, [name]: PROBE },
      { ...base, ...KEYS, [name]: PROBE },
    ]) {
      if (analyzeStray({ settings, shellEnv: env }).some((f) => f.name === name)) flagged.add(name);
    }
  }
  const check = STRAY_INPUTS.filter((n) => flagged.has(n));
  const agree: Record<string, string> = {};
  for (const name of check) {
    const value = settings.env[name]?.value;
    if (!value || !AGREEABLE[name]?.(value)) continue;
    const probe = analyzeStray({ settings, shellEnv: { ...base, [name]: value } });
    if (!probe.some((f) => f.name === name)) agree[name] = value;
  }
  const unsetOk = !analyzeStray({ settings, shellEnv: {} }).some((f) => f.name === 'AWS_PROFILE');
  return { check, agree, unsetOk };
}
