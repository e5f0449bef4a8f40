/**
 * The daemon as a real process (the built CLI) while one session's SSO-OIDC endpoint never answers: the
 * other session's notifications arrive while that request hangs, the hung session recovers at its first
 * retry once the endpoint answers again, and SIGTERM, SIGINT or SIGHUP end it within 2 s in that state,
 * lock released. Locks that name a live but unrelated process (pid reuse) are taken over; a real second
 * daemon is still refused.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { cacheLockFile } from '../../src/aws/token-cache-write.js';
import { daemonLockFile, readDaemonState } from '../../src/daemon/daemon-state.js';
import { lockDir } from '../../src/daemon/refresh-session.js';
import { type Paths, resolvePaths } from '../../src/platform/paths.js';
import { processStart } from '../../src/platform/process-start.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { type HostileOidc, type HostileToken, startHostileOidc } from '../support/hostile-oidc.js';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { until } from './support/harness.js';

const STANDIN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');
const MIN = 60_000;
const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = Dev',
  'region = us-east-1',
  '',
  '[profile ops]',
  'sso_session = ops',
  'sso_account_id = 444455556666',
  'sso_role_name = Ops',
  'region = us-east-1',
  '',
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  'sso_region = us-east-1',
  '',
  '[sso-session ops]',
  'sso_start_url = https://ops.awsapps.com/start',
  'sso_region = us-east-1',
  '',
].join('\n');

let fake: FakeAws;
let oidc: HostileOidc;
beforeAll(async () => {
  fake = await startFakeAws();
  oidc = await startHostileOidc({ onIssue: (at, exp) => fake.seedAccessToken(at, exp) });
});
afterAll(async () => {
  await oidc.close();
  await fake.close();
});

interface World {
  home: TempHome;
  env: Record<string, string>;
  paths: Paths;
  corp: HostileToken;
  corpFile: string;
  notifyLog: string;
}

let w: World | undefined;
let child: ChildProcess | undefined;
afterEach(() => {
  oidc.setMode('ok');
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  w?.home.cleanup();
  w = undefined;
});

/** corp: refreshable, 10 minutes left (due now); ops: not refreshable, ends in `opsLeftMs`. */
function world(opsLeftMs: number): World {
  const home = makeTempHome('bp-dhostile-');
  writeAwsConfig(home, CONFIG);
  home.write('.claude/settings.json', { env: { AWS_PROFILE: 'dev', CLAUDE_CODE_USE_BEDROCK: '1' } });
  const repo = home.write('src/ops/.claude/settings.json', { env: { AWS_PROFILE: 'ops' } });
  const notifyLog = join(home.root, 'notify-send.log');
  const env = {
    ...home.env,
    ...fake.endpointEnv(),
    AWS_ENDPOINT_URL_SSO_OIDC: oidc.url,
    PATH: `${STANDIN_BIN}:${home.env.PATH}`,
    NOTIFY_SEND_LOG: notifyLog,
    XDG_STATE_HOME: join(home.root, 'state'),
    XDG_CONFIG_HOME: join(home.root, 'config'),
    XDG_CACHE_HOME: join(home.root, 'cache'),
    BEDROCK_PROFILE_NETWORK_TIMEOUT: '8',
  };
  const paths = resolvePaths(env, 'linux');
  home.write(paths.knownReposFile, { repos: [{ dir: join(repo, '..', '..'), lastSeen: Date.now() }] });
  const corp = oidc.issue({ ttlSeconds: 600 });
  const corpFile = writeSsoCache(home, 'corp', {
    ...corp,
    region: 'us-east-1',
    startUrl: 'https://corp.awsapps.com/start',
  });
  writeSsoCache(home, 'ops', {
    accessToken: 'ops-access-token-without-refresh',
    expiresAt: Date.now() + opsLeftMs,
    region: 'us-east-1',
    startUrl: 'https://ops.awsapps.com/start',
  });
  w = { home, env, paths, corp, corpFile, notifyLog };
  return w;
}

function notifications(x: World): string[] {
  return existsSync(x.notifyLog) ? readFileSync(x.notifyLog, 'utf8').split('\n').filter(Boolean) : [];
}

function startDaemonProcess(x: World): { exited: Promise<number | null>; stderr: () => string } {
  child = spawn(process.execPath, [BIN, 'daemon'], { env: x.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child!.on('close', (code) => r(code)));
  return { exited, stderr: () => err };
}

/**
 * Resolves with the exit code; rejects if the process is still running 2 s after `signal`. The 2 s is
 * the requirement (issue 11), not a speed claim: on the signal the daemon releases its lock, writes its
 * state and returns, and the command forces the exit 500 ms later whatever still holds the event loop.
 */
async function stopWithin2s(exited: Promise<number | null>, signal: NodeJS.Signals): Promise<number | null> {
  child!.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    exited,
    new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`still running 2 s after ${signal}`)), 2_000);
    }),
  ]);
  clearTimeout(timer);
  return code;
}

const corpRequests = (x: World) => oidc.requests.filter((r) => r.clientId === x.corp.clientId);

