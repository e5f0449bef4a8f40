/**
 * The state of the SSO session Claude Code signs in with, in words a person reads at a glance: `6h 12m`,
 * `refreshing`, `ends 17:02, not refreshable`, `signed out: run bedrock-profile login`. Pure: the caller
 * passes the facts, the clock and how to print a time of day. Used by the status line and the Claude Code
 * hooks.
 *
 * `sessionEnd` is the one place that decides when the session itself ends and whether it can be
 * renewed without a browser. Today that is the access token's expiry and whether the cache can refresh
 * it; it is kept apart so a better answer (the SSO session's own end) can replace it.
 */
import { durationWords } from './duration-words.js';

export interface SessionFacts {
  /** What the token cache held: no file, a file we cannot use, or a token. */
  token: 'ok' | 'missing' | 'unreadable' | 'corrupt';
  /** ms since epoch, for `ok`. */
  expiresAt?: number;
  /** The cache has a refresh token and a live client registration (`sessionState().refreshable`). */
  refreshable?: boolean;
  /** The daemon runs and has this session's refresh due now (or a retry of it). */
  daemonRefreshing?: boolean;
}

export interface SessionEnd {
  /** When Claude Code's credentials stop working unless renewed (ms since epoch); undefined: unknown. */
  endsAt?: number;
  /** Whether it can be renewed without a browser. */
  renewable: boolean;
}

export type Tone = 'ok' | 'warn' | 'bad';

export interface SessionWords {
  text: string;
  tone: Tone;
  /** No usable credentials now. */
  signedOut: boolean;
}

/** When the session ends and whether it can be renewed silently. The function to swap for a better one. */
export function sessionEnd(f: SessionFacts): SessionEnd {
  if (f.token !== 'ok') return { renewable: false };
  return { ...(f.expiresAt !== undefined ? { endsAt: f.expiresAt } : {}), renewable: Boolean(f.refreshable) };
}

const HOUR = 3_600_000;

/** "17:02" in the process's local time zone (what the user's clock shows). */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export const SIGNED_OUT = 'signed out: run bedrock-profile login';

export function sessionWords(
  f: SessionFacts,
  now: number,
  clock: (ms: number) => string = clockTime,
): SessionWords {
  const end = sessionEnd(f);
  if (end.endsAt === undefined) return { text: SIGNED_OUT, tone: 'bad', signedOut: true };
  const left = end.endsAt - now;
  if (end.renewable) {
    if (f.daemonRefreshing) return { text: 'refreshing', tone: 'warn', signedOut: left <= 0 };
    if (left <= 0) return { text: 'expired: run bedrock-profile login', tone: 'bad', signedOut: true };
    return { text: durationWords(left), tone: left < 15 * 60_000 ? 'warn' : 'ok', signedOut: false };
  }
  if (left <= 0) return { text: SIGNED_OUT, tone: 'bad', signedOut: true };
  return {
    text: `ends ${clock(end.endsAt)}, not refreshable`,
    tone: left < HOUR ? 'warn' : 'ok',
    signedOut: false,
  };
}
