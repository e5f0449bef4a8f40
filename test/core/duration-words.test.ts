import { describe, expect, it } from 'vitest';
import { durationWords, timeLeftWords } from '../../src/core/duration-words.js';

const m = 60_000;
describe('time in words', () => {
  it.each([
    [0, '<1m'],
    [59_999, '<1m'],
    [m, '1m'],
    [42 * m + 59_000, '42m'],
    [60 * m, '1h'],
    [65 * m, '1h 5m'],
    [24 * 60 * m, '1d'],
    [27 * 60 * m + 30 * m, '1d 3h'],
  ])('%i ms ahead is %s', (ms, words) => expect(timeLeftWords(ms)).toBe(words));

  it.each([
    [-1, 'expired just now'],
    [-3 * m, 'expired 3m ago'],
    [-(2 * 60 + 1) * m, 'expired 2h 1m ago'],
  ])('%i ms behind is %s', (ms, words) => expect(timeLeftWords(ms)).toBe(words));

  it('never NaN', () => expect(durationWords(Number.NaN)).toBe('<1m'));
});
