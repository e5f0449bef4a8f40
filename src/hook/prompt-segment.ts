/**
 * The prompt segment, e.g. `ui-dev 42m`: the profile in effect in the shell (AWS_PROFILE, else the one the
 * settings name here) and the minutes its SSO access token has left, when the record knows it. The shell
 * functions compute the same thing with builtins; this is the version for `bedrock-profile prompt`.
 */
import { sanitizeLine } from '../core/sanitize.js';
import { isValidProfileName } from './profile-name.js';
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
  const minutes = Math.floor((expires - now) / 60_000);
  return minutes > 0 ? `${name} ${minutes}m` : `${name} expired`;
}
