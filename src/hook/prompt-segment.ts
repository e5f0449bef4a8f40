/**
 * The prompt segment, e.g. `ui-dev 42m` or `ui-dev 2h10m`: the profile in effect in the shell (AWS_PROFILE,
 * else the one the settings name here) and the time until its SSO session ends, when that is known. The shell
 * functions compute the same thing with builtins; this is the version for `bedrock-profile prompt`.
 */

import { isValidProfileName } from '../core/profile-name.js';
import { sanitizeLine } from '../core/sanitize.js';
import type { HookRecord } from './record.js';

export function promptSegment(
  record: HookRecord | undefined,
  shellProfile: string | undefined,
  now: number,
): string {
  const profile = shellProfile || record?.expect;
  if (!profile) return '';
  const name = isValidProfileName(profile) ? profile : sanitizeLine(profile).slice(0, 32);
  const expires = record?.expiresAt;
  if (expires === undefined || profile !== record?.expect) return name;
  // `expires` is the session's end (src/hook/resolve-record.ts): an hour or more reads 2h10m.
  const minutes = Math.floor((expires - now) / 60_000);
  if (minutes >= 60) return `${name} ${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
  return minutes > 0 ? `${name} ${minutes}m` : `${name} expired`;
}
