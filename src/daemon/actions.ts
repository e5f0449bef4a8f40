/**
 * Carrying out what the planner decided: refresh, notify, start a sign-in. Each returns the session's new
 * memory and logs what happened (never a secret: the logger redacts by key, by pattern and by value).
 */
import type { Env } from '../context.js';
import {
  cacheUnusableText,
  type NotificationText,
  sessionEndingText,
  signInFailedText,
} from '../core/notification-text.js';
import {
  type Action,
  minutesLeft,
  recordAutoLogin,
  recordNotified,
  recordRefreshed,
  recordRejected,
  recordRetry,
  recordUnusableNotified,
  type SessionMemory,
} from '../core/refresh-plan.js';
import type { Logger } from '../log/logger.js';
import { processSecrets } from '../log/redact.js';
import type { Notifier } from '../notify/notifier.js';
import type { Paths } from '../platform/paths.js';
import type { RefreshRecord } from './daemon-state.js';
import { refreshSession } from './refresh-session.js';
import type { DiscoveredSession } from './sessions.js';

export interface ActionContext {
  env: Env;
  paths: Paths;
  now: () => number;
  log: Logger;
  notifier: Notifier;
  /** Offer the "Sign in" action on notifications (not in --once runs, which do not stay to hear it). */
  offerSignIn: boolean;
  /** For `--once`: the command a notification's "Sign in" runs after this process has exited. */
  detachedSignIn?: (profile: string) => string[];
  /** Start a browser sign-in for a profile (rate limits are the caller's). */
  startSignIn: (profile: string, session: DiscoveredSession, why: 'action' | 'autoLogin') => void;
  onRefresh: (r: RefreshRecord) => void;
  /** The daemon stopping: abort the request. */
  signal?: AbortSignal;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What a notification shows goes through the process's one redaction, like the log and daemon.json. */
function redacted(text: NotificationText): NotificationText {
  return {
    ...text,
    title: processSecrets.redactString(text.title),
    message: processSecrets.redactString(text.message),
  };
}

export async function runAction(
  a: Action,
  session: DiscoveredSession,
  mem: SessionMemory,
  c: ActionContext,
): Promise<SessionMemory> {
  const base = { session: session.key, profile: a.profile };
  switch (a.type) {
    case 'refresh': {
      const r = await refreshSession(session, {
        env: c.env,
        paths: c.paths,
        now: c.now,
        onSecret: (v) => c.log.addSecret(v),
        ...(c.signal ? { signal: c.signal } : {}),
      });
      const now = c.now();
      switch (r.outcome) {
        case 'refreshed':
          c.log.info(`refreshed the SSO session; valid until ${iso(r.expiresAt)}`, {
            ...base,
            expiresAt: iso(r.expiresAt),
            minutesValid: minutesLeft(r.expiresAt - now),
            ...(r.note ? { note: r.note } : {}),
          });
          c.onRefresh({
            at: now,
            session: session.key,
            profile: a.profile,
            outcome: 'refreshed',
            expiresAt: r.expiresAt,
          });
          return recordRefreshed(mem, now, r.expiresAt);
        case 'kept-newer':
          c.log.info(
            r.lostRace
              ? `another tool refreshed the SSO session first (AWS refused the refresh token it had just replaced); using its token, valid until ${iso(r.expiresAt)}`
              : 'another tool wrote a newer token meanwhile; kept it',
            { ...base, expiresAt: iso(r.expiresAt) },
          );
          c.onRefresh({
            at: now,
            session: session.key,
            profile: a.profile,
            outcome: 'kept-newer',
            expiresAt: r.expiresAt,
          });
          return recordRefreshed(mem, now, r.expiresAt);
        case 'rejected':
          c.log.warn(
            `refresh rejected (${r.reason}): the session ends at ${iso(r.expiresAt)}, in ${minutesLeft(r.expiresAt - now)} minutes`,
            {
              ...base,
              reason: r.reason,
              detail: r.detail,
              endsAt: iso(r.expiresAt),
            },
          );
          c.onRefresh({
            at: now,
            session: session.key,
            profile: a.profile,
            outcome: 'rejected',
            detail: r.reason,
          });
          return recordRejected(mem, r.reason, now, r.detail);
        case 'not-refreshable':
          return recordRejected(mem, r.reason, now);
        case 'failed': {
          // Aborted because the daemon stops: nothing failed.
          if (c.signal?.aborted) return mem;
          const next = recordRetry(mem, now, r.detail);
          c.log.warn(`refresh failed; retrying at ${iso(next.retry!.nextAt)}`, {
            ...base,
            kind: r.kind,
            detail: r.detail,
            attempt: next.retry!.attempts,
          });
          c.onRefresh({
            at: now,
            session: session.key,
            profile: a.profile,
            outcome: 'failed',
            detail: r.detail,
          });
          return next;
        }
        case 'no-token':
          c.log.warn(`cannot refresh: the token cache is ${r.status}`, {
            ...base,
            file: session.file,
            reason: r.reason,
          });
          return mem;
        case 'skipped':
          c.log.warn('refresh not written', { ...base, reason: r.reason });
          return recordRetry(mem, now, r.reason);
      }
      return mem;
    }
    case 'notify': {
      const text = redacted(sessionEndingText(session, a.profile, a.msLeft, a.reason));
      // One notification per session: this one replaces the previous (an out-of-date "ends in 5 minutes").
      const res = await c.notifier.notify(text, {
        urgent: a.msLeft <= 5 * 60_000,
        signInAction: c.offerSignIn,
        group: session.key,
        // `daemon --once` does not stay to hear the click: a detached helper runs the sign-in (forced: the
        // user asked for it, as the daemon's own action does).
        ...(c.detachedSignIn
          ? {
              detachedSignIn: c.detachedSignIn(a.profile),
              detachedFailure: redacted(
                signInFailedText(session, a.profile, 'the sign-in from this notification did not complete'),
              ),
            }
          : {}),
      });
      if (res.delivered)
        c.log.info('notified', {
          ...base,
          minutesLeft: minutesLeft(a.msLeft),
          reason: a.reason,
          title: text.title,
          via: res.via,
        });
      else
        c.log.warn('could not show a notification', {
          ...base,
          minutesLeft: minutesLeft(a.msLeft),
          title: text.title,
          error: res.error,
        });
      void res.action?.then((clicked) => {
        if (clicked) {
          c.log.info('notification action: signing in', base);
          c.startSignIn(a.profile, session, 'action');
        }
      });
      // Marked done even when it could not be shown: the log says so, and retrying would flood it.
      return recordNotified(mem, a.leads);
    }
    case 'notify-unusable': {
      const text = redacted(cacheUnusableText(session, a.profile));
      c.log.warn('the token cache cannot be used', { ...base, file: session.file, reason: a.reason });
      const res = await c.notifier.notify(text, { signInAction: c.offerSignIn, group: session.key });
      if (res.delivered) c.log.info('notified', { ...base, title: text.title, via: res.via });
      else c.log.warn('could not show a notification', { ...base, title: text.title, error: res.error });
      void res.action?.then((clicked) => clicked && c.startSignIn(a.profile, session, 'action'));
      return recordUnusableNotified(mem, a.reason);
    }
    case 'login':
      c.log.info('autoLogin: starting a browser sign-in', base);
      c.startSignIn(a.profile, session, 'autoLogin');
      return recordAutoLogin(mem, c.now());
  }
}
