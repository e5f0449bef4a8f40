/**
 * `login` and `refresh` as users and Claude Code (awsAuthRefresh) run them: the built CLI in child
 * processes, the fake AWS behind the real SDK clients, a recording `aws` v2 stand-in on PATH (and the real
 * AWS CLI v1 for the v1 detection).
 */
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { awsBinary } from '../support/aws-cli.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import {
  AWS_V2_BIN,
  CONFIG,
  LEGACY_URL,
  MIN,
  REGION,
  START_URL,
  standinTokenJson,
} from './support/harness.js';

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws();
});
afterAll(async () => {
  await fake.close();
});

interface Setup {
  home: TempHome;
  env: Record<string, string>;
  corpFile: string;
  standinLog: string;
  calls(): string[];
}

function setup(opts: { awsBin?: string } = {}): Setup {
  const home = makeTempHome('bp-login-');
  writeAwsConfig(home, CONFIG);
  const corpFile = tokenCacheFile(join(home.home, '.aws', 'sso', 'cache'), 'corp');
  const standinLog = join(home.root, 'aws-standin.log');
  const fresh = fake.issueToken({ ttlSeconds: 3600 });
  const env: Record<string, string> = {
    ...home.env,
    ...fake.endpointEnv(),
    PATH: `${opts.awsBin ?? AWS_V2_BIN}:${home.env.PATH}`,
    XDG_STATE_HOME: join(home.root, 'state'),
    AWS_STANDIN_LOG: standinLog,
    AWS_STANDIN_TOKEN_FILE: corpFile,
    AWS_STANDIN_TOKEN_JSON: standinTokenJson(fresh),
  };
  return {
    home,
    env,
    corpFile,
    standinLog,
    calls: () =>
      existsSync(standinLog)
        ? readFileSync(standinLog, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split('\t')[0]!)
        : [],
  };
}

/** A session that is over: its refresh token was revoked and its access token expired. */
function endedSession(s: Setup): void {
  const t = fake.issueToken({ ttlSeconds: 60 });
  fake.revokeRefreshToken(t.refreshToken);
  writeSsoCache(s.home, 'corp', {
    ...t,
    expiresAt: Date.now() - 5 * MIN,
    region: REGION,
    startUrl: START_URL,
  });
}

