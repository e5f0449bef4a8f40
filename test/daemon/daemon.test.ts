/**
 * The daemon end to end, in-process with the test's clock: real files in a temp HOME, the real SSO-OIDC
 * client against the fake AWS, real chokidar watches, notifications through the notify-send stand-in.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../../src/core/rfc3339.js';
import { runDaemon } from '../../src/daemon/daemon.js';
import { readDaemonState } from '../../src/daemon/daemon-state.js';
import { BusyError } from '../../src/errors.js';
import { recordFile } from '../../src/hook/record-store.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import {
  CONFIG,
  LEGACY_URL,
  MIN,
  makeWorld,
  REGION,
  type RunningDaemon,
  START_URL,
  startDaemon,
  until,
  type World,
} from './support/harness.js';

let w: World | undefined;
let d: RunningDaemon | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
  await w?.cleanup();
  w = undefined;
});

function cache(file: string): Record<string, string> {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function expectNoSecrets(text: string, secrets: string[]): void {
  for (const s of secrets) expect(text).not.toContain(s);
}

describe('daemon: refreshable sessions', () => {
  it('refreshes a session with less than refreshBefore left, writes the cache botocore-style, sends no notification', async () => {
    w = await makeWorld();
    const t = w.signIn(15 * MIN);
    d = startDaemon(w);
    await until(
      () => w!.fake.requestsOf('sso-oidc', 'CreateToken').length === 1 && d!.passes.length >= 1,
      10_000,
      'a refresh',
    );
    await until(() => cache(w!.corpFile).accessToken !== t.accessToken, 5000, 'the new token');
    const c = cache(w.corpFile);
    expect(c.refreshToken).not.toBe(t.refreshToken);
    expect(c.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(parseRfc3339(c.expiresAt)).toBe(Math.floor((w.clock.t + 60 * MIN) / 1000) * 1000);
    expect(c.startUrl).toBe(START_URL);
    expect(c.clientSecret).toBe(t.clientSecret);
    expect(w.notifications()).toEqual([]);
    await until(() => w!.logText().includes('refreshed the SSO session'), 5000, 'the log line');
    expectNoSecrets(w.logText(), [
      t.accessToken,
      t.refreshToken,
      t.clientSecret,
      c.accessToken!,
      c.refreshToken!,
    ]);
    // The refresh runs as the session's own job; its outcome reaches the state file right after it.
    await until(
      () =>
        existsSync(w!.paths.daemonStateFile) &&
        readFileSync(w!.paths.daemonStateFile, 'utf8').includes('"refreshed"'),
      5000,
      'the state file',
    );
    const st = await readDaemonState(w.paths);
    expect(st.running).toBe(true);
    expect(st.lastRefresh).toMatchObject({ session: 'corp', profile: 'dev', outcome: 'refreshed' });
    expect(st.sessions[0]).toMatchObject({
      key: 'corp',
      profiles: ['dev'],
      token: 'ok',
      next: { action: 'refresh' },
    });
  });

  it('waits while more than refreshBefore is left; after a clock jump (sleep/wake) it re-plans and refreshes at once', async () => {
    w = await makeWorld();
    w.signIn(60 * MIN);
    d = startDaemon(w);
    await until(() => d!.passes.length >= 1, 10_000, 'first pass');
    expect(d.passes[0]!.wakeAt).toBe(w.clock.t + 40 * MIN);
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(0);
    w.clock.advance(45 * MIN);
    await until(
      () => w!.fake.requestsOf('sso-oidc', 'CreateToken').length === 1,
      10_000,
      'refresh after the jump',
    );
    await until(() => w!.logText().includes('wall clock jumped'), 5000, 'the jump in the log');
    expect(w.notifications()).toEqual([]);
  });

  it('invalid_grant: notifies at once with the minutes left, then at 5 minutes, then at the end; no duplicates, no secret', async () => {
    w = await makeWorld();
    const t = w.signIn(15 * MIN);
    w.fake.set({ oidc: 'invalidGrant' });
    d = startDaemon(w);
    await until(() => w!.notifications().length === 1, 10_000, 'the first notification');
    const [first] = w.notifications();
    expect(first!.title).toBe('AWS session ends in 15 minutes: corp (dev)');
    expect(first!.message).toContain('AWS refused to refresh the SSO session');
    expect(first!.message).toContain('bedrock-profile login --profile dev');
    // A few more passes: nothing new, and no second refresh attempt for this token.
    w.clock.advance(MIN);
    await d.nextPass();
    await d.nextPass();
    expect(w.notifications()).toHaveLength(1);
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(1);
    w.clock.advance(9 * MIN + 30_000); // 4.5 minutes left
    await until(() => w!.notifications().length === 2, 10_000, 'the 5-minute notification');
    expect(w.notifications()[1]!.title).toBe('AWS session ends in 4 minutes: corp (dev)');
    w.clock.advance(5 * MIN);
    await until(() => w!.notifications().length === 3, 10_000, 'the end notification');
    expect(w.notifications()[2]!.title).toBe('AWS session ended: corp (dev)');
    await d.nextPass();
    await d.nextPass();
    expect(w.notifications()).toHaveLength(3);
    const all = JSON.stringify(w.notifications()) + w.logText();
    expectNoSecrets(all, [t.accessToken, t.refreshToken, t.clientSecret]);
    expect(w.logText()).toMatch(/refresh rejected \(invalid_grant\): the session ends at/);
  });

  it('loses a refresh race (another tool refreshed first, rotating the refresh token): not the end of the session', async () => {
    w = await makeWorld();
    const t = w.signIn(15 * MIN);
    // Our CreateToken waits 1 s at the fake; meanwhile the other tool refreshes: new token in the file,
    // our refresh token rotated away, so the fake answers ours with invalid_grant.
    w.fake.set({ latencyMs: 1000 });
    d = startDaemon(w);
    // Recorded on arrival; its operation is named only once answered.
    await until(() => w!.fake.requestsOf('sso-oidc').length === 1, 10_000, 'our CreateToken');
    const theirs = w.signIn(60 * MIN);
    w.fake.revokeRefreshToken(t.refreshToken);
    await until(() => w!.logText().includes('another tool refreshed'), 10_000, 'the lost race in the log');
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken')[0]!.error).toBe('InvalidGrantException');
    expect(w.logText()).toContain(
      `another tool refreshed the SSO session first (AWS refused the refresh token it had just replaced); using its token, valid until ${new Date(theirs.expiresAt).toISOString()}`,
    );
    expect(w.logText()).not.toContain('refresh rejected');
    // Planned from their token: the next refresh 20 minutes before its end, no notification. (The
    // refresh ran as the session's job; the pass after it plans from the new token.)
    await d.nextPass((p) => p.wakeAt === Math.floor(theirs.expiresAt / 1000) * 1000 - 20 * MIN);
    const st = await readDaemonState(w.paths);
    expect(st.lastRefresh).toMatchObject({ session: 'corp', outcome: 'kept-newer' });
    expect(st.sessions[0]).toMatchObject({ key: 'corp', token: 'ok', next: { action: 'refresh' } });
    expect(d.passes.at(-1)!.wakeAt).toBe(Math.floor(theirs.expiresAt / 1000) * 1000 - 20 * MIN);
    expect(cache(w.corpFile).accessToken).toBe(theirs.accessToken);
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(1);
    expect(w.notifications()).toEqual([]);
    expectNoSecrets(w.logText(), [t.accessToken, t.refreshToken, theirs.accessToken, theirs.refreshToken]);
  });

  it('network down or 500: retries with backoff, no notification; refreshes when AWS answers again', async () => {
    w = await makeWorld();
    w.signIn(15 * MIN);
    w.fake.set({ oidc: 'down' });
    d = startDaemon(w);
    await until(() => w!.logText().includes('refresh failed; retrying'), 15_000, 'the failure in the log');
    w.fake.set({ oidc: 'status500' });
    w.clock.advance(31_000);
    // A dropped or failed request is recorded without an operation name: match on the path.
    await until(
      () => w!.fake.requestsOf('sso-oidc').some((r) => r.path === '/token' && r.status === 500),
      15_000,
      'the retry',
    );
    await until(() => w!.logText().includes('"attempt":2'), 5000, 'the second failure in the log');
    expect(w.notifications()).toEqual([]);
    w.fake.set({ oidc: 'ok' });
    w.clock.advance(61_000);
    await until(
      () => w!.fake.requestsOf('sso-oidc', 'CreateToken').some((r) => r.status === 200),
      15_000,
      'the refresh',
    );
    await until(() => w!.logText().includes('refreshed the SSO session'), 5000, 'refreshed in the log');
    expect(w.notifications()).toEqual([]);
  });

  it('an expired client registration: no CreateToken, a notification that says why', async () => {
    w = await makeWorld();
    w.signIn(12 * MIN, { registrationExpiresAt: Date.UTC(2026, 10, 1) });
    d = startDaemon(w);
    await until(() => w!.notifications().length === 1, 10_000, 'the notification');
    expect(w.notifications()[0]!.message).toContain('client registration expired');
    expect(w.notifications()[0]!.title).toBe('AWS session ends in 12 minutes: corp (dev)');
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(0);
  });
});

describe('daemon: legacy sessions and faults', () => {
  it('legacy profile: one notification at each lead time (30 and 5 minutes), none in between', async () => {
    w = await makeWorld({ profiles: ['old'] });
    w.fake.seedAccessToken('legacy-token-Abc123', w.clock.t + 45 * MIN);
    writeSsoCache(w.home, LEGACY_URL, {
      accessToken: 'legacy-token-Abc123',
      expiresAt: w.clock.t + 45 * MIN,
      region: REGION,
      startUrl: LEGACY_URL,
    });
    d = startDaemon(w);
    await until(() => d!.passes.length >= 1, 10_000, 'first pass');
    expect(w.notifications()).toEqual([]);
    w.clock.advance(14 * MIN);
    await d.nextPass();
    expect(w.notifications()).toEqual([]);
    w.clock.advance(MIN + 1000); // 29:59 left, said as 29 (rounded down: never more time than there is)
    await until(() => w!.notifications().length === 1, 10_000, '30-minute notification');
    expect(w.notifications()[0]!.title).toBe('AWS session ends in 29 minutes: profile old');
    expect(w.notifications()[0]!.message).toContain('no refresh token');
    w.clock.advance(20 * MIN);
    await d.nextPass();
    expect(w.notifications()).toHaveLength(1);
    w.clock.advance(5 * MIN);
    await until(() => w!.notifications().length === 2, 10_000, '5-minute notification');
    expect(w.fake.requestsOf('sso-oidc')).toHaveLength(0);
  });

  it('a corrupt or truncated cache file: no crash, one notification, the log says what is wrong; a good file later is used', async () => {
    w = await makeWorld();
    const t = w.signIn(15 * MIN);
    const full = readFileSync(w.corpFile, 'utf8');
    writeFileSync(w.corpFile, full.slice(0, 40), { mode: 0o600 });
    d = startDaemon(w);
    await until(() => w!.notifications().length === 1, 10_000, 'the notification');
    expect(w.notifications()[0]!.title).toBe('AWS session cache unreadable: corp (dev)');
    expect(w.logText()).toMatch(/truncated.*the token cache cannot be used/);
    await d.nextPass();
    expect(w.notifications()).toHaveLength(1);
    writeFileSync(w.corpFile, full, { mode: 0o600 });
    await until(
      () => w!.fake.requestsOf('sso-oidc', 'CreateToken').length === 1,
      10_000,
      'the refresh of the repaired file',
    );
    expectNoSecrets(w.logText(), [t.accessToken, t.refreshToken, t.clientSecret]);
  });

  it('~/.aws deleted and re-created while running: the new session is found and refreshed', async () => {
    w = await makeWorld();
    w.signIn(50 * MIN);
    d = startDaemon(w);
    await until(() => d!.passes.length >= 1, 10_000, 'first pass');
    rmSync(join(w.home.home, '.aws'), { recursive: true, force: true });
    await d.nextPass((p) => p.sessions.length === 0);
    await new Promise((r) => setTimeout(r, 200));
    mkdirSync(join(w.home.home, '.aws'));
    writeAwsConfig(w.home, CONFIG);
    const t = w.signIn(10 * MIN);
    await until(
      () => w!.fake.requestsOf('sso-oidc', 'CreateToken').length === 1,
      10_000,
      'refresh after re-creation',
    );
    await until(() => cache(w!.corpFile).accessToken !== t.accessToken, 5000, 'new token written');
  });

  it('a second instance is refused with the first one’s pid; the first keeps running', async () => {
    w = await makeWorld();
    d = startDaemon(w);
    await until(() => d!.passes.length >= 1, 10_000, 'first pass');
    const second = runDaemon({ env: w.env, paths: w.paths, now: w.clock.now, once: true, platform: 'linux' });
    await expect(second).rejects.toBeInstanceOf(BusyError);
    await expect(second).rejects.toThrow(`pid ${process.pid}`);
    expect((await readDaemonState(w.paths)).running).toBe(true);
    await d.stop();
    d = undefined;
    const st = await readDaemonState(w.paths);
    expect(st.running).toBe(false);
    expect(w.logText()).toContain('daemon stopped');
  });

  it('reacts to a cache change without waiting for a tick (a new sign-in written by the AWS CLI)', async () => {
    w = await makeWorld();
    w.signIn(50 * MIN);
    // No tick falls due during the test: only the watch event on the cache can cause the refresh.
    d = startDaemon(w, { tickMs: 3600_000 });
    await until(() => d!.passes.length >= 1, 10_000, 'first pass');
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(0);
    w.signIn(10 * MIN);
    await until(() => w!.fake.requestsOf('sso-oidc', 'CreateToken').length === 1, 20_000, 'the refresh');
  });

  it('a known repo switches profile: the sessions in use follow, and its hook record is rewritten', async () => {
    w = await makeWorld({ profiles: ['dev', 'old'] });
    w.signIn(50 * MIN);
    writeSsoCache(w.home, LEGACY_URL, {
      accessToken: 'legacy-Token-1',
      expiresAt: w.clock.t + 3 * 3600_000,
      region: REGION,
      startUrl: LEGACY_URL,
    });
    d = startDaemon(w);
    await until(() => d!.passes.length >= 1, 10_000, 'first pass');
    expect(d.passes[0]!.sessions.map((s) => s.key).sort()).toEqual(['corp', LEGACY_URL]);
    const repo = join(w.home.home, 'src', 'repo0');
    w.home.write('src/repo0/.claude/settings.json', { env: { AWS_PROFILE: 'dev' } });
    await d.nextPass((p) => p.sessions.length === 1);
    const rec = recordFile(w.paths, repo)!;
    await until(
      () => {
        try {
          return readFileSync(rec, 'utf8').includes('\nprofile=dev\n');
        } catch {
          return false;
        }
      },
      5000,
      'the hook record',
    );
  });

  it('no repeated notification when ~/.aws briefly disappears and comes back with the same session', async () => {
    w = await makeWorld();
    w.signIn(15 * MIN);
    w.fake.set({ oidc: 'invalidGrant' });
    const text = readFileSync(w.corpFile, 'utf8');
    d = startDaemon(w);
    await until(() => w!.notifications().length === 1, 10_000, 'the notification');
    rmSync(join(w.home.home, '.aws'), { recursive: true, force: true });
    await d.nextPass((p) => p.sessions.length === 0);
    mkdirSync(join(w.home.home, '.aws', 'sso', 'cache'), { recursive: true });
    writeAwsConfig(w.home, CONFIG);
    writeFileSync(w.corpFile, text, { mode: 0o600 });
    await d.nextPass((p) => p.sessions.length === 1);
    await d.nextPass();
    expect(w.notifications()).toHaveLength(1);
  });
});
