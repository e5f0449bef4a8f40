import { describe, expect, it } from 'vitest';
import {
  AUTO_LOGIN_MIN_INTERVAL_MS,
  memoryFor,
  minutesLeft,
  type PlanConfig,
  plan,
  recordNotified,
  recordRejected,
  recordRetry,
  retryDelayMs,
  type SessionInput,
  type SessionMemory,
} from '../../src/core/refresh-plan.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const cfg: PlanConfig = { refreshBeforeMs: 20 * MIN, notifyBeforeMs: [30 * MIN, 5 * MIN], autoLogin: false };

function sso(expiresIn: number, extra: Partial<SessionInput['token']> = {}): SessionInput {
  return {
    key: 'corp',
    profiles: ['dev', 'prod'],
    kind: 'sso',
    token: {
      status: 'ok',
      expiresAt: T0 + expiresIn,
      refreshable: true,
      registrationExpiresAt: T0 + 90 * 24 * 60 * MIN,
      ...extra,
    },
  };
}
function legacy(expiresIn: number): SessionInput {
  return {
    key: 'https://x.awsapps.com/start',
    profiles: ['old'],
    kind: 'legacy-sso',
    token: { status: 'ok', expiresAt: T0 + expiresIn },
  };
}

/** Run the planner over simulated time, applying notification outcomes as the daemon does. */
function simulate(session: SessionInput, from: number, to: number, step: number, mem0?: SessionMemory) {
  let mem: SessionMemory | undefined = mem0;
  const events: Array<{ at: number; type: string; msLeft?: number }> = [];
  for (let now = from; now <= to; now += step) {
    const p = plan({ sessions: [session], memory: mem ? { [session.key]: mem } : {}, config: cfg, now });
    mem = memoryFor(mem, session.token);
    for (const a of p.actions) {
      events.push({ at: now - T0, type: a.type, msLeft: a.type === 'notify' ? a.msLeft : undefined });
      if (a.type === 'notify') mem = recordNotified(mem, a.leads);
    }
  }
  return events;
}

