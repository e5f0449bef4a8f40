/**
 * The daemon's brain, pure: given the SSO sessions in use (what their cache files say), what the daemon
 * remembers about each (notifications sent, refreshes rejected, retries) and the clock, decide what to do now
 * and when to look again. No I/O; the clock is a parameter, so tests drive hours of time in microseconds.
 */

/** What the token cache of one session looks like right now (no secret in here). */
export interface SessionTokenView {
  status: 'ok' | 'missing' | 'unreadable' | 'corrupt';
  /** ms since epoch; for `ok` only. */
  expiresAt?: number;
  /** refreshToken, clientId and clientSecret are all present. */
  refreshable?: boolean;
  registrationExpiresAt?: number;
  /** Why the file cannot be used (unreadable/corrupt), for the log and the notification. */
  reason?: string;
}

export interface SessionInput {
  /** The cache id: the sso-session name, or the start URL of a legacy profile. */
  key: string;
  /** Profiles that use this session, the first one is named in notifications. */
  profiles: string[];
  kind: 'sso' | 'legacy-sso';
  token: SessionTokenView;
}

/** Why a refreshable session will still end. */
export type EndReason = 'invalid_grant' | 'registration-expired' | 'not-refreshable' | 'legacy';

/** What the daemon remembers per session, persisted in the daemon state file across restarts. */
export interface SessionMemory {
  /** The token generation this memory belongs to (its expiresAt); a new token resets the memory. */
  generation?: number;
  /** Lead times (ms) already notified for this generation; 0 means "ended" was notified. */
  notified: number[];
  /** A refresh of this generation was rejected: the session ends at expiresAt. */
  rejected?: { at: number; reason: EndReason; detail?: string };
  /** Network-type failures of this generation: retry with backoff. */
  retry?: { attempts: number; nextAt: number; lastError?: string };
  /** An unusable cache file (corrupt/unreadable) already notified, keyed by its reason. */
  unusableNotified?: string;
  /** autoLogin already started for this generation. */
  autoLoginAt?: number;
  lastRefreshAt?: number;
  /** The expiresAt of the token our last refresh wrote (the gap between refreshes applies to it only). */
  refreshedTo?: number;
}

export interface PlanConfig {
  refreshBeforeMs: number;
  /** Descending. */
  notifyBeforeMs: number[];
  autoLogin: boolean;
}

export type Action =
  | { type: 'refresh'; key: string; profile: string }
  | {
      type: 'notify';
      key: string;
      profile: string;
      /** The lead times this notification covers (all those already passed); 0 = ended. */
      leads: number[];
      msLeft: number;
      reason: EndReason;
    }
  | { type: 'notify-unusable'; key: string; profile: string; reason: string }
  | { type: 'login'; key: string; profile: string };

export interface SessionPlan {
  key: string;
  /** The next thing planned for this session and when (ms since epoch), for `status`. */
  next?: { action: 'refresh' | 'notify' | 'retry' | 'login' | 'ended'; at: number };
}

export interface Plan {
  actions: Action[];
  sessions: SessionPlan[];
  /** When to run the planner again (ms since epoch); undefined when nothing is pending. */
  wakeAt?: number;
}

/** Backoff for failed refreshes (network, 5xx): 30 s, 1 min, 2 min, 4 min, then every 5 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}

/** At most one refresh per session per minute, even if the service hands out tokens shorter than refreshBefore. */
export const MIN_REFRESH_GAP_MS = 60_000;

/** Global floor between two unasked browser sign-ins, so a wake with several ended sessions opens one tab. */
export const AUTO_LOGIN_MIN_INTERVAL_MS = 10 * 60_000;

/**
 * Memory for a session, reset when the token changed (a new generation: refreshed or signed in again).
 * A cache file that is briefly missing or unreadable (being rewritten by a tool that does not write
 * atomically, `~/.aws` restored from a backup) is not a new token: the memory stays, so what was said
 * about the token is not said again when the same token comes back. Once the token reads again, a later
 * problem with the file is news again.
 */
