/**
 * The token cache read side: file names agree with the JS SDK and with botocore itself (run through the
 * aws CLI's own Python), both date forms read, every broken file gets a reason in words, no secret leaks.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { inspect } from 'node:util';
import { getSSOTokenFilepath } from '@smithy/shared-ini-file-loader';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  plainTokenRecord,
  readProfileToken,
  readSsoToken,
  ssoCacheId,
  tokenCacheFile,
} from '../../src/aws/token-cache.js';
import type { ProfileInfo } from '../../src/core/types.js';
import { awsBinary } from '../support/aws-cli.js';
import { ssoCacheDir, writeSsoCache } from '../support/aws-fixtures.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const IDS = [
  'corp',
  'my-session.prod',
  'https://d-1234567890.awsapps.com/start',
  'https://x.awsapps.com/start#/',
  'ünïcode',
];

/** The interpreter that runs the aws CLI: its shebang. */
function awsPython(): string {
  const first = readFileSync(awsBinary(), 'utf8').split('\n')[0] ?? '';
  return first.startsWith('#!') && !first.includes('bash') ? first.slice(2).trim().split(' ')[0]! : 'python3';
}

describe('file names', () => {
  test('tokenCacheFile matches the JS SDK (getSSOTokenFilepath) and botocore (SSOTokenLoader)', () => {
    const script = [
      'import json, sys',
      'from botocore.utils import SSOTokenLoader',
      'l = SSOTokenLoader(cache={})',
      'print(json.dumps([l._generate_cache_key(None, s) for s in json.loads(sys.argv[1])]))',
    ].join('\n');
    const botocore = JSON.parse(
      execFileSync(awsPython(), ['-c', script, JSON.stringify(IDS)], { encoding: 'utf8' }),
    );
    // Legacy profiles: the start URL is the key (session_name None).
    const legacyScript = [
      'from botocore.utils import SSOTokenLoader',
      "print(SSOTokenLoader(cache={})._generate_cache_key('https://x.awsapps.com/start', None))",
    ].join('\n');
    const legacy = execFileSync(awsPython(), ['-c', legacyScript], { encoding: 'utf8' }).trim();
    IDS.forEach((id, i) => {
      const ours = basename(tokenCacheFile('/c', id));
      expect(ours).toBe(basename(getSSOTokenFilepath(id)));
      expect(ours).toBe(`${botocore[i]}.json`);
    });
    expect(basename(tokenCacheFile('/c', 'https://x.awsapps.com/start'))).toBe(`${legacy}.json`);
    expect(tokenCacheFile('/home/u/.aws/sso/cache', 'corp')).toBe(
      '/home/u/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json',
    );
  });

  test('ssoCacheId: the session name, the legacy start URL, nothing for other kinds', () => {
    const p = (x: Partial<ProfileInfo>): ProfileInfo => ({ name: 'p', kind: 'sso', definedIn: [], ...x });
    expect(ssoCacheId(p({ kind: 'sso', ssoSession: 'corp', ssoStartUrl: 'https://u' }))).toBe('corp');
    expect(ssoCacheId(p({ kind: 'legacy-sso', ssoStartUrl: 'https://u' }))).toBe('https://u');
    for (const kind of ['static-keys', 'role-chain', 'credential-process', 'missing', 'unknown'] as const) {
      expect(ssoCacheId(p({ kind, ssoSession: 'corp' }))).toBeUndefined();
    }
  });
});

