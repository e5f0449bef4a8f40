/**
 * Shell stamps (src/hook/stamps.ts): the record writer makes the stamps directory and deletes stamps no
 * shell has written for a day; it never fails a resolve over them.
 */
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareStamps, STAMP_MAX_AGE_MS, staleStamps } from '../../src/hook/stamps.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let t: TempHome;
beforeEach(() => {
  t = makeTempHome('bp-stamps-');
});
afterEach(() => t.cleanup());

describe('staleStamps', () => {
  it('picks the stamps untouched for longer than the limit', () => {
    const now = 10 * STAMP_MAX_AGE_MS;
    const stamps = new Map([
      ['host.1', now - STAMP_MAX_AGE_MS - 1],
      ['host.2', now - STAMP_MAX_AGE_MS],
      ['host.3', now],
    ]);
    expect(staleStamps(stamps, now)).toEqual(['host.1']);
  });
});

describe('prepareStamps', () => {
  it('makes the directory 0700 and deletes only the stale stamps', async () => {
    const dir = join(t.root, 'cache', 'stamps');
    await prepareStamps(dir, Date.now());
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const now = Date.now();
    writeFileSync(join(dir, 'old.1'), '1');
    const old = (now - STAMP_MAX_AGE_MS - 60_000) / 1000;
    utimesSync(join(dir, 'old.1'), old, old);
    writeFileSync(join(dir, 'live.2'), '1');
    mkdirSync(join(dir, 'a-directory'));
    utimesSync(join(dir, 'a-directory'), old, old);
    await prepareStamps(dir, now);
    expect(readdirSync(dir).sort()).toEqual(['a-directory', 'live.2']);
  });

  it('never throws: a file where the directory goes is left alone', async () => {
    const dir = join(t.root, 'stamps');
    writeFileSync(dir, 'not a directory');
    await expect(prepareStamps(dir, Date.now())).resolves.toBeUndefined();
    expect(existsSync(dir)).toBe(true);
  });
});
