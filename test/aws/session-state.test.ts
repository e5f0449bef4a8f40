import { describe, expect, test } from 'vitest';
import { EXPIRING_WINDOW_MS, sessionState } from '../../src/core/session-state.js';
import type { SsoToken, TokenRead } from '../../src/core/types.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const MIN = 60_000;
const full = { refreshToken: 'rt', clientId: 'cid', clientSecret: 'cs' };

function ok(token: Partial<SsoToken> & { expiresAt: number }): TokenRead {
  return { file: '/c/x.json', status: 'ok', token: { accessToken: 'at', ...token }, raw: {} };
}

describe('sessionState', () => {
  test('not SSO, missing, unreadable and corrupt files', () => {
    expect(sessionState(undefined, NOW)).toEqual({ status: 'not-sso', refreshable: false });
    expect(sessionState({ file: 'f', status: 'missing', reason: 'no file' }, NOW)).toEqual({
      status: 'missing',
      refreshable: false,
      reason: 'no file',
    });
    expect(sessionState({ file: 'f', status: 'unreadable', reason: 'permission denied' }, NOW).status).toBe(
      'invalid',
    );
    expect(
      sessionState({ file: 'f', status: 'corrupt', reason: 'the file has no accessToken' }, NOW),
    ).toMatchObject({
      status: 'invalid',
      reason: 'the file has no accessToken',
    });
  });

  test.each([
    ['hours left', 3 * 60 * MIN, 'valid'],
    ['exactly 15 minutes left', EXPIRING_WINDOW_MS, 'valid'],
    ['just under 15 minutes', EXPIRING_WINDOW_MS - 1, 'expiring'],
    ['one second left', 1000, 'expiring'],
    ['at expiresAt', 0, 'expired'],
    ['an hour ago', -60 * MIN, 'expired'],
  ] as const)('%s: %s', (_why, left, status) => {
    const s = sessionState(ok({ expiresAt: NOW + left, ...full }), NOW);
    expect(s.status).toBe(status);
    expect(s.msLeft).toBe(left);
    expect(s.expiresAt).toBe(NOW + left);
    expect(s.refreshable).toBe(true);
  });

  test('refreshable needs refresh token, client id and secret, and a live registration', () => {
    expect(sessionState(ok({ expiresAt: NOW + MIN }), NOW)).toMatchObject({
      refreshable: false,
      reason: expect.stringMatching(/no refresh token/),
    });
    expect(sessionState(ok({ expiresAt: NOW + MIN, refreshToken: 'rt', clientId: 'c' }), NOW)).toMatchObject({
      refreshable: false,
      reason: 'cannot refresh: the cache has no clientSecret',
    });
    expect(
      sessionState(ok({ expiresAt: NOW + MIN, ...full, registrationExpiresAt: NOW - 1 }), NOW),
    ).toMatchObject({
      refreshable: false,
      registrationExpiresAt: NOW - 1,
      reason: expect.stringMatching(/registration/),
    });
    expect(
      sessionState(ok({ expiresAt: NOW + MIN, ...full, registrationExpiresAt: NOW + 90 * 86400_000 }), NOW),
    ).toMatchObject({ refreshable: true, registrationExpiresAt: NOW + 90 * 86400_000 });
    // An expired access token with a live refresh token can still be refreshed (both SDKs try).
    expect(sessionState(ok({ expiresAt: NOW - MIN, ...full }), NOW)).toMatchObject({
      status: 'expired',
      refreshable: true,
    });
  });
});
