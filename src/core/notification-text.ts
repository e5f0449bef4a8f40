/**
 * The words of every desktop notification the daemon sends: the profile, the minutes left and the command
 * that signs in. Pure; built only from names and numbers, so no secret can get in.
 */
import type { EndReason } from './refresh-plan.js';
import { minutesLeft } from './refresh-plan.js';
import { sanitizeLine } from './sanitize.js';

export interface NotificationText {
  title: string;
  message: string;
}

export function signInCommand(profile: string): string {
  return `bedrock-profile login --profile ${sanitizeLine(profile)}`;
}

function minutes(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}

const WHY: Record<EndReason, string> = {
  legacy: 'this SSO profile has no refresh token (no sso_session), so it cannot be refreshed',
  'not-refreshable': 'its token cache has no refresh token, so it cannot be refreshed',
  invalid_grant: 'AWS refused to refresh the SSO session (it was ended or reached its maximum duration)',
  'registration-expired': 'the SSO client registration expired, so it cannot be refreshed',
};

export function sessionEndingText(profile: string, msLeft: number, reason: EndReason): NotificationText {
  const p = sanitizeLine(profile);
  const n = minutesLeft(msLeft);
  if (n === 0) {
    return {
      title: `AWS session ended: ${p}`,
      message: `Profile ${p}: the SSO session has ended. Sign in: ${signInCommand(profile)}`,
    };
  }
  return {
    title: `AWS session ends in ${minutes(n)}: ${p}`,
    message: `Profile ${p}: ${WHY[reason]}; it ends in ${minutes(n)}. Sign in: ${signInCommand(profile)}`,
  };
}

export function cacheUnusableText(profile: string, sessionKey: string): NotificationText {
  const p = sanitizeLine(profile);
  return {
    title: `AWS session cache unreadable: ${p}`,
    message: `Profile ${p}: the token cache of SSO session ${sanitizeLine(sessionKey)} cannot be read. Sign in again: ${signInCommand(profile)}`,
  };
}
