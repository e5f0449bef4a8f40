/**
 * The daemon's "Renew now" offer: `renewBefore` (default 60 minutes) ahead of a known session end, one
 * notification per session end, none while a sign-in or renewal runs. Clicking the action starts
 * `login --renew`'s flow. Sessions whose end is unknown, or that cannot be refreshed (their end is the
 * access token's, already covered by the "ends in" notifications), get no offer.
 */
import type { Config } from '../config/config.js';
import type { Env, Output } from '../context.js';
import type { SessionMemory } from '../core/refresh-plan.js';
import { renewOfferAt, renewOfferText } from '../core/session-end.js';
import type { Logger } from '../log/logger.js';
import type { Notifier } from '../notify/notifier.js';
import type { Paths } from '../platform/paths.js';
import { updateSessionLives } from '../state/session-life.js';
import { deviceCodeNotice } from './device-code-notice.js';
import { renew } from './renew-flow.js';
import { type ObservedEnd, observeSessions } from './session-life-observe.js';
import type { DiscoveredSession } from './sessions.js';

/** Sends the offers due now; returns when the next one is due (for the daemon's timer). */
export async function offerRenewals(o: {
  ends: ObservedEnd[];
  sessions: DiscoveredSession[];
  renewBeforeMs: number;
  now: number;
  /** A sign-in or renewal runs: offer nothing now (asked again after it). */
  busy: boolean;
  /** Offer the action (not in --once runs, which do not stay to hear the click). */
  withAction: boolean;
  notifier: Notifier;
  log: Logger;
  paths: Pick<Paths, 'stateDir'>;
  onRenew: (profile: string, session: DiscoveredSession) => void;
}): Promise<number | undefined> {
  let wake: number | undefined;
  const offered: Array<[string, number]> = [];
  for (const e of o.ends) {
    const at = renewOfferAt(e.end, o.renewBeforeMs);
    const session = o.sessions.find((s) => s.key === e.key);
    if (at === undefined || !e.end.known || !session || e.end.at <= o.now) continue;
    if (e.life.renewOfferedFor === e.end.at) continue;
    if (at > o.now) {
      wake = wake === undefined ? at : Math.min(wake, at);
      continue;
    }
    if (o.busy) continue;
    const profile = session.profiles[0] ?? session.key;
    const text = renewOfferText(profile, e.end, o.now);
    const res = await o.notifier.notify(text, { signInAction: o.withAction, actionLabel: 'Renew now' });
    const base = { session: session.key, profile };
    if (res.delivered)
      o.log.info('offered to renew the session', { ...base, endsAt: new Date(e.end.at).toISOString() });
    else o.log.warn('could not show a notification', { ...base, title: text.title, error: res.error });
    void res.action?.then((clicked) => {
      if (clicked) {
        o.log.info('notification action: renewing the session', base);
        o.onRenew(profile, session);
      }
    });
    offered.push([e.key, e.end.at]);
  }
  if (offered.length > 0)
    await updateSessionLives(o.paths, (m) => {
      for (const [k, at] of offered) m.set(k, { ...m.get(k), renewOfferedFor: at });
    });
  return wake;
}

/** After each pass: note sign-ins and refusals, then offer renewals. Returns the next offer's moment. */
export async function sessionEndsPass(o: {
  paths: Paths;
  sessions: DiscoveredSession[];
  memory: Record<string, SessionMemory>;
  config: Config;
  now: number;
  busy: boolean;
  withAction: boolean;
  notifier: Notifier;
  log: Logger;
  onRenew: (profile: string, session: DiscoveredSession) => void;
}): Promise<number | undefined> {
  const ends = await observeSessions({
    paths: o.paths,
    sessions: o.sessions,
    memory: o.memory,
    config: o.config,
    now: o.now,
  });
  return offerRenewals({ ...o, ends, renewBeforeMs: o.config.renewBeforeMs });
}

/** The daemon's renewal (the "Renew now" click): the same flow as `login --renew`, its lines to the log. */
export async function daemonRenew(o: {
  profile: string;
  env: Env;
  paths: Paths;
  now: () => number;
  log: Logger;
  notifier: Notifier;
  signal?: AbortSignal;
}): Promise<void> {
  const lines: Output = {
    isTTY: false,
    write: (t) => {
      for (const l of t.split('\n'))
        if (l.trim()) o.log.info(l.replace(/^bedrock-profile: /, ''), { profile: o.profile });
    },
  };
  try {
    await renew(
      {
        profile: o.profile,
        env: o.env,
        paths: o.paths,
        now: o.now,
        out: lines,
        ...(o.signal ? { signal: o.signal } : {}),
      },
      { onOutput: (method) => deviceCodeNotice(method, o.profile, o.notifier, o.log).onOutput },
    );
  } catch (err) {
    o.log.warn('could not renew the session', { profile: o.profile, error: (err as Error).message });
  }
}
