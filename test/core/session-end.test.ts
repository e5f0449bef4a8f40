/** The session's real end (pure) and the sign-in method table (pure, env and files passed in). */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/config.js';
import {
  describeSessionEnd,
  observeSession,
  refusedNow,
  type SessionObservation,
  sessionEnd,
  shortSessionEnd,
  signedInNow,
} from '../../src/core/session-end.js';
import { signInMethod, ssoLoginArgs } from '../../src/core/sign-in-method.js';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);
const ok = (refreshFp: string, clientFp = 'c1', usable = true): SessionObservation => ({
  status: 'ok',
  refreshFp,
  clientFp,
  usable,
});

describe('observing sign-ins', () => {
  it('a token appearing where there was none is a sign-in at that moment', () => {
    const none = observeSession(undefined, { status: 'missing', usable: false }, T0);
    const signed = observeSession(none, ok('r1'), T0 + 5 * M);
    expect(signed.startedAt).toBe(T0 + 5 * M);
  });

  it('first sight of a running session: start unknown; a rotation keeps the start; a new registration is a new sign-in', () => {
    const first = observeSession(undefined, ok('r1'), T0);
    expect(first.startedAt).toBeUndefined();
    const afterEnd = observeSession(
      observeSession(first, ok('r1', 'c1', false), T0 + H),
      ok('r2'),
      T0 + 2 * H,
    );
    expect(afterEnd.startedAt).toBe(T0 + 2 * H);
    const rotated = observeSession(afterEnd, ok('r3'), T0 + 3 * H);
    expect(rotated.startedAt).toBe(T0 + 2 * H);
    const newClient = observeSession(rotated, ok('r4', 'c2'), T0 + 4 * H);
    expect(newClient.startedAt).toBe(T0 + 4 * H);
  });

  it('a refused refresh token followed by a new one is a new session; unreadable files change nothing', () => {
    const running = observeSession(
      observeSession(undefined, { status: 'missing', usable: false }, T0),
      ok('r1'),
      T0,
    );
    const refused = refusedNow(running, 'r1', T0 + 8 * H + 10 * M);
    expect(observeSession(refused, { status: 'corrupt', usable: false }, T0 + 9 * H)).toEqual(refused);
    expect(observeSession(refused, ok('r2'), T0 + 9 * H).startedAt).toBe(T0 + 9 * H);
  });

  it('renewing (Logout, then a sign-in) starts now even when the registration is the same', () => {
    const running = { startedAt: T0, refreshFp: 'r1', clientFp: 'c1' };
    expect(signedInNow(running, ok('r2'), T0 + 3 * H).startedAt).toBe(T0 + 3 * H);
  });
});

describe('learning the duration from a refusal', () => {
  it('takes the smallest whole hour between the last good refresh and the refusal', () => {
    const life = refusedNow({ startedAt: T0, lastOkAt: T0 + 7 * H + 40 * M }, 'r1', T0 + 8 * H + 20 * M);
    expect(life.learnedDurationMs).toBe(8 * H);
    expect(life.refusedFp).toBe('r1');
  });
  it('no whole hour in the interval: the upper bound; no start seen: nothing learned', () => {
    expect(
      refusedNow({ startedAt: T0, lastOkAt: T0 + 8 * H + 5 * M }, 'r1', T0 + 8 * H + 50 * M)
        .learnedDurationMs,
    ).toBe(8 * H + 50 * M);
    expect(refusedNow({}, 'r1', T0 + H).learnedDurationMs).toBeUndefined();
  });
});

