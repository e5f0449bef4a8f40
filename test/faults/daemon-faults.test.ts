/**
 * Fault injection on the daemon and the cache writer, with real processes and real files:
 * - kill -9 at a random moment while our writer replaces the cache (a tight loop, and the real daemon
 *   mid-pass): the file always holds a whole token, the previous one or the next;
 * - disk full: RLIMIT_FSIZE (`ulimit -f` in a wrapper shell, SIGXFSZ ignored so writes fail with EFBIG);
 * - permission denied: a cache directory the daemon's user cannot write (as root: the daemon runs as
 *   `nobody` through setpriv; otherwise chmod);
 * - clock jumps (sleep and wake, the clock set back): the daemon in-process with the test's clock;
 * - the real `aws` CLI refreshing the same session at the same moment as the daemon.
 * After each: no crash, the old token intact (or a newer whole one), no temp file left, a clear log line.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../../src/core/rfc3339.js';
import { resolvePaths } from '../../src/platform/paths.js';
import {
  MIN,
  makeWorld,
  type RunningDaemon,
  startDaemon,
  until,
  type World,
} from '../daemon/support/harness.js';
import { runAws } from '../support/aws-cli.js';
import { BIN, REPO_ROOT } from '../support/run-cli.js';

let w: World | undefined;
let d: RunningDaemon | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
  await w?.cleanup();
  w = undefined;
});

interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function spawnProc(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  killAfterMs?: number,
): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (x) => (stdout += x));
    child.stderr.setEncoding('utf8').on('data', (x) => (stderr += x));
    const kill = killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
    const hang = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      clearTimeout(hang);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const cacheDirOf = (w: World) => join(w.corpFile, '..');
const tempFiles = (w: World) => readdirSync(cacheDirOf(w)).filter((n) => n.endsWith('.tmp'));
const readCache = (w: World) => JSON.parse(readFileSync(w.corpFile, 'utf8')) as Record<string, string>;
const CRASH = /internal error|^\s+at .+:\d+:\d+\)?$|TypeError|RangeError|Unhandled|uncaught/im;

describe('kill -9 mid-write', () => {
  it('our writer killed at random moments: the cache always holds one whole token, old or new', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    w.signIn(30 * MIN);
    const lockDir = join(w.paths.stateDir, 'locks');
    let lastSeconds = Math.floor(parseRfc3339(readCache(w).expiresAt)! / 1000);
    let killedAfterWrites = 0;
    for (let i = 0; i < 20; i++) {
      const child = spawn(
        process.execPath,
        [
          join(REPO_ROOT, 'test', 'faults', 'support', 'cache-writer.mjs'),
          w.corpFile,
          lockDir,
          String(lastSeconds * 1000),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((r) => child.stdout.once('data', () => r()));
      // Writes take well under a millisecond to a few ms each: a kill after 5-60 ms lands mid-loop,
      // at a random point of a write (open, write, fsync, rename, directory fsync).
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 55));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
      const c = readCache(w);
      const seconds = Math.floor(parseRfc3339(c.expiresAt)! / 1000);
      // One whole token: value, expiry and refresh token belong together, and time only moves forward.
      expect(seconds).toBeGreaterThanOrEqual(lastSeconds);
      if (seconds > lastSeconds || c.accessToken!.startsWith('tok-')) {
        expect(c.accessToken).toBe(`tok-${seconds}`);
        expect(c.refreshToken).toBe(`rt-${seconds}`);
        killedAfterWrites++;
      }
      expect(c.clientSecret).toBeTruthy();
      lastSeconds = seconds;
    }
    expect(killedAfterWrites).toBeGreaterThan(10);
    // A killed writer may leave its temp file behind (it holds a token): never readable by others.
    for (const t of tempFiles(w)) expect(statSync(join(cacheDirOf(w), t)).mode & 0o077).toBe(0);
  }, 120_000);

  it('the real daemon killed -9 at random points of a refresh pass: the previous token survives or the new one is whole', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    // Latency widens the window between CreateToken and the write, so kills land before, during and after.
    w.fake.set({ latencyMs: 150 });
    const outcomes = { old: 0, new: 0 };
    for (let i = 0; i < 8; i++) {
      const t = w.signIn(10 * MIN);
      const r = await spawnProc(process.execPath, [BIN, 'daemon', '--once'], w.env, 250 + i * 120);
      const c = readCache(w);
      if (c.accessToken === t.accessToken) {
        outcomes.old++;
        expect(c.refreshToken).toBe(t.refreshToken);
      } else {
        outcomes.new++;
        // The new token is one the fake issued, whole, valid for the fake's full lifetime.
        expect(c.accessToken).toMatch(/^fake-at-/);
        expect(parseRfc3339(c.expiresAt)! - Date.now()).toBeGreaterThan(50 * MIN);
      }
      expect(r.stderr).not.toMatch(CRASH);
    }
    expect(outcomes.old + outcomes.new).toBe(8);
  }, 120_000);
});

/** A tiny tmpfs mounted over `dir` (root with CAP_SYS_ADMIN only); undefined when mounting is not possible. */
function mountTmpfs(dir: string): (() => void) | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return () => execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
}

