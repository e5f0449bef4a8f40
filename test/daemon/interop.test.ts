/**
 * After our refresh, the real consumers use the new token: the aws CLI (botocore) and the JS SDK's fromIni
 * (Claude Code's chain), with the fake's refresh endpoint switched off so neither can refresh on its own.
 * And the cache file we write is the same bytes, field for field, as the one botocore writes.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCredentials } from '../../src/aws/credentials-check.js';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { runAws } from '../support/aws-cli.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { CONFIG, MIN, REGION, START_URL } from './support/harness.js';

let fake: FakeAws;
let home: TempHome;
let env: Record<string, string>;
let file: string;
beforeAll(async () => {
  fake = await startFakeAws();
  home = makeTempHome('bp-interop-');
  writeAwsConfig(home, CONFIG);
  env = {
    ...home.env,
    ...fake.endpointEnv(),
    AWS_DEFAULT_REGION: REGION,
    XDG_STATE_HOME: join(home.root, 'state'),
  };
  file = tokenCacheFile(join(home.home, '.aws', 'sso', 'cache'), 'corp');
});
afterAll(async () => {
  await fake.close();
  home.cleanup();
});

describe('interop with the real consumers', () => {
  it('the aws CLI and fromIni both work with the token we wrote, with no refresh of their own', async () => {
    const t = fake.issueToken({ ttlSeconds: 10 * 60 });
    // The old access token is unknown to the portal: success below proves the new one was used.
    writeSsoCache(home, 'corp', {
      ...t,
      accessToken: 'stale-Access-Token-0000',
      region: REGION,
      startUrl: START_URL,
    });
    const r = await runCli(['refresh', '--profile', 'dev'], { env });
    expect(r.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    fake.set({ oidc: 'down' });
    fake.clearRequests();
    try {
      const cli = await runAws(['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], env);
      expect(cli.stderr).toBe('');
      expect(JSON.parse(cli.stdout).Arn).toBe('arn:aws:sts::111122223333:assumed-role/Dev/fake-user');
      const sdk = await checkCredentials({ profile: 'dev', env });
      expect(sdk).toMatchObject({ ok: true });
      expect(fake.requestsOf('sso', 'GetRoleCredentials').map((x) => x.status)).toEqual([200, 200]);
      expect(fake.requestsOf('sso-oidc')).toEqual([]);
    } finally {
      fake.set({ oidc: 'ok' });
    }
  });

  it('byte-compatible with botocore: same fields in the same order, same separators, same date format', async () => {
    // botocore refreshes a token inside its 15-minute window; we refresh the same starting file.
    const start = fake.issueToken({ ttlSeconds: 10 * 60 });
    writeSsoCache(home, 'corp', { ...start, region: REGION, startUrl: START_URL });
    const boto = await runAws(['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], env);
    expect(boto.code).toBe(0);
    const botoText = readFileSync(file, 'utf8');
    // botocore rewrote it (one line, json.dumps), not our pretty-printed fixture.
    expect(botoText).not.toContain('\n');
    expect(JSON.parse(botoText).accessToken).not.toBe(start.accessToken);

    const again = fake.issueToken({ ttlSeconds: 10 * 60 });
    writeSsoCache(home, 'corp', { ...again, region: REGION, startUrl: START_URL });
    expect((await runCli(['refresh', '--profile', 'dev'], { env })).code).toBe(0);
    const ourText = readFileSync(file, 'utf8');

    // Values differ (tokens, dates); keys, their order, separators and the shape of each value must not.
    const mask = (text: string) =>
      text.replace(/": "([^"]*)"/g, (_m, v: string) =>
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v)
          ? '": "DATE"'
          : v.startsWith('https://') || v === REGION
            ? `": "${v}"`
            : '": "S"',
      );
    expect(mask(ourText)).toBe(mask(botoText));
    expect(ourText).toMatch(/"expiresAt": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    // And the JS SDK reads it (fromIni above); a 60-minute token is outside both SDKs' refresh windows.
    expect(Date.parse(JSON.parse(ourText).expiresAt)).toBeGreaterThan(Date.now() + 55 * MIN);
  });
});