describe('the end', () => {
  const token = { status: 'ok' as const, expiresAt: T0 + H, refreshable: true };
  it('from the config: sign-in + sessionDuration', () => {
    const end = sessionEnd({ kind: 'sso', token, life: { startedAt: T0 }, configuredMs: 8 * H });
    expect(end).toEqual({ known: true, at: T0 + 8 * H, source: 'config', startedAt: T0 });
  });
  it('learned, when the config says nothing', () => {
    expect(
      sessionEnd({ kind: 'sso', token, life: { startedAt: T0, learnedDurationMs: 12 * H } }),
    ).toMatchObject({
      at: T0 + 12 * H,
      source: 'learned',
    });
  });
  it('legacy, not refreshable, or refused: the access token ends the session', () => {
    expect(sessionEnd({ kind: 'legacy-sso', token })).toMatchObject({ at: T0 + H, source: 'token' });
    expect(sessionEnd({ kind: 'sso', token: { ...token, refreshable: false } })).toMatchObject({
      source: 'token',
    });
    expect(
      sessionEnd({
        kind: 'sso',
        token,
        refreshFp: 'r1',
        life: { startedAt: T0, refusedFp: 'r1' },
        configuredMs: 8 * H,
      }),
    ).toMatchObject({ at: T0 + H, source: 'token' });
  });
  it('unknown, and why', () => {
    expect(sessionEnd({ kind: 'sso', token, configuredMs: 8 * H })).toEqual({
      known: false,
      why: 'start-not-seen',
    });
    expect(sessionEnd({ kind: 'sso', token, life: { startedAt: T0 } })).toEqual({
      known: false,
      why: 'no-duration',
    });
    expect(sessionEnd({ kind: 'sso', token: { status: 'missing' } })).toEqual({
      known: false,
      why: 'no-token',
    });
  });
  it('in words, with the clock passed in', () => {
    const end = sessionEnd({ kind: 'sso', token, life: { startedAt: T0 }, configuredMs: 8 * H + 2 * M });
    expect(describeSessionEnd(end, T0 + 5 * H + 52 * M, 'UTC')).toBe('ends 16:02 (in 2h 10m)');
    expect(shortSessionEnd(end, T0 + 5 * H + 52 * M)).toBe('2h10m');
    expect(describeSessionEnd(end, T0 + 9 * H, 'UTC')).toBe('ended 16:02');
    expect(describeSessionEnd(end, T0 - 20 * H, 'UTC')).toBe('ends Thu 16:02 (in 1d 4h)');
    expect(describeSessionEnd({ known: false, why: 'no-duration' }, T0)).toMatch(
      /^end unknown \(set "sessionDuration"/,
    );
  });
});

describe('config', () => {
  it('sessionDuration per sso-session or for all, renewBefore, signIn; bad values name the key', () => {
    const c = validateConfig(
      { sessionDuration: { corp: '12h', '*': '8h' }, renewBefore: '45m', signIn: 'device-code' },
      'f',
    );
    expect(c.sessionDurationMs).toEqual({ corp: 12 * H, '*': 8 * H });
    expect(c.renewBeforeMs).toBe(45 * M);
    expect(c.signIn).toBe('device-code');
    expect(validateConfig({ sessionDuration: '7d' }, 'f').sessionDurationMs).toEqual({ '*': 7 * 24 * H });
    expect(validateConfig({}, 'f')).toMatchObject({
      renewBeforeMs: H,
      signIn: 'auto',
      sessionDurationMs: {},
    });
    expect(() => validateConfig({ sessionDuration: '5m' }, 'f')).toThrow(/sessionDuration/);
    expect(() => validateConfig({ sessionDuration: { __proto__: 'x' } }, 'f')).not.toThrow();
    expect(() => validateConfig(JSON.parse('{"sessionDuration": {"__proto__": "8h"}}'), 'f')).not.toThrow();
    expect(() => validateConfig({ signIn: 'pkce' }, 'f')).toThrow(/"browser", "device-code" or "auto"/);
    expect(() => validateConfig({ renewBefore: '0m' }, 'f')).toThrow(/renewBefore/);
  });
});

describe('sign-in method: each variable set and unset', () => {
  const desktop = { DISPLAY: ':0' };
  const noFiles = () => false;
  const rows: Array<[string, Record<string, string>, string[], 'browser' | 'device-code']> = [
    ['a Linux desktop', desktop, [], 'browser'],
    ['SSH_CONNECTION', { ...desktop, SSH_CONNECTION: '10.0.0.1 5022 10.0.0.2 22' }, [], 'device-code'],
    ['SSH_TTY', { ...desktop, SSH_TTY: '/dev/pts/3' }, [], 'device-code'],
    ['SSH_CONNECTION empty', { ...desktop, SSH_CONNECTION: '' }, [], 'browser'],
    ['REMOTE_CONTAINERS', { ...desktop, REMOTE_CONTAINERS: 'true' }, [], 'device-code'],
    ['CODESPACES', { ...desktop, CODESPACES: 'true' }, [], 'device-code'],
    ['/.dockerenv', desktop, ['/.dockerenv'], 'device-code'],
    ['/run/.containerenv', desktop, ['/run/.containerenv'], 'device-code'],
    ['no DISPLAY, no WAYLAND_DISPLAY', {}, [], 'device-code'],
    ['WAYLAND_DISPLAY only', { WAYLAND_DISPLAY: 'wayland-0' }, [], 'browser'],
  ];
  it.each(rows)('%s', (_name, env, files, method) => {
    expect(signInMethod('auto', { env, platform: 'linux', exists: (p) => files.includes(p) }).method).toBe(
      method,
    );
  });
  it('macOS needs no DISPLAY; the config overrides auto both ways', () => {
    expect(signInMethod('auto', { env: {}, platform: 'darwin', exists: noFiles }).method).toBe('browser');
    expect(
      signInMethod('browser', { env: { SSH_TTY: '/dev/pts/1' }, platform: 'linux', exists: noFiles }).method,
    ).toBe('browser');
    expect(signInMethod('device-code', { env: desktop, platform: 'linux', exists: noFiles }).method).toBe(
      'device-code',
    );
    expect(ssoLoginArgs('dev', 'device-code')).toEqual([
      'sso',
      'login',
      '--profile',
      'dev',
      '--use-device-code',
    ]);
  });
});
