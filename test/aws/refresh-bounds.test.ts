/**
 * The pieces behind "a refresh AWS answered is never lost" and "bounds on every input", on real files:
 * the compare-and-write decided by the refresh token on disk, the read-side bounds of a token cache file,
 * the known-repos cap on read, and service error text redacted before it is cut.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSsoToken } from '../../src/aws/token-cache.js';
import { writeRefreshedTokenLocked } from '../../src/aws/token-cache-write.js';
import { MAX_SERVICE_TEXT, processSecrets, serviceText } from '../../src/log/redact.js';
import { resolvePaths } from '../../src/platform/paths.js';
import { MAX_KNOWN_REPOS, readKnownRepos } from '../../src/state/known-repos.js';
import { writeSsoCache } from '../support/aws-fixtures.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const T = Date.UTC(2026, 11, 3, 10, 0, 0);
let home: TempHome | undefined;
afterEach(() => {
  home?.cleanup();
  home = undefined;
});

function seed(refreshToken: string | undefined, expiresAt: number): string {
  home = makeTempHome('bp-bounds-');
  return writeSsoCache(home, 'corp', {
    accessToken: 'on-disk-access',
    expiresAt,
    ...(refreshToken ? { refreshToken } : {}),
    clientId: 'cid',
    clientSecret: 'csecret-value',
    region: 'us-east-1',
  });
}

describe('compare-and-write: decided by the refresh token on disk', () => {
  const next = (expiresAt: number, refreshToken?: string) => ({
    accessToken: 'ours-access',
    expiresAt,
    ...(refreshToken ? { refreshToken } : {}),
  });
  const cases: Array<{
    name: string;
    disk: [string | undefined, number];
    ours: ReturnType<typeof next>;
    consumed?: string;
    written: boolean;
  }> = [
    {
      name: 'the file holds the token we consumed, with the same expiry second: ours (before: kept, a dead token)',
      disk: ['rt-1', T + 3600_000],
      ours: next(T + 3600_000, 'rt-2'),
      consumed: 'rt-1',
      written: true,
    },
    {
      name: 'the file holds the token we consumed with a later expiry (expiresIn <= 0 answered): ours',
      disk: ['rt-1', T + 3600_000],
      ours: next(T, 'rt-2'),
      consumed: 'rt-1',
      written: true,
    },
    {
      name: 'the file holds another refresh token (someone refreshed or signed in after we read): theirs',
      disk: ['rt-other', T + 60_000],
      ours: next(T + 3600_000, 'rt-2'),
      consumed: 'rt-1',
      written: false,
    },
    {
      name: 'no rotation, the same live token on both sides, ours later: ours',
      disk: ['rt-1', T + 60_000],
      ours: next(T + 3600_000),
      consumed: 'rt-1',
      written: true,
    },
    {
      name: 'no rotation, the same live token on both sides, theirs later: theirs',
      disk: ['rt-1', T + 7200_000],
      ours: next(T + 3600_000),
      consumed: 'rt-1',
      written: false,
    },
    {
      name: 'no refresh behind the write: the later expiry wins',
      disk: ['rt-1', T + 7200_000],
      ours: next(T + 3600_000),
      written: false,
    },
  ];
  it.each(cases)('$name', async (c) => {
    const file = seed(c.disk[0], c.disk[1]);
    const r = await writeRefreshedTokenLocked(file, c.ours, c.consumed);
    expect(r.status).toBe(c.written ? 'written' : 'kept-newer');
    const disk = JSON.parse(readFileSync(file, 'utf8'));
    expect(disk.accessToken).toBe(c.written ? 'ours-access' : 'on-disk-access');
    if (c.written) expect(disk.refreshToken).toBe(c.ours.refreshToken ?? c.consumed);
    expect(disk.clientSecret).toBe('csecret-value');
  });
});

describe('bounds on read', () => {
  it('a year-5195 expiresAt is corrupt, with the reason', async () => {
    const file = seed('rt-1', Date.UTC(5195, 0, 1));
    const r = await readSsoToken(file);
    expect(r).toMatchObject({
      status: 'corrupt',
      reason: 'expiresAt is not a date between the years 2000 and 2200',
    });
  });

  it('an access token of 20,000 characters is corrupt (the file itself is under 64 KiB)', async () => {
    home = makeTempHome('bp-bounds-');
    const file = writeSsoCache(home, 'corp', { accessToken: 'a'.repeat(20_000), expiresAt: T });
    expect(await readSsoToken(file)).toMatchObject({
      status: 'corrupt',
      reason: 'accessToken is 20000 characters long (at most 16384)',
    });
  });

  it('a 60,000-entry known-repos list is read as its newest 2000', async () => {
    home = makeTempHome('bp-bounds-');
    const paths = resolvePaths({ ...home.env, XDG_STATE_HOME: join(home.root, 'state') }, 'linux');
    const repos = Array.from({ length: 60_000 }, (_, i) => ({ dir: `/work/repo-${i}`, lastSeen: i }));
    home.write(paths.knownReposFile, { repos });
    const read = await readKnownRepos(paths);
    expect(read).toHaveLength(MAX_KNOWN_REPOS);
    expect(read[0]!.dir).toBe('/work/repo-59999');
  });
});

describe('service error text', () => {
  it('is redacted before it is cut: no part of a secret survives at the cut', () => {
    const secret = 'Zq9Xv2Lm8Kp4Rt6Yw1Bn3Hj5Gf7Dc0Sa';
    processSecrets.addSecret(secret);
    const text = `${'x'.repeat(MAX_SERVICE_TEXT - 10)} refreshToken ${secret} and more`;
    const out = serviceText(text);
    expect(out.length).toBeLessThanOrEqual(MAX_SERVICE_TEXT);
    for (let i = 0; i + 12 <= secret.length; i++) expect(out).not.toContain(secret.slice(i, i + 12));
  });

  it('a 10 MB message comes out at most 300 characters', () => {
    expect(serviceText('e'.repeat(10 * 1024 * 1024)).length).toBeLessThanOrEqual(MAX_SERVICE_TEXT);
  });
});
