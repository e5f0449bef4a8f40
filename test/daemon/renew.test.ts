/**
 * `login --renew` and the sign-in method, as users and Claude Code run them: the built CLI in child
 * processes, the fake SSO-OIDC and portal (with Logout and session ends) behind the real SDK clients, and
 * the recording `aws` v2 stand-in first on PATH (its log has each argv and the moment it ran).
 */
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { renewBackupFile } from '../../src/daemon/renew-flow.js';
import { awsBinary } from '../support/aws-cli.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { AWS_V2_BIN, CONFIG, REGION, START_URL, standinTokenJson } from './support/harness.js';

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
  /** [argv, ms] per stand-in call. */
  calls(): Array<[string, number]>;
  fresh: ReturnType<FakeAws['issueToken']>;
}

function setup(opts: { awsBin?: string } = {}): Setup {
  const home = makeTempHome('bp-renew-');
  writeAwsConfig(home, CONFIG);
  const corpFile = tokenCacheFile(join(home.home, '.aws', 'sso', 'cache'), 'corp');
  const standinLog = join(home.root, 'aws-standin.log');
  const fresh = fake.issueToken({ ttlSeconds: 3600 });
  const env: Record<string, string> = {
    ...home.env,
    ...fake.endpointEnv(),
    PATH: `${opts.awsBin ?? AWS_V2_BIN}:${home.env.PATH}`,
    XDG_STATE_HOME: join(home.root, 'state'),
    XDG_CONFIG_HOME: join(home.root, 'config'),
    AWS_STANDIN_LOG: standinLog,
    AWS_STANDIN_TOKEN_FILE: corpFile,
    AWS_STANDIN_TOKEN_JSON: standinTokenJson(fresh),
  };
  return {
    home,
    env,
    corpFile,
    fresh,
    calls: () =>
      existsSync(standinLog)
        ? readFileSync(standinLog, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => {
              const [argv, , at] = l.split('\t');
              return [argv!, Number(at)] as [string, number];
            })
        : [],
  };
}

/** A live session signed in earlier: its token works and refreshes. */
function liveSession(s: Setup) {
  const t = fake.issueToken({ ttlSeconds: 3600 });
  writeSsoCache(s.home, 'corp', { ...t, region: REGION, startUrl: START_URL });
  return t;
}

const logouts = (since: number) => fake.requestsOf('sso', 'Logout').filter((r) => r.at >= since);