function fill(dir: string): string {
  const filler = join(dir, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(1024 * 1024, 120));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
  return filler;
}

const canMount = (() => {
  const probe = join(tmpdir(), `bp-mount-probe-${process.pid}`);
  const unmount = mountTmpfs(probe);
  unmount?.();
  rmSync(probe, { recursive: true, force: true });
  return unmount !== undefined;
})();

describe('disk full', () => {
  it.skipIf(!canMount)(
    'the cache file system is full (a 64 KiB tmpfs, filled): the old token stays byte-identical, no temp file, the log says so; with room again the next pass refreshes',
    async () => {
      w = await makeWorld({ clockStart: Date.now() });
      const unmount = mountTmpfs(w.paths.ssoCacheDir)!;
      try {
        const t = w.signIn(10 * MIN);
        const before = readFileSync(w.corpFile, 'utf8');
        const filler = fill(w.paths.ssoCacheDir);
        const r = await spawnProc(process.execPath, [BIN, 'daemon', '--once'], w.env);
        expect(r.signal, r.stderr).toBeNull();
        expect(r.stderr).not.toMatch(CRASH);
        expect(readFileSync(w.corpFile, 'utf8')).toBe(before);
        expect(tempFiles(w)).toEqual([]);
        expect(w.logText()).toMatch(/ENOSPC|no space left/i);
        // The refresh token on disk may have been spent (the service rotates it); sign in again, free space.
        rmSync(filler);
        w.signIn(10 * MIN);
        const ok = await spawnProc(process.execPath, [BIN, 'daemon', '--once'], w.env);
        expect(ok.code, ok.stderr).toBe(0);
        expect(readCache(w).accessToken).not.toBe(t.accessToken);
        expect(tempFiles(w)).toEqual([]);
      } finally {
        unmount();
      }
    },
    60_000,
  );

  it('every write fails (RLIMIT_FSIZE=0, SIGXFSZ ignored: EFBIG): a clear one-line error, not "internal error"; the token intact', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    w.signIn(10 * MIN);
    const before = readFileSync(w.corpFile, 'utf8');
    const r = await spawnProc(
      'bash',
      ['-c', `trap '' XFSZ; ulimit -f 0; exec "${process.execPath}" "${BIN}" daemon --once`],
      w.env,
    );
    expect(r.signal, r.stderr).toBeNull();
    expect(readFileSync(w.corpFile, 'utf8')).toBe(before);
    expect(tempFiles(w)).toEqual([]);
    expect(r.stderr).not.toMatch(CRASH);
    expect(r.stderr).toMatch(/^bedrock-profile: .*(too large|no space|EFBIG).*\n$/);
    // The failed lock write (the first write the daemon makes) names its file and leaves nothing behind.
    const stateDir = resolvePaths(w.env).stateDir;
    expect(r.stderr).toBe(
      `bedrock-profile: ${stateDir}/daemon.lock: file too large for this process (its file size limit, ulimit -f, was reached); free space or fix the permissions and run the command again\n`,
    );
    expect(existsSync(stateDir) ? readdirSync(stateDir, { recursive: true }) : []).toEqual([]);
  }, 60_000);
});

describe('permission denied', () => {
  it('a cache directory the daemon cannot write: token intact, the log says why, no crash', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    const t = w.signIn(10 * MIN);
    const before = readFileSync(w.corpFile, 'utf8');
    const root = process.getuid?.() === 0;
    let cmd = process.execPath;
    let args = [BIN, 'daemon', '--once'];
    if (root) {
      // Everything belongs to nobody except the cache directory, which nobody may read but not write.
      execFileSync('chown', ['-R', '65534:65534', w.home.root]);
      chownSync(cacheDirOf(w), 0, 0);
      chmodSync(cacheDirOf(w), 0o755);
      chmodSync(w.home.root, 0o755);
      cmd = 'setpriv';
      args = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'daemon', '--once'];
    } else {
      chmodSync(cacheDirOf(w), 0o555);
    }
    const r = await spawnProc(cmd, args, w.env);
    if (!root) chmodSync(cacheDirOf(w), 0o755);
    expect(r.stderr).not.toMatch(CRASH);
    expect(readFileSync(w.corpFile, 'utf8')).toBe(before);
    expect(readCache(w).accessToken).toBe(t.accessToken);
    expect(tempFiles(w)).toEqual([]);
    expect(w.logText() + r.stderr).toMatch(/EACCES|permission denied/i);
  }, 60_000);
});

