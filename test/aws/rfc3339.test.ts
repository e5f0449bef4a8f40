import { describe, expect, test } from 'vitest';
import { formatRfc3339Millis, formatRfc3339Seconds, parseRfc3339 } from '../../src/core/rfc3339.js';

const T = Date.UTC(2026, 10, 24, 22, 5, 7, 123);

describe('parseRfc3339', () => {
  test.each([
    ['2026-11-24T22:05:07Z', Date.UTC(2026, 10, 24, 22, 5, 7)], // botocore
    ['2026-11-24T22:05:07.123Z', T], // JS SDK
    ['2026-11-24T22:05:07.1Z', Date.UTC(2026, 10, 24, 22, 5, 7, 100)],
    ['2026-11-24T22:05:07.123456789Z', T],
    ['2026-11-24T22:05:07+00:00', Date.UTC(2026, 10, 24, 22, 5, 7)],
    ['2026-11-24T23:05:07+01:00', Date.UTC(2026, 10, 24, 22, 5, 7)],
    ['2026-11-24T17:05:07-0500', Date.UTC(2026, 10, 24, 22, 5, 7)],
    ['2026-11-24 22:05:07Z', Date.UTC(2026, 10, 24, 22, 5, 7)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['  2026-11-24T22:05:07Z\n', Date.UTC(2026, 10, 24, 22, 5, 7)],
  ])('%s', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  test.each([
    ['no zone', '2026-11-24T22:05:07'],
    ['date only', '2026-11-24'],
    ['not a date', 'tomorrow'],
    ['Date.parse would take it', 'Nov 24 2026 22:05:07 GMT'],
    ['Feb 30', '2026-02-30T00:00:00Z'],
    ['Feb 29 in a common year', '2026-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-11-24T24:00:00Z'],
    ['bad offset', '2026-11-24T22:05:07+25:00'],
    ['empty', ''],
  ])('rejects %s', (_why, text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  test('rejects non-strings', () => {
    for (const v of [undefined, null, 1795559151983, {}, ['2026-11-24T22:05:07Z']]) {
      expect(parseRfc3339(v)).toBeUndefined();
    }
  });
});

describe('formatting like the two SDKs', () => {
  test("botocore's strftime('%Y-%m-%dT%H:%M:%SZ')", () => {
    expect(formatRfc3339Seconds(T)).toBe('2026-11-24T22:05:07Z');
  });
  test("the JS SDK's toISOString()", () => {
    expect(formatRfc3339Millis(T)).toBe('2026-11-24T22:05:07.123Z');
  });
  test('round trips', () => {
    expect(parseRfc3339(formatRfc3339Millis(T))).toBe(T);
    expect(parseRfc3339(formatRfc3339Seconds(T))).toBe(T - 123);
  });
});