export function memoryFor(memory: SessionMemory | undefined, token: SessionTokenView): SessionMemory {
  if (token.status !== 'ok') return memory ?? { generation: undefined, notified: [] };
  const generation = token.expiresAt;
  if (!memory) return { generation, notified: [] };
  if (memory.generation !== generation) {
    return {
      generation,
      notified: [],
      lastRefreshAt: memory.lastRefreshAt,
      refreshedTo: memory.refreshedTo,
    };
  }
  if (memory.unusableNotified === undefined) return memory;
  const { unusableNotified: _, ...rest } = memory;
  return rest;
}

/** Why a session cannot be refreshed (and so ends at expiresAt), or undefined when it can. */
export function endReason(s: SessionInput, mem: SessionMemory, now: number): EndReason | undefined {
  if (s.kind === 'legacy-sso') return 'legacy';
  if (!s.token.refreshable) return 'not-refreshable';
  if (mem.rejected) return mem.rejected.reason;
  if (s.token.registrationExpiresAt !== undefined && s.token.registrationExpiresAt <= now)
    return 'registration-expired';
  return undefined;
}

export interface PlanInput {
  sessions: SessionInput[];
  memory: Record<string, SessionMemory>;
  config: PlanConfig;
  now: number;
  /** The last unasked sign-in the daemon started (any session), for the rate limit. */
  lastAutoLoginAt?: number;
  /** A sign-in is running now (ours or a `login` command): never start another. */
  loginRunning?: boolean;
}

/**
 * Decide. The returned memory is NOT updated: the caller records outcomes (notification sent, refresh
 * rejected) through the helpers below, so a failed action is retried rather than silently marked done.
 */