describe('clock jumps (the daemon in-process with the test clock)', () => {
  it('wake 3 hours after the token expired, session refreshable: one refresh at once, no notification', async () => {
    w = await makeWorld();
    w.signIn(60 * MIN);
    d = startDaemon(w);
    await d.nextPass();
    w.clock.advance(4 * 60 * MIN);
    await until(() => w!.fake.requestsOf('sso-oidc', 'CreateToken').length === 1, 10_000, 'the refresh');
    // The refresh runs as the session's own job: wait for its write, then for passes planned from it.
    await until(
      () => parseRfc3339(readCache(w!).expiresAt)! > w!.clock.t + 50 * MIN,
      10_000,
      'the refreshed token on disk',
    );
    await d.nextPass();
    await d.nextPass();
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(1);
    expect(w.notifications()).toEqual([]);
  });

  it('wake past the end of a session AWS refused: one "ended" notification, not one per lead time missed', async () => {
    w = await makeWorld();
    w.signIn(60 * MIN);
    w.fake.set({ oidc: 'invalidGrant' });
    d = startDaemon(w);
    await d.nextPass();
    w.clock.advance(2 * 60 * MIN);
    await until(() => w!.notifications().length >= 1, 10_000, 'a notification');
    await d.nextPass();
    await d.nextPass();
    const n = w.notifications();
    expect(n).toHaveLength(1);
    expect(n[0]!.title).toBe('AWS session ended: corp (dev)');
  });

  it('the clock set back two hours: no refresh storm, no notification', async () => {
    w = await makeWorld();
    w.signIn(60 * MIN);
    d = startDaemon(w);
    await d.nextPass();
    w.clock.advance(-2 * 60 * MIN);
    await d.nextPass();
    await d.nextPass();
    w.clock.advance(2 * 60 * MIN + 41 * MIN); // back to normal time, then into the refresh window
    await until(() => w!.fake.requestsOf('sso-oidc', 'CreateToken').length === 1, 10_000, 'the refresh');
    await d.nextPass();
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(1);
    expect(w.notifications()).toEqual([]);
  });
});

describe('the real aws CLI refreshing the same session at the same moment', () => {
  it('no torn file, the aws call works, and losing the race is not mistaken for the end of the session', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    // 1.5 s per CreateToken: both read the same refresh token before either writes.
    w.fake.set({ latencyMs: 1500 });
    const awsEnv = { ...w.env, AWS_PROFILE: 'dev', AWS_DEFAULT_REGION: 'us-east-1' };
    for (let i = 0; i < 3; i++) {
      w.signIn(9 * MIN); // inside botocore's mandatory refresh window and our refreshBefore
      const aws = runAws(['sts', 'get-caller-identity', '--output', 'json'], awsEnv, 60_000);
      await new Promise((r) => setTimeout(r, 200 + i * 300));
      const daemon = spawnProc(process.execPath, [BIN, 'daemon', '--once'], w.env);
      const [a, dm] = await Promise.all([aws, daemon]);
      expect(a.code, a.stderr).toBe(0);
      expect(JSON.parse(a.stdout).Account).toBe('111122223333');
      expect(dm.stderr).not.toMatch(CRASH);
      const c = readCache(w);
      expect(parseRfc3339(c.expiresAt)! - Date.now()).toBeGreaterThan(50 * MIN);
      expect(c.refreshToken).toMatch(/^fake-rt-/);
    }
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken').length).toBeGreaterThanOrEqual(4);
    // The race really happened: with a rotating refresh token, the loser of each round got invalid_grant.
    const creates = w.fake.requestsOf('sso-oidc', 'CreateToken');
    expect(creates.some((r) => r.error === 'InvalidGrantException')).toBe(true);
    expect(new Set(creates.map((r) => r.userAgent?.split('/')[0]))).toEqual(
      new Set(['aws-sdk-js', 'aws-cli']),
    );
    // Someone else's refresh won: the session is fine, so no "your session ends" notification, and the
    // log says the other tool refreshed first rather than that the session ends.
    expect(w.notifications()).toEqual([]);
    expect(w.logText()).not.toContain('refresh rejected');
    if (creates.some((r) => r.error === 'InvalidGrantException' && r.userAgent?.startsWith('aws-sdk-js')))
      expect(w.logText()).toContain('another tool refreshed the SSO session first');
  }, 180_000);
});