describe('readSsoToken', () => {
  let home: TempHome;
  beforeEach(() => {
    home = makeTempHome();
  });
  afterEach(() => home.cleanup());

  const at = Date.UTC(2026, 10, 24, 22, 0, 0);
  const token = {
    accessToken: 'SECRET-ACCESS-aaaa',
    expiresAt: at,
    refreshToken: 'SECRET-REFRESH-bbbb',
    clientId: 'client-1',
    clientSecret: 'SECRET-CLIENT-cccc',
    registrationExpiresAt: at + 90 * 86400_000,
    region: 'eu-west-1',
    startUrl: 'https://corp.awsapps.com/start',
  };
  const SECRETS = [token.accessToken, token.refreshToken, token.clientSecret];

  test.each(['botocore', 'js'] as const)('reads a full file in the %s date form', async (style) => {
    const file = writeSsoCache(home, 'corp', token, style);
    const read = await readSsoToken(file);
    expect(read.status).toBe('ok');
    if (read.status !== 'ok') return;
    expect({ ...read.token }).toEqual(token);
    expect(read.raw.clientId).toBe('client-1');
  });

  test('a legacy file (no refresh fields) reads, with only what is there', async () => {
    const file = home.write(tokenCacheFile(ssoCacheDir(home), 'https://x.awsapps.com/start'), {
      startUrl: 'https://x.awsapps.com/start',
      region: 'us-east-1',
      accessToken: 'abc',
      expiresAt: '2026-11-24T22:00:00Z',
    });
    const read = await readProfileToken(ssoCacheDir(home), {
      name: 'old',
      kind: 'legacy-sso',
      definedIn: [],
      ssoStartUrl: 'https://x.awsapps.com/start',
    });
    expect(read?.file).toBe(file);
    expect(read?.status === 'ok' && { ...read.token }).toEqual({
      accessToken: 'abc',
      expiresAt: at,
      region: 'us-east-1',
      startUrl: 'https://x.awsapps.com/start',
    });
    expect(
      await readProfileToken(ssoCacheDir(home), { name: 'k', kind: 'static-keys', definedIn: [] }),
    ).toBeUndefined();
  });

  test('missing file', async () => {
    const read = await readSsoToken(tokenCacheFile(ssoCacheDir(home), 'nope'));
    expect(read).toMatchObject({ status: 'missing', reason: expect.stringMatching(/no token cache file/) });
  });

  test('unreadable: a directory, a FIFO (no hang), a huge file, invalid UTF-8', async () => {
    const dir = tokenCacheFile(ssoCacheDir(home), 'dir');
    mkdirSync(dir, { recursive: true });
    expect(await readSsoToken(dir)).toMatchObject({
      status: 'unreadable',
      reason: 'the file is not a regular file',
    });
    const fifo = tokenCacheFile(ssoCacheDir(home), 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await readSsoToken(fifo)).toMatchObject({
      status: 'unreadable',
      reason: 'the file is not a regular file',
    });
    const big = home.write(
      tokenCacheFile(ssoCacheDir(home), 'big'),
      `{"accessToken":"${'x'.repeat(100_000)}"}`,
    );
    expect(await readSsoToken(big)).toMatchObject({
      status: 'unreadable',
      reason: expect.stringMatching(/larger than/),
    });
    const bad = tokenCacheFile(ssoCacheDir(home), 'bad');
    writeFileSync(bad, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(await readSsoToken(bad)).toMatchObject({
      status: 'unreadable',
      reason: 'the file is not valid UTF-8',
    });
  });

  test.each([
    ['empty', '', /the file is empty/],
    [
      'truncated',
      '{"accessToken": "SECRET-ACCESS-aaaa", "expiresAt": "2026-11-2',
      /line 1, column \d+ \(it ends early: truncated\?\)/,
    ],
    ['not JSON', 'accessToken=SECRET-ACCESS-aaaa', /not valid JSON at line 1, column 1$/],
    ['an array', '["SECRET-ACCESS-aaaa"]', /does not hold a JSON object/],
    ['no accessToken', '{"expiresAt":"2026-11-24T22:00:00Z"}', /has no accessToken/],
    [
      'accessToken not a string',
      '{"accessToken":5,"expiresAt":"2026-11-24T22:00:00Z"}',
      /has no accessToken/,
    ],
    ['no expiresAt', '{"accessToken":"SECRET-ACCESS-aaaa"}', /has no expiresAt/],
    [
      'bad expiresAt',
      '{"accessToken":"SECRET-ACCESS-aaaa","expiresAt":"next tuesday"}',
      /expiresAt is not an RFC 3339 date-time \("next tuesday"\)/,
    ],
    [
      'numeric expiresAt',
      '{"accessToken":"SECRET-ACCESS-aaaa","expiresAt":1795559151}',
      /expiresAt is not an RFC 3339 date-time \(number\)/,
    ],
  ])('corrupt: %s', async (_why, text, reason) => {
    const file = home.write(tokenCacheFile(ssoCacheDir(home), 'c'), text);
    const read = await readSsoToken(file);
    expect(read.status).toBe('corrupt');
    if (read.status === 'ok') return;
    expect(read.reason).toMatch(reason);
    expect(read.reason).not.toContain('SECRET');
  });

  test('bad optional fields are left out, not fatal', async () => {
    const file = home.write(tokenCacheFile(ssoCacheDir(home), 'c'), {
      accessToken: 'a',
      expiresAt: '2026-11-24T22:00:00Z',
      registrationExpiresAt: 'soon',
      refreshToken: 7,
      clientId: '',
    });
    const read = await readSsoToken(file);
    expect(read.status === 'ok' && { ...read.token }).toEqual({ accessToken: 'a', expiresAt: at });
  });

  test('never printed: inspect, String, template literals and JSON.stringify redact every secret', async () => {
    const file = writeSsoCache(home, 'corp', token);
    const read = await readSsoToken(file);
    if (read.status !== 'ok') throw new Error('expected ok');
    const printed = [
      inspect(read, { depth: 5 }),
      inspect(read.token),
      inspect(read.raw),
      String(read.token),
      `${read.raw}`,
      JSON.stringify(read),
      JSON.stringify({ nested: { t: read.token } }),
    ];
    for (const text of printed) {
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      expect(text).toContain('[redacted]');
    }
    // What is not secret stays visible, so a log line is still useful.
    expect(JSON.stringify(read.token)).toContain('client-1');
    expect(inspect(read.raw)).toContain('eu-west-1');
    // The real values are there for the code that needs them.
    expect(read.token.accessToken).toBe(token.accessToken);
    expect(read.raw.refreshToken).toBe(token.refreshToken);
    // A writer builds a plain object: that serialises in full.
    const next = JSON.stringify(plainTokenRecord(read.raw));
    for (const secret of SECRETS) expect(next).toContain(secret);
    expect(JSON.stringify({ ...read.raw, accessToken: 'new' })).toContain(token.refreshToken);
  });
});