export function plan(input: PlanInput): Plan {
  const { config, now } = input;
  const actions: Action[] = [];
  const sessions: SessionPlan[] = [];
  let wakeAt: number | undefined;
  const wake = (t: number) => {
    if (wakeAt === undefined || t < wakeAt) wakeAt = t;
  };
  let autoLoginStarted = input.loginRunning === true;
  const leads = [...config.notifyBeforeMs].sort((a, b) => b - a);
  const smallestLead = leads.length > 0 ? leads[leads.length - 1]! : 0;

  for (const s of input.sessions) {
    const profile = s.profiles[0] ?? s.key;
    const mem = memoryFor(input.memory[s.key], s.token);
    const sp: SessionPlan = { key: s.key };
    sessions.push(sp);

    if (s.token.status === 'unreadable' || s.token.status === 'corrupt') {
      const reason = `${s.token.status}: ${s.token.reason ?? ''}`;
      if (mem.unusableNotified !== reason)
        actions.push({ type: 'notify-unusable', key: s.key, profile, reason });
      continue;
    }
    if (s.token.status !== 'ok' || s.token.expiresAt === undefined) continue;

    const expiresAt = s.token.expiresAt;
    const left = expiresAt - now;
    const ends = endReason(s, mem, now);

    if (ends === undefined) {
      // Refreshable: refresh when less than refreshBefore is left, with backoff after failures.
      const gapAt =
        // A token we just wrote is not refreshed again within the gap, even if shorter than refreshBefore.
        mem.lastRefreshAt !== undefined && mem.refreshedTo === expiresAt
          ? mem.lastRefreshAt + MIN_REFRESH_GAP_MS
          : Number.NEGATIVE_INFINITY;
      const dueAt = Math.max(expiresAt - config.refreshBeforeMs, gapAt);
      const retryAt = mem.retry?.nextAt;
      const at = retryAt !== undefined ? Math.max(dueAt, retryAt) : dueAt;
      if (at <= now) {
        actions.push({ type: 'refresh', key: s.key, profile });
        sp.next = { action: mem.retry ? 'retry' : 'refresh', at: now };
      } else {
        sp.next = { action: mem.retry ? 'retry' : 'refresh', at };
        wake(at);
      }
      continue;
    }

    // The session ends at expiresAt: notify at each lead time, once; one notification covers every lead
    // already passed (after a wake there is one notification, not a burst).
    if (left <= 0) {
      if (!mem.notified.includes(0)) {
        actions.push({ type: 'notify', key: s.key, profile, leads: [0, ...leads], msLeft: 0, reason: ends });
      }
    } else {
      const passed = leads.filter((l) => left <= l && !mem.notified.includes(l));
      // A rejected refresh is said at once, even above the largest lead time.
      const rejectedNow = ends !== 'legacy' && ends !== 'not-refreshable' && mem.notified.length === 0;
      if (passed.length > 0 || rejectedNow) {
        const covered = leads.filter((l) => left <= l);
        actions.push({
          type: 'notify',
          key: s.key,
          profile,
          leads: covered.length ? covered : [Number.MAX_SAFE_INTEGER],
          msLeft: left,
          reason: ends,
        });
      }
      const upcoming = leads.filter((l) => left > l && !mem.notified.includes(l));
      const nextLead = upcoming.length > 0 ? Math.max(...upcoming) : undefined;
      const nextAt = nextLead !== undefined ? expiresAt - nextLead : expiresAt;
      sp.next = { action: nextLead !== undefined ? 'notify' : 'ended', at: nextAt };
      wake(nextAt);
    }

    // autoLogin: once per generation, when the smallest lead time is reached, one at a time, rate-limited.
    if (config.autoLogin && mem.autoLoginAt === undefined && left <= smallestLead) {
      const sinceLast =
        input.lastAutoLoginAt === undefined ? Number.POSITIVE_INFINITY : now - input.lastAutoLoginAt;
      if (!autoLoginStarted && sinceLast >= AUTO_LOGIN_MIN_INTERVAL_MS) {
        actions.push({ type: 'login', key: s.key, profile });
        autoLoginStarted = true;
      } else if (input.lastAutoLoginAt !== undefined) {
        wake(input.lastAutoLoginAt + AUTO_LOGIN_MIN_INTERVAL_MS);
      }
    } else if (config.autoLogin && mem.autoLoginAt === undefined && left > smallestLead) {
      wake(expiresAt - smallestLead);
    }
  }
  return { actions, sessions, wakeAt };
}

/** Outcome recorders: return the new memory for the session. */
export function recordNotified(mem: SessionMemory, leads: number[]): SessionMemory {
  return { ...mem, notified: [...new Set([...mem.notified, ...leads])] };
}

export function recordRejected(
  mem: SessionMemory,
  reason: EndReason,
  now: number,
  detail?: string,
): SessionMemory {
  return { ...mem, rejected: { at: now, reason, detail }, retry: undefined };
}

export function recordRetry(mem: SessionMemory, now: number, error: string): SessionMemory {
  const attempts = (mem.retry?.attempts ?? 0) + 1;
  return { ...mem, retry: { attempts, nextAt: now + retryDelayMs(attempts), lastError: error } };
}

/** A successful refresh writes a new token: the next planning round sees a new generation. */
export function recordRefreshed(mem: SessionMemory, now: number, expiresAt?: number): SessionMemory {
  return { ...mem, retry: undefined, lastRefreshAt: now, refreshedTo: expiresAt };
}

export function recordUnusableNotified(mem: SessionMemory, reason: string): SessionMemory {
  return { ...mem, unusableNotified: reason };
}

export function recordAutoLogin(mem: SessionMemory, now: number): SessionMemory {
  return { ...mem, autoLoginAt: now };
}

/** Whole minutes left, rounded up (a notification at 4:59 left says 5), never negative. */
export function minutesLeft(msLeft: number): number {
  return msLeft <= 0 ? 0 : Math.ceil(msLeft / 60_000);
}