describe('login --renew', () => {
  it('ends the portal session (Logout) before the sign-in runs; the new session starts now and its end is known', async () => {
    const s = setup();
    s.home.write(join(s.env.XDG_CONFIG_HOME!, 'bedrock-profile', 'config.json'), { sessionDuration: '8h' });
    const old = liveSession(s);
    const since = Date.now();
    const r = await runCli(['login', '--profile', 'dev', '--renew'], { env: s.env });
    expect(r.stderr).toContain('ended the current SSO session of profile dev (SSO Logout)');
    expect(r.code).toBe(0);
    const out = logouts(since);
    expect(out.map((x) => x.status)).toEqual([200]);
    const calls = s.calls();
    expect(calls.map((c) => c[0])).toEqual(['sso login --profile dev']);
    expect(out[0]!.at).toBeLessThanOrEqual(calls[0]![1]);
    // The old session is over at AWS (its refresh token is refused); the new token is in the cache.
    const refreshOld = await fetch(`${fake.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grantType: 'refresh_token',
        clientId: old.clientId,
        clientSecret: old.clientSecret,
        refreshToken: old.refreshToken,
      }),
    });
    expect(refreshOld.headers.get('x-amzn-errortype')).toMatch(/^InvalidGrantException/);
    expect(JSON.parse(readFileSync(s.corpFile, 'utf8')).accessToken).toBe(s.fresh.accessToken);
    expect(r.stdout).toContain('ABCD-EFGH');
    expect(r.stderr).toContain('renewed: profile dev has a new SSO session and working credentials');
    const st = await runCli(['status', '--json'], { env: { ...s.env, AWS_PROFILE: 'dev' } });
    const end = JSON.parse(st.stdout).session.end;
    expect(end.source).toBe('config');
    const at = Date.parse(end.at);
    expect(at - Date.parse(end.startedAt)).toBe(8 * 3_600_000);
    expect(Math.abs(Date.parse(end.startedAt) - calls[0]![1])).toBeLessThan(60_000);
    expect(existsSync(renewBackupFile(s.corpFile))).toBe(false);
    for (const secret of [old.accessToken, old.refreshToken, old.clientSecret])
      expect(r.stdout + r.stderr).not.toContain(secret);
    s.home.cleanup();
  });

  it('a sign-in that fails: the cache file is put back byte for byte and the message says what is true', async () => {
    const s = setup();
    liveSession(s);
    const before = readFileSync(s.corpFile);
    const r = await runCli(['login', '--profile', 'dev', '--renew'], {
      env: { ...s.env, AWS_STANDIN_EXIT: '1' },
    });
    expect(r.code).toBe(1);
    expect(s.calls().map((c) => c[0])).toEqual(['sso login --profile dev']);
    expect(readFileSync(s.corpFile).equals(before)).toBe(true);
    expect(existsSync(renewBackupFile(s.corpFile))).toBe(false);
    expect(r.stderr).toMatch(
      /the sign-in did not complete \(aws sso login exited with 1\); AWS had already ended the old session at our request, so profile dev needs a new sign-in .*; run "bedrock-profile login --profile dev"/,
    );
    s.home.cleanup();
  });

  it('a sign-in that cannot start (AWS CLI v1) or AWS SSO unreachable: nothing is ended, the token keeps working', async () => {
    const v1 = makeTempHome('bp-renew-v1-');
    const bin = v1.mkdir('v1bin');
    symlinkSync(awsBinary(), join(bin, 'aws'));
    const s = setup({ awsBin: bin });
    const t = liveSession(s);
    const before = readFileSync(s.corpFile);
    const since = Date.now();
    const r = await runCli(['login', '--profile', 'dev', '--renew'], { env: s.env, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/AWS CLI v1 .*which has no "aws sso login"/);
    expect(logouts(since)).toEqual([]);
    expect(readFileSync(s.corpFile).equals(before)).toBe(true);

    const s2 = setup();
    liveSession(s2);
    fake.set({ portal: 'down' });
    try {
      const r2 = await runCli(['login', '--profile', 'dev', '--renew'], { env: s2.env, timeoutMs: 60_000 });
      expect(r2.code).toBe(1);
      expect(r2.stderr).toMatch(
        /could not reach AWS SSO to end the current session \(.*\); nothing was changed: the current session goes on/,
      );
      expect(s2.calls()).toEqual([]);
    } finally {
      fake.set({ portal: 'ok' });
    }
    // The token still works: the credentials resolve (plain login takes the silent path, no sign-in).
    const ok = await runCli(['login', '--profile', 'dev'], { env: s.env, timeoutMs: 60_000 });
    expect(ok.code).toBe(0);
    expect(t.accessToken).not.toBe('');
    s.home.cleanup();
    s2.home.cleanup();
    v1.cleanup();
  });
});

describe('login after the session ended', () => {
  it('notes the sign-in: status shows the new end from sessionDuration', async () => {
    const s = setup();
    s.home.write(join(s.env.XDG_CONFIG_HOME!, 'bedrock-profile', 'config.json'), { sessionDuration: '10h' });
    const t = fake.issueToken({ ttlSeconds: 60 });
    fake.revokeRefreshToken(t.refreshToken);
    writeSsoCache(s.home, 'corp', {
      ...t,
      expiresAt: Date.now() - 60_000,
      region: REGION,
      startUrl: START_URL,
    });
    const r = await runCli(['login', '--profile', 'dev'], { env: s.env });
    expect(r.code).toBe(0);
    const ran = s.calls()[0]![1];
    const end = JSON.parse(
      (await runCli(['status', '--json'], { env: { ...s.env, AWS_PROFILE: 'dev' } })).stdout,
    ).session.end;
    expect(end.source).toBe('config');
    expect(Math.abs(Date.parse(end.startedAt) - ran)).toBeLessThan(60_000);
    expect(Date.parse(end.at) - Date.parse(end.startedAt)).toBe(10 * 3_600_000);
    expect(end.words).toMatch(/^ends \d\d:\d\d \(in 9h 5\dm\)$/);
    s.home.cleanup();
  });
});

describe('login sees AWS refuse the refresh', () => {
  it("remembers it: status shows the end as the access token's, and the message offers --renew", async () => {
    const s = setup();
    const t = fake.issueToken({ ttlSeconds: 1800 });
    fake.revokeRefreshToken(t.refreshToken);
    writeSsoCache(s.home, 'corp', { ...t, region: REGION, startUrl: START_URL });
    const r = await runCli(['login', '--profile', 'dev'], { env: s.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /profile dev works for (29|30)m more, then this SSO session ends \(AWS refused the refresh: invalid_grant\); run "bedrock-profile login --profile dev --renew" to start a new one now/,
    );
    const end = JSON.parse(
      (await runCli(['status', '--json'], { env: { ...s.env, AWS_PROFILE: 'dev' } })).stdout,
    ).session.end;
    expect(end).toMatchObject({
      known: true,
      source: 'token',
      at: new Date(Math.floor(t.expiresAt / 1000) * 1000).toISOString(),
    });
    s.home.cleanup();
  });
});

describe('sign in where the user is: the flag passed to aws sso login', () => {
  const containerHost = existsSync('/.dockerenv') || existsSync('/run/.containerenv');
  // What `auto` must pass, per variable set (and every other one unset). Without a variable, only the
  // host's own container marker files can make it the device code.
  const rows: Array<[string, Record<string, string>, boolean]> = [
    ['a desktop (DISPLAY)', { DISPLAY: ':0' }, containerHost],
    ['SSH_CONNECTION', { DISPLAY: ':0', SSH_CONNECTION: '10.0.0.1 5022 10.0.0.2 22' }, true],
    ['SSH_TTY', { DISPLAY: ':0', SSH_TTY: '/dev/pts/4' }, true],
    ['CODESPACES', { DISPLAY: ':0', CODESPACES: 'true' }, true],
    ['REMOTE_CONTAINERS', { DISPLAY: ':0', REMOTE_CONTAINERS: 'true' }, true],
    ['no display', {}, true],
    ['WAYLAND_DISPLAY', { WAYLAND_DISPLAY: 'wayland-0' }, containerHost],
  ];
  it.each(rows)('%s', async (_name, vars, deviceCode) => {
    const s = setup();
    const { BEDROCK_PROFILE_SIGN_IN: _, ...env } = s.env;
    const r = await runCli(['login', '--profile', 'dev', '--force'], { env: { ...env, ...vars } });
    expect(r.code).toBe(0);
    expect(s.calls().map((c) => c[0])).toEqual([
      deviceCode ? 'sso login --profile dev --use-device-code' : 'sso login --profile dev',
    ]);
    // The verification URL and code reach our stdout (Claude Code shows awsAuthRefresh's output).
    expect(r.stdout).toContain('https://device.sso.us-east-1.amazonaws.com/');
    expect(r.stdout).toContain('ABCD-EFGH');
    if (deviceCode) expect(r.stderr).toContain('signing in with a device code:');
    s.home.cleanup();
  });

  it('the config overrides auto ("browser" over SSH), and BEDROCK_PROFILE_SIGN_IN overrides the config', async () => {
    const s = setup();
    const { BEDROCK_PROFILE_SIGN_IN: _, ...env } = s.env;
    s.home.write(join(env.XDG_CONFIG_HOME!, 'bedrock-profile', 'config.json'), { signIn: 'browser' });
    const ssh = { ...env, SSH_TTY: '/dev/pts/1' };
    await runCli(['login', '--profile', 'dev', '--force'], { env: ssh });
    await runCli(['login', '--profile', 'dev', '--force'], {
      env: { ...ssh, BEDROCK_PROFILE_SIGN_IN: 'device-code' },
    });
    expect(s.calls().map((c) => c[0])).toEqual([
      'sso login --profile dev',
      'sso login --profile dev --use-device-code',
    ]);
    s.home.cleanup();
  });
});
