/**
 * When an SSO session really ends (not its access token, which is renewed every hour): pure logic over
 * what can be observed. A session starts at a real sign-in (a refresh token appears where there was no
 * usable session, or with a new client registration, or after we ended the old session with `Logout`); it
 * lasts the duration the Identity Center administrator set, which the user may write in our config
 * (`sessionDuration`) or which we learn the first time AWS refuses a refresh. A session that cannot be
 * refreshed (legacy profile, refresh refused) ends when its access token expires. Anything else: unknown,
 * and said so. The clock is an argument; nothing here reads the environment.
 */
import { signInCommand } from './sign-in-command.js';

/** What is remembered per session (cache id) across processes; no secret in here (fingerprints only). */
export interface SessionLife {
  /** The moment of the sign-in that started this session, when we saw it happen. */
  startedAt?: number;
  /** A short hash of the refresh token last seen, to tell a new one from the same (never the token). */
  refreshFp?: string;
  /** A short hash of the client registration last seen. */
  clientFp?: string;
  /** The last observation found no usable session (no token, token expired and not refreshable, refused). */
  ended?: boolean;
  /** AWS refused to refresh this refresh token (invalid_grant): the session ends with the access token. */
  refusedFp?: string;
  /** The session duration learned from a refusal (ms). */
  learnedDurationMs?: number;
  /** The last successful refresh, a lower bound for the end when a refusal comes. */
  lastOkAt?: number;
  /** The end (ms) a "Renew now" notification was already sent for (one per session end). */
  renewOfferedFor?: number;
}

/** One look at the cache file (the caller hashes the secrets). */
export interface SessionObservation {
  status: 'ok' | 'missing' | 'unreadable' | 'corrupt';
  refreshFp?: string;
  clientFp?: string;
  /** The token can still be used: not expired, or refreshable and not refused. */
  usable: boolean;
}

/**
 * The next memory after looking at the cache. A new refresh token while the session was alive is a
 * rotation, or `aws sso login` reusing the live portal session (AWS keeps its original end): no new start.
 */
export function observeSession(
  prev: SessionLife | undefined,
  obs: SessionObservation,
  now: number,
): SessionLife {
  if (obs.status === 'unreadable' || obs.status === 'corrupt') return prev ?? {};
  if (obs.status === 'missing') return { ...prev, ended: true };
  const base: SessionLife = { ...prev, ended: !obs.usable };
  if (obs.refreshFp === undefined) return base;
  if (prev?.refreshFp === obs.refreshFp) return base;
  const newStart =
    prev !== undefined &&
    (prev.ended === true ||
      (prev.refreshFp !== undefined && prev.refusedFp === prev.refreshFp) ||
      (prev.clientFp !== undefined && obs.clientFp !== undefined && prev.clientFp !== obs.clientFp));
  const next: SessionLife = { ...base, refreshFp: obs.refreshFp };
  if (obs.clientFp !== undefined) next.clientFp = obs.clientFp;
  if (newStart) {
    next.startedAt = now;
    delete next.lastOkAt;
  } else if (prev === undefined || prev.refreshFp === undefined) {
    // First sight of a session already running: its start is not known.
    delete next.startedAt;
  }
  delete next.refusedFp;
  return next;
}

/** We ended the old session ourselves (Logout) and a sign-in succeeded: the new session starts now. */
export function signedInNow(
  prev: SessionLife | undefined,
  obs: SessionObservation,
  now: number,
): SessionLife {
  const next = observeSession(prev, obs, now);
  const out: SessionLife = { ...next, startedAt: now, ended: !obs.usable };
  delete out.refusedFp;
  delete out.lastOkAt;
  return out;
}

export function refreshedOk(prev: SessionLife | undefined, now: number): SessionLife {
  return { ...prev, lastOkAt: now };
}

const HOUR = 3_600_000;

/**
 * AWS refused the refresh (invalid_grant) of the token with this fingerprint: the session ended between the
 * last successful refresh and now. Administrators set whole hours (or 15 minutes): the smallest whole hour
 * in that interval is taken, else its upper bound.
 */
export function refusedNow(
  prev: SessionLife | undefined,
  refreshFp: string | undefined,
  now: number,
): SessionLife {
  const next: SessionLife = { ...prev };
  if (refreshFp !== undefined) next.refusedFp = refreshFp;
  if (prev?.startedAt !== undefined && now > prev.startedAt) {
    const upper = now - prev.startedAt;
    const lower = Math.max(0, (prev.lastOkAt ?? prev.startedAt) - prev.startedAt);
    const hour = Math.floor(lower / HOUR) + 1;
    next.learnedDurationMs = Math.min(hour * HOUR, upper);
  }
  return next;
}

