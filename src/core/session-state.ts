/**
 * The state of one SSO session, pure: from what the token cache file holds and the clock.
 *
 * - `valid`: the access token works for more than 15 minutes. - `expiring`: under 15 minutes left, botocore's
 *   refresh window (`SSOTokenProvider._REFRESH_WINDOW`): from here the `aws` CLI refreshes it on its next
 *   call if it can, and the JS SDK does so from 5 minutes. - `expired`: past `expiresAt` (at exactly
 *   `expiresAt` it is expired, as the SDKs treat it). - `missing`: no cache file. - `invalid`: the file is
 *   unreadable or corrupt (see `reason`). - `not-sso`: the profile has no SSO session (no read given).
 *
 * `refreshable`: the file has refreshToken, clientId and clientSecret and the client registration has not
 * expired (no registrationExpiresAt counts as not expired: the JS SDK does not check it; botocore needs it
 * and will not refresh without it). Refreshable says a refresh may be tried, not that it will succeed: the
 * service can still answer invalid_grant when the session itself has ended.
 */
import type { TokenRead } from './types.js';

/** botocore's refresh window; under this much time left a session is `expiring`. */
export const EXPIRING_WINDOW_MS = 15 * 60 * 1000;

export type SessionStatus = 'valid' | 'expiring' | 'expired' | 'missing' | 'invalid' | 'not-sso';

export interface SessionState {
  status: SessionStatus;
  /** ms since epoch */
  expiresAt?: number;
  /** expiresAt - now; negative once expired. */
  msLeft?: number;
  refreshable: boolean;
  /** ms since epoch */
  registrationExpiresAt?: number;
  /** For missing/invalid, and for a refresh that cannot happen: why, in words. */
  reason?: string;
}

export function sessionState(read: TokenRead | undefined, now: number): SessionState {
  if (read === undefined) return { status: 'not-sso', refreshable: false };
  if (read.status === 'missing') return { status: 'missing', refreshable: false, reason: read.reason };
  if (read.status !== 'ok') return { status: 'invalid', refreshable: false, reason: read.reason };
  const t = read.token;
  const msLeft = t.expiresAt - now;
  const status = msLeft <= 0 ? 'expired' : msLeft < EXPIRING_WINDOW_MS ? 'expiring' : 'valid';
  const state: SessionState = { status, expiresAt: t.expiresAt, msLeft, refreshable: false };
  if (t.registrationExpiresAt !== undefined) state.registrationExpiresAt = t.registrationExpiresAt;
  const missing = (['refreshToken', 'clientId', 'clientSecret'] as const).filter((k) => !t[k]);
  if (missing.length) {
    state.reason =
      missing.length === 3
        ? 'no refresh token (a legacy sign-in): the session ends at expiresAt'
        : `cannot refresh: the cache has no ${missing.join(', ')}`;
  } else if (t.registrationExpiresAt !== undefined && t.registrationExpiresAt <= now) {
    state.reason = 'cannot refresh: the client registration has expired; sign in again';
  } else {
    state.refreshable = true;
  }
  return state;
}
