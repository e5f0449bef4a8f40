/**
 * `aws login` profiles: the cache file name (sha256 of login_session, as the JS SDK's
 * fromLoginCredentials derives it), what a read returns (dates and the account, never a key), and status
 * reporting the session of a login profile. test/conformance runs the real Claude Code on such a profile.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loginCacheFile, readLoginToken } from '../../src/aws/login-cache.js';
import { loadAwsProfiles, profileInfo } from '../../src/aws/profiles.js';
import { resolvePaths } from '../../src/platform/paths.js';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const SESSION = 'arn:aws:iam::777777777777:user/console';
let t: TempHome;
afterEach(() => t?.cleanup());

function token(expiresAt: number, extra: Record<string, unknown> = {}) {
  return {
    accessToken: {
      accessKeyId: 'ASIALOGINKEY',
      secretAccessKey: 'login-secret',
      sessionToken: 'login-session-token',
      accountId: '777777777777',
      expiresAt: new Date(expiresAt).toISOString(),
    },
    clientId: 'arn:aws:signin:::devtools/same-device',
    refreshToken: 'login-refresh-token',
    dpopKey: 'login-dpop-key',
    ...extra,
  };
}

describe('aws login profiles', () => {
  it('the cache file is <dir>/<sha256(login_session)>.json; AWS_LOGIN_CACHE_DIRECTORY moves the dir', () => {
    const sha = createHash('sha256').update(SESSION).digest('hex');
    expect(loginCacheFile('/c', SESSION)).toBe(`/c/${sha}.json`);
    expect(resolvePaths({ HOME: '/h' }).awsLoginCacheDir).toBe('/h/.aws/login/cache');
    expect(resolvePaths({ HOME: '/h', AWS_LOGIN_CACHE_DIRECTORY: '/x' }).awsLoginCacheDir).toBe('/x');
  });

  it('a login_session profile is kind login for the SDK and for botocore', async () => {
    t = makeTempHome();
    t.write('.aws/config', `[profile console]\nlogin_session = ${SESSION}\nregion = eu-west-1\n`);
    const info = profileInfo(await loadAwsProfiles(resolvePaths(t.env)), 'console');
    expect(info).toMatchObject({ kind: 'login', loginSession: SESSION, region: 'eu-west-1' });
    expect(info.cliKind).toBeUndefined();
  });

  it('reads the expiry and account, never a secret; a file the SDK would refuse is corrupt', async () => {
    t = makeTempHome();
    const at = Date.parse('2026-12-03T12:00:00Z');
    const ok = t.write('ok.json', token(at));
    const r = await readLoginToken(ok);
    expect(r).toEqual({
      file: ok,
      status: 'ok',
      expiresAt: at,
      accountId: '777777777777',
      refreshable: true,
    });
    expect(JSON.stringify(r)).not.toMatch(/login-secret|login-session-token|login-refresh-token|dpop/);
    const bad = t.write('bad.json', token(at, { dpopKey: undefined }));
    expect(await readLoginToken(bad)).toMatchObject({
      status: 'corrupt',
      reason: expect.stringContaining('dpopKey'),
    });
    expect((await readLoginToken(join(t.root, 'none.json'))).status).toBe('missing');
  });

  it('status shows the login session with its expiry', async () => {
    t = makeTempHome();
    t.write('.aws/config', `[profile console]\nlogin_session = ${SESSION}\nregion = eu-west-1\n`);
    const expiresAt = Date.now() + 3 * 3600_000;
    t.write(loginCacheFile(join(t.home, '.aws', 'login', 'cache'), SESSION), token(expiresAt), 0o600);
    t.write('.claude/settings.json', { env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_PROFILE: 'console' } });
    const r = await runCli(['status', '--json'], { env: t.env });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.profile.kind).toBe('login');
    expect(s.session).toMatchObject({
      status: 'valid',
      profile: 'console',
      expiresAt: new Date(expiresAt).toISOString(),
      refreshable: true,
    });
    expect(s.region).toMatchObject({ value: 'eu-west-1', source: { scope: 'aws-config' } });
    expect(r.stdout).not.toMatch(/login-secret|login-session-token|login-refresh-token/);
  });
});
