/**
 * The words of every desktop notification the daemon sends: the SSO session and every profile it serves
 * (one session, one notification, however many profiles use it), the minutes left and the command that
 * signs in. Pure; built only from names and numbers, so no secret can get in.
 */
import type { EndReason } from './refresh-plan.js';
import { sanitizeLine } from './sanitize.js';
import { signInCommand } from './sign-in-command.js';

export interface NotificationText {
  title: string;
  message: string;
}

/** The session as the notification names it. */
export interface NotifiedSession {
  /** The sso-session name, or the start URL of a legacy profile. */
  key: string;
  kind: 'sso' | 'legacy-sso';
  profiles: readonly string[];
}

export { signInCommand };

/** `corp (ui-dev, data-prod)`; a legacy profile has no session name: `profile old`. */
export function sessionName(s: NotifiedSession): string {
  const profiles = s.profiles.map(sanitizeLine).join(', ');
  if (s.kind === 'legacy-sso') return `${s.profiles.length > 1 ? 'profiles' : 'profile'} ${profiles}`;
  return profiles ? `${sanitizeLine(s.key)} (${profiles})` : sanitizeLine(s.key);
}

/** Whole minutes left, rounded down (6 min 20 s is "6 minutes": never more time than there is). */
function timeLeft(msLeft: number): string {
  const n = Math.floor(msLeft / 60_000);
  if (n < 1) return 'less than a minute';
  return n === 1 ? '1 minute' : `${n} minutes`;
}

const WHY: Record<EndReason, string> = {
  legacy: 'this SSO profile has no refresh token (no sso_session), so it cannot be refreshed',
  'not-refreshable': 'its token cache has no refresh token, so it cannot be refreshed',
  invalid_grant: 'AWS refused to refresh the SSO session (it was ended or reached its maximum duration)',
  'registration-expired': 'the SSO client registration expired, so it cannot be refreshed',
};

export function sessionEndingText(
  session: NotifiedSession,
  profile: string,
  msLeft: number,
  reason: EndReason,
): NotificationText {
  const name = sessionName(session);
  if (msLeft <= 0) {
    return {
      title: `AWS session ended: ${name}`,
      message: `SSO session ${name} has ended. Sign in: ${signInCommand(profile)}`,
    };
  }
  const left = timeLeft(msLeft);
  return {
    title: `AWS session ends in ${left}: ${name}`,
    message: `SSO session ${name}: ${WHY[reason]}; it ends in ${left}. Sign in: ${signInCommand(profile)}`,
  };
}

export function cacheUnusableText(session: NotifiedSession, profile: string): NotificationText {
  const name = sessionName(session);
  return {
    title: `AWS session cache unreadable: ${name}`,
    message: `The token cache of SSO session ${name} cannot be read. Sign in again: ${signInCommand(profile)}`,
  };
}

/** The sign-in the notification's action started did not happen: why, and the same in a terminal. */
export function signInFailedText(session: NotifiedSession, profile: string, why: string): NotificationText {
  const reason = sanitizeLine(why);
  const shown = reason.length > 200 ? `${reason.slice(0, 197)}...` : reason;
  return {
    title: `AWS sign-in failed: ${sessionName(session)}`,
    message: `${shown}. Sign in from a terminal: ${signInCommand(profile)}`,
  };
}