export type EndSource = 'token' | 'config' | 'learned';

export type SessionEnd =
  | { known: true; at: number; source: EndSource; startedAt?: number }
  | { known: false; why: 'no-token' | 'start-not-seen' | 'no-duration' };

export interface SessionEndInput {
  kind: 'sso' | 'legacy-sso';
  token: { status: 'ok' | 'missing' | 'unreadable' | 'corrupt'; expiresAt?: number; refreshable?: boolean };
  /** The current token's refresh-token fingerprint (to match a recorded refusal). */
  refreshFp?: string;
  life?: SessionLife;
  /** From the config file (sessionDuration), ms. */
  configuredMs?: number;
}

export function sessionEnd(i: SessionEndInput): SessionEnd {
  if (i.token.status !== 'ok' || i.token.expiresAt === undefined) return { known: false, why: 'no-token' };
  const expiresAt = i.token.expiresAt;
  const refused = i.life?.refusedFp !== undefined && i.life.refusedFp === i.refreshFp;
  if (i.kind === 'legacy-sso' || !i.token.refreshable || refused)
    return { known: true, at: expiresAt, source: 'token' };
  const duration = i.configuredMs ?? i.life?.learnedDurationMs;
  const startedAt = i.life?.startedAt;
  if (startedAt === undefined) return { known: false, why: 'start-not-seen' };
  if (duration === undefined) return { known: false, why: 'no-duration' };
  // An access token outlives nothing: the session lasts at least as long as the one in hand.
  return {
    known: true,
    at: Math.max(startedAt + duration, expiresAt),
    source: i.configuredMs !== undefined ? 'config' : 'learned',
    startedAt,
  };
}

const MINUTE = 60_000;

/** "2h 10m", "45m", "3d 2h" (rounded down: never promise more time than there is). */
export function spanWords(ms: number): string {
  if (ms < MINUTE) return '<1m';
  const d = Math.floor(ms / (24 * HOUR));
  const h = Math.floor((ms % (24 * HOUR)) / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

function clockWords(at: number, now: number, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (timeZone) opts.timeZone = timeZone;
  const time = new Intl.DateTimeFormat('en-GB', opts).format(at);
  const day = (ms: number) =>
    new Intl.DateTimeFormat('en-CA', { ...(timeZone ? { timeZone } : {}), dateStyle: 'short' }).format(ms);
  if (day(at) === day(now)) return time;
  if (Math.abs(at - now) < 6 * 24 * HOUR) {
    const wd = new Intl.DateTimeFormat('en-GB', {
      ...(timeZone ? { timeZone } : {}),
      weekday: 'short',
    }).format(at);
    return `${wd} ${time}`;
  }
  return `${day(at)} ${time}`;
}

const UNKNOWN_WHY: Record<'no-token' | 'start-not-seen' | 'no-duration', string> = {
  'no-token': 'not signed in',
  'start-not-seen': 'signed in before bedrock-profile was watching; known from the next sign-in',
  'no-duration': 'set "sessionDuration" in config.json, or it is learned when AWS first ends the session',
};

/**
 * The session's end in words: "ends 17:02 (in 2h 10m)", "ended 09:15", "end unknown (why)". For status,
 * doctor and the Claude Code status line. `timeZone` defaults to the process's local zone.
 */
export function describeSessionEnd(end: SessionEnd, now: number, timeZone?: string): string {
  if (!end.known) return `end unknown (${UNKNOWN_WHY[end.why]})`;
  const when = clockWords(end.at, now, timeZone);
  if (end.at <= now) return `ended ${when}`;
  return `ends ${when} (in ${spanWords(end.at - now)})`;
}

/** The short form for a prompt: "2h10m", "45m", "ended", or undefined when unknown. */
export function shortSessionEnd(end: SessionEnd, now: number): string | undefined {
  if (!end.known) return undefined;
  if (end.at <= now) return 'ended';
  return spanWords(end.at - now).replace(' ', '');
}

/** When to offer "Renew now": `renewBefore` ahead of a known end of a refreshable session. */
export function renewOfferAt(end: SessionEnd, renewBeforeMs: number): number | undefined {
  if (!end.known || end.source === 'token') return undefined;
  return end.at - renewBeforeMs;
}

/** The "Renew now" notification: names and numbers only. */
export function renewOfferText(
  profile: string,
  end: SessionEnd,
  now: number,
  timeZone?: string,
): { title: string; message: string } {
  const words = describeSessionEnd(end, now, timeZone);
  return {
    title: `AWS session ${words}: ${profile}`,
    message: `Profile ${profile}: the SSO session ${words}. Renew now to start a new one (${signInCommand(profile, { renew: true })}); a browser or device-code sign-in follows.`,
  };
}