describe('login', () => {
  it('refreshes silently when the refresh token still works: exit 0, no browser sign-in', async () => {
    const s = setup();
    const t = fake.issueToken({ ttlSeconds: 600 });
    writeSsoCache(s.home, 'corp', { ...t, region: REGION, startUrl: START_URL });
    const r = await runCli(['login', '--profile', 'dev'], { env: s.env });
    expect(r.stderr).toContain('refreshed the SSO session of profile dev without a browser');
    expect(r.code).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(JSON.parse(readFileSync(s.corpFile, 'utf8')).accessToken).not.toBe(t.accessToken);
    for (const secret of [t.accessToken, t.refreshToken, t.clientSecret])
      expect(r.stdout + r.stderr).not.toContain(secret);
    s.home.cleanup();
  });

  it('a session that is over: runs "aws sso login --profile P" once, shows its URL and code, exit 0 when credentials resolve', async () => {
    const s = setup();
    endedSession(s);
    const r = await runCli(['login', '--profile', 'dev'], { env: s.env });
    expect(r.code).toBe(0);
    expect(s.calls()).toEqual(['sso login --profile dev']);
    expect(r.stdout).toContain('https://device.sso.us-east-1.amazonaws.com/');
    expect(r.stdout).toContain('ABCD-EFGH');
    expect(r.stderr).toContain('signed in: profile dev has working credentials');
    s.home.cleanup();
  });

  it('defaults to the profile Claude Code would use in the current directory (as awsAuthRefresh)', async () => {
    const s = setup();
    endedSession(s);
    const repo = s.home.mkdir('work/repo');
    s.home.write('work/repo/.claude/settings.json', { env: { AWS_PROFILE: 'dev' } });
    const r = await runCli(['login'], { env: s.env, cwd: repo });
    expect(r.code).toBe(0);
    expect(s.calls()).toEqual(['sso login --profile dev']);
    s.home.cleanup();
  });

  it('several at once (several Claude sessions): one sign-in runs, the others wait for its result', async () => {
    const s = setup();
    endedSession(s);
    const env = { ...s.env, AWS_STANDIN_DELAY_MS: '2500' };
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => runCli(['login', '--profile', 'dev'], { env, timeoutMs: 60_000 })),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(s.calls()).toEqual(['sso login --profile dev']);
    const waited = results.filter((r) => r.stderr.includes('already running'));
    expect(waited.length).toBeGreaterThanOrEqual(1);
    for (const r of waited) expect(r.stderr).toContain('the other sign-in succeeded');
    s.home.cleanup();
  });

  it('--force signs in even when the session still works', async () => {
    const s = setup();
    const t = fake.issueToken({ ttlSeconds: 3600 });
    writeSsoCache(s.home, 'corp', { ...t, region: REGION, startUrl: START_URL });
    const r = await runCli(['login', '--profile', 'dev', '--force'], { env: s.env });
    expect(r.code).toBe(0);
    expect(s.calls()).toEqual(['sso login --profile dev']);
    s.home.cleanup();
  });

  it('a failed sign-in: exit 1 and a message that says what to do', async () => {
    const s = setup();
    endedSession(s);
    const r = await runCli(['login', '--profile', 'dev'], { env: { ...s.env, AWS_STANDIN_EXIT: '1' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /credentials of profile dev still do not resolve \(aws sso login exited with 1\); run "bedrock-profile login --profile dev" again/,
    );
    s.home.cleanup();
  });

  it('AWS CLI v1 (the real one): says it has no "aws sso login" and what to install', async () => {
    const home = makeTempHome('bp-v1-');
    const bin = home.mkdir('v1bin');
    symlinkSync(awsBinary(), join(bin, 'aws'));
    const s = setup({ awsBin: bin });
    endedSession(s);
    const r = await runCli(['login', '--profile', 'dev'], { env: s.env, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /AWS CLI v1 \(aws-cli\/1\.\d+\.\d+.*\), which has no "aws sso login"; install the AWS CLI v2/,
    );
    s.home.cleanup();
    home.cleanup();
  });
});

describe('refresh', () => {
  it('refreshes now, and prints until when', async () => {
    const s = setup();
    const t = fake.issueToken({ ttlSeconds: 3000 });
    writeSsoCache(s.home, 'corp', { ...t, region: REGION, startUrl: START_URL });
    const r = await runCli(['refresh', '--profile', 'dev'], { env: s.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^refreshed the SSO session corp \(profile dev\): valid until \S+ \(60 minutes\)\n$/,
    );
    s.home.cleanup();
  });

  it('a rejected refresh: exit 1, the minutes left and how to sign in', async () => {
    const s = setup();
    const t = fake.issueToken({ ttlSeconds: 1200 });
    fake.revokeRefreshToken(t.refreshToken);
    writeSsoCache(s.home, 'corp', { ...t, region: REGION, startUrl: START_URL });
    const r = await runCli(['refresh', '--profile', 'dev'], { env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /AWS refused to refresh the SSO session of profile dev \(invalid_grant\); it ends in 20 minutes; sign in with "bedrock-profile login --profile dev"/,
    );
    s.home.cleanup();
  });

  it('a legacy profile cannot be refreshed: says how to move to an sso-session', async () => {
    const s = setup();
    writeSsoCache(s.home, LEGACY_URL, {
      accessToken: 'x'.repeat(20),
      expiresAt: Date.now() + 20 * MIN,
      region: REGION,
      startUrl: LEGACY_URL,
    });
    const r = await runCli(['refresh', '--profile', 'old'], { env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('legacy SSO configuration');
    s.home.cleanup();
  });

  it('an unknown profile: exit 1 and how to create it', async () => {
    const s = setup();
    const r = await runCli(['refresh', '--profile', 'nope'], { env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('there is no profile "nope"');
    s.home.cleanup();
  });
});