describe('refresh plan', () => {
  it('does nothing for a refreshable session with more than refreshBefore left, and wakes at the due time', () => {
    const p = plan({ sessions: [sso(60 * MIN)], memory: {}, config: cfg, now: T0 });
    expect(p.actions).toEqual([]);
    expect(p.wakeAt).toBe(T0 + 40 * MIN);
    expect(p.sessions[0]!.next).toEqual({ action: 'refresh', at: T0 + 40 * MIN });
  });

  it('refreshes when less than refreshBefore is left, and even after expiry while the registration is valid', () => {
    expect(plan({ sessions: [sso(19 * MIN)], memory: {}, config: cfg, now: T0 }).actions).toEqual([
      { type: 'refresh', key: 'corp', profile: 'dev' },
    ]);
    expect(plan({ sessions: [sso(-5 * MIN)], memory: {}, config: cfg, now: T0 }).actions[0]?.type).toBe(
      'refresh',
    );
  });

  it('never notifies a refreshable session that can be refreshed', () => {
    const events = simulate(sso(60 * MIN), T0, T0 + 70 * MIN, MIN);
    expect(events.filter((e) => e.type === 'notify')).toEqual([]);
    expect(events.filter((e) => e.type === 'refresh').length).toBeGreaterThan(0);
  });

  it('backs off after a network failure', () => {
    const s = sso(10 * MIN);
    const mem = recordRetry(memoryFor(undefined, s.token), T0, 'ECONNREFUSED');
    const p = plan({ sessions: [s], memory: { corp: mem }, config: cfg, now: T0 + 10_000 });
    expect(p.actions).toEqual([]);
    expect(p.wakeAt).toBe(T0 + retryDelayMs(1));
    expect(
      plan({ sessions: [s], memory: { corp: mem }, config: cfg, now: T0 + 30_000 }).actions[0]?.type,
    ).toBe('refresh');
    expect([1, 2, 3, 4, 5, 9].map(retryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 300_000, 300_000,
    ]);
  });

  it('legacy sessions: one notification per lead time, then one when ended, no duplicates', () => {
    const events = simulate(legacy(45 * MIN), T0, T0 + 50 * MIN, 15_000);
    expect(events.map((e) => [e.type, e.at / MIN, minutesLeft(e.msLeft ?? 0)])).toEqual([
      ['notify', 15, 30],
      ['notify', 40, 5],
      ['notify', 45, 0],
    ]);
  });

  it('after a wake past several lead times: one notification, not a burst', () => {
    const s = legacy(45 * MIN);
    const before = simulate(s, T0, T0 + 10 * MIN, MIN);
    expect(before).toEqual([]);
    // The machine slept from minute 10 to minute 42: 3 minutes left, both lead times passed.
    const p = plan({ sessions: [s], memory: {}, config: cfg, now: T0 + 42 * MIN });
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]).toMatchObject({ type: 'notify', leads: [30 * MIN, 5 * MIN], msLeft: 3 * MIN });
  });

  it('a rejected refresh notifies at once with the minutes left, then at the remaining lead times', () => {
    const s = sso(19 * MIN);
    const mem = recordRejected(memoryFor(undefined, s.token), 'invalid_grant', T0);
    const p = plan({ sessions: [s], memory: { corp: mem }, config: cfg, now: T0 });
    expect(p.actions).toEqual([
      {
        type: 'notify',
        key: 'corp',
        profile: 'dev',
        leads: [30 * MIN],
        msLeft: 19 * MIN,
        reason: 'invalid_grant',
      },
    ]);
    const events = simulate(s, T0, T0 + 20 * MIN, 30_000, mem);
    expect(events.map((e) => [e.at / MIN, minutesLeft(e.msLeft ?? 0)])).toEqual([
      [0, 19],
      [14, 5],
      [19, 0],
    ]);
  });

  it('an expired registration means no refresh: the session ends', () => {
    const s = sso(15 * MIN, { registrationExpiresAt: T0 - 1 });
    const p = plan({ sessions: [s], memory: {}, config: cfg, now: T0 });
    expect(p.actions).toEqual([
      {
        type: 'notify',
        key: 'corp',
        profile: 'dev',
        leads: [30 * MIN],
        msLeft: 15 * MIN,
        reason: 'registration-expired',
      },
    ]);
  });

  it('a new token (refreshed or signed in again) resets the memory', () => {
    const s = legacy(4 * MIN);
    let mem = recordNotified(memoryFor(undefined, s.token), [30 * MIN, 5 * MIN]);
    expect(plan({ sessions: [s], memory: { [s.key]: mem }, config: cfg, now: T0 }).actions).toEqual([]);
    const renewed = legacy(60 * MIN);
    mem = memoryFor(mem, renewed.token);
    expect(mem.notified).toEqual([]);
  });

  it('a cache file briefly missing or unreadable is not a new token: nothing is said twice', () => {
    const s = legacy(4 * MIN);
    let mem = recordNotified(memoryFor(undefined, s.token), [30 * MIN, 5 * MIN]);
    for (const gone of [{ status: 'missing' as const }, { status: 'corrupt' as const, reason: 'empty' }]) {
      mem = memoryFor(mem, gone);
      mem = memoryFor(mem, s.token);
      expect(plan({ sessions: [s], memory: { [s.key]: mem }, config: cfg, now: T0 }).actions).toEqual([]);
    }
  });

  it('a corrupt file that reads again, then breaks the same way: said again', () => {
    const ok = sso(60 * MIN);
    const bad: SessionInput = { ...ok, token: { status: 'corrupt', reason: 'invalid JSON' } };
    let mem: SessionMemory = {
      ...memoryFor(memoryFor(undefined, ok.token), bad.token),
      unusableNotified: 'corrupt: invalid JSON',
    };
    expect(plan({ sessions: [bad], memory: { corp: mem }, config: cfg, now: T0 }).actions).toEqual([]);
    mem = memoryFor(mem, ok.token);
    expect(plan({ sessions: [bad], memory: { corp: mem }, config: cfg, now: T0 }).actions).toEqual([
      { type: 'notify-unusable', key: 'corp', profile: 'dev', reason: 'corrupt: invalid JSON' },
    ]);
  });

  it('a corrupt cache file: one notification per distinct problem', () => {
    const s: SessionInput = {
      key: 'corp',
      profiles: ['dev'],
      kind: 'sso',
      token: { status: 'corrupt', reason: 'invalid JSON' },
    };
    const p = plan({ sessions: [s], memory: {}, config: cfg, now: T0 });
    expect(p.actions).toEqual([
      { type: 'notify-unusable', key: 'corp', profile: 'dev', reason: 'corrupt: invalid JSON' },
    ]);
    const mem = { ...memoryFor(undefined, s.token), unusableNotified: 'corrupt: invalid JSON' };
    expect(plan({ sessions: [s], memory: { corp: mem }, config: cfg, now: T0 }).actions).toEqual([]);
  });

  it('missing cache: nothing to do', () => {
    const s: SessionInput = { key: 'corp', profiles: ['dev'], kind: 'sso', token: { status: 'missing' } };
    expect(plan({ sessions: [s], memory: {}, config: cfg, now: T0 })).toMatchObject({
      actions: [],
      wakeAt: undefined,
    });
  });

  it('autoLogin: once per session end, one at a time, rate-limited', () => {
    const auto = { ...cfg, autoLogin: true };
    const a = { ...legacy(3 * MIN), key: 'a', profiles: ['pa'] };
    const b = { ...legacy(2 * MIN), key: 'b', profiles: ['pb'] };
    const p = plan({ sessions: [a, b], memory: {}, config: auto, now: T0 });
    expect(p.actions.filter((x) => x.type === 'login')).toEqual([{ type: 'login', key: 'a', profile: 'pa' }]);
    const p2 = plan({
      sessions: [a, b],
      memory: { a: { notified: [], generation: a.token.expiresAt, autoLoginAt: T0 } },
      config: auto,
      now: T0 + MIN,
      lastAutoLoginAt: T0,
    });
    expect(p2.actions.filter((x) => x.type === 'login')).toEqual([]);
    expect(p2.wakeAt).toBeLessThanOrEqual(T0 + AUTO_LOGIN_MIN_INTERVAL_MS);
    expect(
      plan({ sessions: [a], memory: {}, config: auto, now: T0, loginRunning: true }).actions.filter(
        (x) => x.type === 'login',
      ),
    ).toEqual([]);
    // Not before the smallest lead time.
    expect(
      plan({ sessions: [legacy(20 * MIN)], memory: {}, config: auto, now: T0 }).actions.filter(
        (x) => x.type === 'login',
      ),
    ).toEqual([]);
  });
});

describe('refresh gap', () => {
  it('a token we just wrote is not refreshed again within a minute, even when shorter than refreshBefore; a new sign-in is', () => {
    const short = sso(10 * MIN);
    const mem: SessionMemory = {
      notified: [],
      generation: short.token.expiresAt,
      lastRefreshAt: T0,
      refreshedTo: short.token.expiresAt,
    };
    const p = plan({ sessions: [short], memory: { corp: mem }, config: cfg, now: T0 + 1000 });
    expect(p.actions).toEqual([]);
    expect(p.wakeAt).toBe(T0 + 60_000);
    const other = sso(9 * MIN);
    expect(
      plan({ sessions: [other], memory: { corp: memoryFor(mem, other.token) }, config: cfg, now: T0 + 1000 })
        .actions,
    ).toHaveLength(1);
  });
});