describe('daemon: one session hangs, the others do not wait', () => {
  it('notifies the other session on time while a refresh hangs, recovers at the first retry, SIGTERM stops it within 2 s', async () => {
    const x = world(5 * MIN + 4_000);
    oidc.setMode('hang', x.corp.clientId);
    const d = startDaemonProcess(x);
    await until(() => oidc.openCount() > 0, 20_000, 'the hung refresh');
    // ops's 5-minute notification falls due 4 s after start, while corp's request is still held open.
    await until(
      () => notifications(x).some((n) => n.includes('ops') && /5 minutes/.test(n)),
      20_000,
      "ops's 5-minute notification",
    );
    expect(oidc.openCount()).toBeGreaterThan(0);
    expect(corpRequests(x)).toHaveLength(1);
    // The endpoint answers again: the hung request ends at its deadline, the first retry (30 s later) works.
    oidc.setMode('ok', x.corp.clientId);
    await until(
      () => JSON.parse(readFileSync(x.corpFile, 'utf8')).accessToken !== x.corp.accessToken,
      60_000,
      'the refresh at the first retry',
    );
    expect(corpRequests(x).map((r) => r.status)).toEqual(['hung', 200]);
    expect(oidc.isLive(JSON.parse(readFileSync(x.corpFile, 'utf8')).refreshToken)).toBe(true);
    const log = readFileSync(x.paths.logFile, 'utf8');
    expect(log).toContain('first-byte deadline');
    expect(await stopWithin2s(d.exited, 'SIGTERM')).toBe(0);
    expect((await readDaemonState(x.paths)).running).toBe(false);
  }, 120_000);

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s while a refresh hangs: exits within 2 s, lock released, state says stopped',
    async (sig) => {
      const x = world(60 * MIN);
      oidc.setMode('hang', x.corp.clientId);
      const d = startDaemonProcess(x);
      await until(() => oidc.openCount() > 0 && corpRequests(x).length === 1, 20_000, 'the hung refresh');
      expect(await stopWithin2s(d.exited, sig)).toBe(0);
      expect(existsSync(daemonLockFile(x.paths))).toBe(false);
      const state = JSON.parse(readFileSync(x.paths.daemonStateFile, 'utf8'));
      expect(state.stoppedAt).toBeGreaterThan(0);
      expect(readFileSync(x.paths.logFile, 'utf8')).toContain('daemon stopped');
    },
    60_000,
  );
});

describe('locks survive pid reuse', () => {
  const unrelated = (purpose: string, withStart: boolean) =>
    `${JSON.stringify({
      pid: 1,
      startedAt: 0,
      purpose,
      token: 'leftover',
      ...(withStart ? { procStart: 'linux:another-boot:12345' } : {}),
    })}\n`;

  it.each([
    ['with a process start that is not pid 1’s', true],
    ['from an older version (pid only)', false],
  ])(
    'a daemon lock naming a live unrelated pid %s: status says not running, a new daemon takes it over',
    async (_n, withStart) => {
      expect(processStart(1)).toBeDefined();
      const x = world(60 * MIN);
      const lock = daemonLockFile(x.paths);
      x.home.write(lock, unrelated('daemon', withStart));
      const before = await runCli(['status', '--json'], { env: x.env });
      expect(JSON.parse(before.stdout).daemon).toMatchObject({ running: false, pid: null });
      const d = startDaemonProcess(x);
      await until(() => existsSync(x.paths.daemonStateFile), 20_000, 'the daemon to start');
      expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(child!.pid);
      const st = await runCli(['status', '--json'], { env: x.env });
      expect(JSON.parse(st.stdout).daemon).toMatchObject({ running: true, pid: child!.pid });
      // A real second daemon is still refused.
      const second = await runCli(['daemon'], { env: x.env });
      expect(second.code).toBe(5);
      expect(second.stderr).toContain(`another bedrock-profile daemon is already running (pid ${child!.pid}`);
      expect(await stopWithin2s(d.exited, 'SIGTERM')).toBe(0);
    },
    60_000,
  );

  it('a refresh lock left by a crash, naming a live unrelated pid: `refresh` takes it over at once and writes the rotated token', async () => {
    const x = world(60 * MIN);
    const lock = cacheLockFile(lockDir(x.paths), x.corpFile);
    x.home.write(lock, unrelated('refresh', true));
    const r = await runCli(['refresh', '--profile', 'dev'], { env: x.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('refreshed the SSO session corp (profile dev)');
    expect(oidc.isLive(JSON.parse(readFileSync(x.corpFile, 'utf8')).refreshToken)).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it('temp files a writer killed with -9 left in the cache directory (each holds a whole token) are removed by the next refresh', async () => {
    const x = world(60 * MIN);
    const dir = join(x.corpFile, '..');
    const name = x.corpFile.slice(dir.length + 1);
    // pid 2^22+1 is above Linux's pid_max default: no such process.
    const leftover = join(dir, `.${name}.4194305.0a1b2c3d.tmp`);
    writeFileSync(leftover, readFileSync(x.corpFile));
    const botoTemp = join(dir, 'tmpabc123.json');
    writeFileSync(botoTemp, '{}');
    const r = await runCli(['refresh', '--profile', 'dev'], { env: x.env });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(leftover)).toBe(false);
    // Not ours: left alone.
    expect(existsSync(botoTemp)).toBe(true);
    void tokenCacheFile;
  });
});
