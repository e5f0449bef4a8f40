/**
 * A day in the life, compressed into a few minutes. `npm run test:e2e` (not part of `npm test`).
 *
 * 1. install.sh (--yes --no-service --no-doctor) from a release-shaped copy into a throwaway HOME, as a
 *    new user would; the daemon is then started the way the service unit starts it (the installed command,
 *    `bedrock-profile daemon`), since no systemd/launchd runs here.
 * 2. A fake AWS on 127.0.0.1 (real clock) issues access tokens that live 17 minutes, and the config file
 *    says refreshBefore 16m: the daemon refreshes each token about a minute after it was issued, so a day's
 *    refreshes happen a minute apart, while every token on disk always has more than 15 minutes left, which
 *    is outside both SDKs' own refresh windows (botocore 15 min, the JS SDK 5 min). Role credentials live 4
 *    minutes, so every consumer call goes back to the SSO token (the JS SDK treats credentials with under
 *    5 minutes left as expired; botocore's credential cache window is 15 minutes).
 * 3. Meanwhile the real consumers keep calling: a long-lived JS SDK process (one default credential chain,
 *    like Claude Code) and the real `aws sts get-caller-identity` in a loop. Zero failures allowed.
 * 4. Every CreateToken is ours: each came from the JS SDK's user agent (never aws-cli), the daemon logged
 *    each one, and each replaced a token that still had more than 15 minutes left.
 * 5. Then the fake ends the session (every refresh answered invalid_grant): exactly one notification
 *    (notify-send stand-in), saying the minutes left, sent before the token expires; the clients still work.
 * 6. At the same time, zsh, bash and fish started with the installed rc files move between three repos with
 *    three profiles while a stray key pair appears and disappears: the right AWS_PROFILE everywhere, each
 *    warning once.
 *
 * E2E_REFRESHES (default 3) sets how many refreshes to wait for before ending the session.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { parseRfc3339 } from '../../src/core/rfc3339.js';
import { readDaemonStateFile } from '../../src/daemon/daemon-state.js';
import {
  type InstallHome,
  makeInstallHome,
  makeReleaseSource,
  run,
  runInstallSh,
} from '../install/install-harness.js';
import { runAws } from '../support/aws-cli.js';
import { writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { REPO_ROOT } from '../support/run-cli.js';

const REFRESHES = Number(process.env.E2E_REFRESHES ?? 3);
const TOKEN_TTL_S = 17 * 60;
const REFRESH_BEFORE = '16m';
const START_URL = 'https://corp.awsapps.com/start';
const STANDIN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');
const MIN = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Call {
  at: number;
  ok: boolean;
  who: 'js-sdk' | 'aws-cli';
  detail?: string;
}

let source: string;
let h: InstallHome;
let fake: FakeAws;
let cacheFile: string;
let notifyLog: string;
let daemonLog: string;
let signInAt: number;
const calls: Call[] = [];
let endedAt = 0;
let notifiedAt = 0;
let expiresAtWhenEnded = 0;
let daemonStderr = '';
let plannedNext: { action: string; at: number } | undefined;
const shellRuns: Record<string, { out: string[]; stderr: string }> = {};
const repos: Record<string, string> = {};

function notifications(): Array<{ title: string; message: string }> {
  if (!existsSync(notifyLog)) return [];
  return readFileSync(notifyLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const args = line.split('\t').filter((a) => a !== '');
      const dd = args.indexOf('--');
      return { title: args[dd + 1] ?? '', message: args[dd + 2] ?? '' };
    });
}

function cacheExpiresAt(): number {
  return parseRfc3339(JSON.parse(readFileSync(cacheFile, 'utf8')).expiresAt)!;
}

const refreshes = () =>
  fake
    .requestsOf('sso-oidc', 'CreateToken')
    .filter((r) => r.grantType === 'refresh_token' && r.status === 200);

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The aws CLI in a loop (each call starts Python, about a second here) until `stop()` says so. */
async function awsLoop(stop: () => boolean): Promise<void> {
  const env = { ...h.env, ...fake.endpointEnv(), AWS_PROFILE: 'dev' };
  while (!stop()) {
    const at = Date.now();
    const r = await runAws(['sts', 'get-caller-identity', '--output', 'json'], env, 60_000);
    let ok = r.code === 0;
    if (ok) ok = JSON.parse(r.stdout).Account === '111122223333';
    calls.push({ at, ok, who: 'aws-cli', ...(ok ? {} : { detail: r.stderr.trim().slice(0, 300) }) });
    await sleep(3000);
  }
}

/** One shell, started with the rc files install.sh wrote, fed `script` on stdin. */
async function shellSession(shell: 'zsh' | 'bash' | 'fish', script: string): Promise<void> {
  const out = join(h.root, `out-${shell}.txt`);
  writeFileSync(out, '');
  const full = script.replaceAll('OUT', out);
  const args = shell === 'fish' ? ['-c', 'cat | fish -i'] : shell === 'bash' ? ['--noediting', '-i'] : ['-i'];
  const r = await run(shell === 'fish' ? 'sh' : shell, args, {
    env: { ...h.env, SHELL: `/usr/bin/${shell}`, TERM: 'dumb' },
    cwd: h.home,
    input: full,
    timeoutMs: 120_000,
  });
  // bash says this itself when stdin is not a terminal; not ours.
  const stderr = r.stderr
    .replace(
      /^bash: (cannot set terminal process group \(\d+\): Inappropriate ioctl for device|no job control in this shell)\n/gm,
      '',
    )
    .replace(/^exit\n/gm, '');
  shellRuns[shell] = { out: readFileSync(out, 'utf8').split('\n').filter(Boolean), stderr };
}

function shellScript(shell: 'zsh' | 'bash' | 'fish'): string {
  const mark = (label: string) =>
    shell === 'fish'
      ? `if set -q AWS_PROFILE; echo "${label} $AWS_PROFILE" >> OUT; else; echo "${label} (unset)" >> OUT; end`
      : `echo "${label} \${AWS_PROFILE-(unset)}" >> OUT`;
  const exp = (n: string, v: string) => (shell === 'fish' ? `set -gx ${n} ${v}` : `export ${n}=${v}`);
  const unset = (n: string) => (shell === 'fish' ? `set -e ${n}` : `unset ${n}`);
  return [
    `cd ${repos.app}`,
    mark('app'),
    `cd ${repos.data}`,
    mark('data'),
    `cd ${repos.ops}`,
    mark('ops'),
    'cd ~',
    mark('home'),
    // A pasted key pair appears in the app repo: one warning; moving around inside says nothing more.
    `cd ${repos.app}`,
    `${exp('AWS_ACCESS_KEY_ID', 'AKIAE2EEXAMPLE000001')}; ${exp('AWS_SECRET_ACCESS_KEY', 'e2e-not-a-real-secret')}`,
    'true',
    'cd src',
    mark('app-src'),
    'cd ..',
    'true',
    // Still there in another repo: that repo's warning, once.
    `cd ${repos.data}`,
    mark('data-stray'),
    'true',
    // Gone: silence, everywhere.
    `${unset('AWS_ACCESS_KEY_ID')}; ${unset('AWS_SECRET_ACCESS_KEY')}`,
    'true',
    `cd ${repos.app}`,
    mark('app-clean'),
    `cd ${repos.ops}`,
    mark('ops-clean'),
    'cd ~',
    mark('home-end'),
    'exit',
    '',
  ].join('\n');
}

beforeAll(async () => {
  // --- install, as a new user would --------------------------------------------------------------------
  source = makeReleaseSource();
  h = makeInstallHome({ TERM: 'dumb' });
  // The user's own rc lines: no prompt, so the shells' stderr holds only what the hook says.
  h.write('.zshrc', "setopt no_beep; unsetopt prompt_cr prompt_sp; PS1=''; PS2=''\n");
  h.write('.bashrc', "HISTFILE=/dev/null; PS1=''; PS2=''\n");
  const inst = await runInstallSh(source, h, ['--yes', '--no-service', '--no-doctor']);
  expect(inst.code, inst.stderr).toBe(0);

  // --- the user's AWS and Claude setup -----------------------------------------------------------------
  fake = await startFakeAws({ accessTokenTtlSeconds: TOKEN_TTL_S, roleCredentialsTtlSeconds: 240 });
  h.write(
    '.aws/config',
    [
      '[profile dev]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = Dev',
      'region = us-east-1',
      '',
      '[profile data]',
      'sso_session = corp',
      'sso_account_id = 222233334444',
      'sso_role_name = Analyst',
      'region = us-east-1',
      '',
      '[profile ops]',
      'region = us-east-1',
      '',
      '[sso-session corp]',
      `sso_start_url = ${START_URL}`,
      'sso_region = us-east-1',
      '',
    ].join('\n'),
  );
  const opsKeys = fake.seedStaticKeys({ account: '999900001111' });
  h.write(
    '.aws/credentials',
    `[ops]\naws_access_key_id = ${opsKeys.accessKeyId}\naws_secret_access_key = ${opsKeys.secretAccessKey}\n`,
    0o600,
  );
  h.write('.claude/settings.json', { env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' } });
  for (const [name, profile] of [
    ['app', 'dev'],
    ['data', 'data'],
    ['ops', 'ops'],
  ] as const) {
    repos[name] = h.mkdir(`work/${name}`);
    h.mkdir(`work/${name}/.git`);
    h.mkdir(`work/${name}/src`);
    h.write(`work/${name}/.claude/settings.json`, { env: { AWS_PROFILE: profile } });
    const allow = await run(h.link, ['allow', repos[name]!], { env: h.env });
    expect(allow.code, allow.stderr).toBe(0);
  }
  h.write('.config/bedrock-profile/config.json', { refreshBefore: REFRESH_BEFORE });
  cacheFile = tokenCacheFile(join(h.home, '.aws', 'sso', 'cache'), 'corp');
  notifyLog = join(h.root, 'notify-send.log');
  daemonLog = join(h.home, '.local', 'state', 'bedrock-profile', 'daemon.log');

  // --- the morning sign-in (what `aws sso login` leaves behind) ------------------------------------------
  const t = fake.issueToken({ ttlSeconds: TOKEN_TTL_S });
  signInAt = Date.now();
  writeSsoCache(h, 'corp', { ...t, region: 'us-east-1', startUrl: START_URL });

  // --- the daemon, as the service starts it --------------------------------------------------------------
  const daemonEnv = {
    ...h.env,
    ...fake.endpointEnv(),
    PATH: `${STANDIN_BIN}:${h.env.PATH}`,
    NOTIFY_SEND_LOG: notifyLog,
  };
  const daemon = spawn(h.link, ['daemon'], {
    env: daemonEnv,
    cwd: h.home,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  daemon.stderr.setEncoding('utf8').on('data', (d) => (daemonStderr += d));
  const daemonExited = new Promise<number | null>((r) => daemon.on('close', (code) => r(code)));

  // --- the consumers --------------------------------------------------------------------------------------
  const stopFile = join(h.root, 'stop-clients');
  const sdk = spawn(process.execPath, [join(REPO_ROOT, 'test', 'e2e', 'support', 'sdk-client.mjs')], {
    env: {
      HOME: h.home,
      PATH: h.env.PATH!,
      AWS_PROFILE: 'dev',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...fake.endpointEnv(),
      INTERVAL_MS: '2000',
      STOP_FILE: stopFile,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let sdkBuf = '';
  sdk.stdout.setEncoding('utf8').on('data', (d: string) => {
    sdkBuf += d;
    const lines = sdkBuf.split('\n');
    sdkBuf = lines.pop() ?? '';
    for (const l of lines.filter(Boolean)) {
      const j = JSON.parse(l) as {
        at: number;
        ok: boolean;
        account?: string;
        error?: string;
        message?: string;
      };
      const ok = j.ok && j.account === '111122223333';
      calls.push({ at: j.at, ok, who: 'js-sdk', ...(ok ? {} : { detail: `${j.error}: ${j.message}` }) });
    }
  });
  const sdkExited = new Promise((r) => sdk.on('close', r));
  let stopAws = false;
  const awsDone = awsLoop(() => stopAws);

  try {
    // --- shells, while the session runs -------------------------------------------------------------------
    const shells = (async () => {
      for (const shell of ['zsh', 'bash', 'fish'] as const) await shellSession(shell, shellScript(shell));
    })();

    // --- a day of refreshes ----------------------------------------------------------------------------------
    await until(() => refreshes().length >= REFRESHES, (REFRESHES + 1) * 90_000, `${REFRESHES} refreshes`);
    await shells;

    // --- the end of the session ---------------------------------------------------------------------------------
    fake.set({ oidc: 'invalidGrant' });
    endedAt = Date.now();
    await until(() => notifications().length >= 1, 3 * MIN, 'the notification');
    notifiedAt = Date.now();
    expiresAtWhenEnded = cacheExpiresAt();
    // The clients keep working on the last token; watch for duplicate notifications meanwhile.
    await sleep(20_000);
    // What the daemon plans next for the session (what `status` shows): nothing before the 5-minute lead.
    const st = await readDaemonStateFile({
      daemonStateFile: join(h.home, '.local', 'state', 'bedrock-profile', 'daemon.json'),
    });
    plannedNext = st?.sessions.find((x) => x.key === 'corp')?.next;
  } finally {
    writeFileSync(stopFile, '');
    stopAws = true;
    await Promise.all([awsDone, sdkExited]);
    daemon.kill('SIGTERM');
    await daemonExited;
  }
}, 9 * MIN);

afterAll(async () => {
  // The figures the README's Reliability section quotes.
  const ok = fake ? refreshes() : [];
  const gaps = ok.map((r, i) => r.at - (i === 0 ? signInAt : ok[i - 1]!.at));
  console.log(
    [
      `e2e: ${calls.filter((c) => c.who === 'js-sdk').length} JS SDK calls, ${calls.filter((c) => c.who === 'aws-cli').length} aws CLI calls, ${calls.filter((c) => !c.ok).length} failed`,
      `refreshes by the daemon: ${ok.length}, ${gaps.map((g) => `${(g / 1000).toFixed(1)} s`).join(', ')} after the token they replaced was issued`,
      `notifications: ${JSON.stringify(notifications().map((n) => n.title))}, ${((notifiedAt - endedAt) / 1000).toFixed(1)} s after the session was ended, ${((expiresAtWhenEnded - notifiedAt) / MIN).toFixed(1)} min before the token expired`,
    ].join('\n'),
  );
  await fake?.close();
  h?.cleanup();
  if (source) rmSync(source, { recursive: true, force: true });
});

describe('a day in the life', () => {
  it('the consumers never failed: the JS SDK chain and the aws CLI, every call, all session long', () => {
    const sdk = calls.filter((c) => c.who === 'js-sdk');
    const cli = calls.filter((c) => c.who === 'aws-cli');
    expect(sdk.length).toBeGreaterThan(30);
    expect(cli.length).toBeGreaterThan(10);
    expect(calls.filter((c) => !c.ok)).toEqual([]);
    // Calls happened across every refresh and after the session was ended.
    expect(calls.some((c) => c.at > endedAt)).toBe(true);
    // Every call went back to the SSO token for role credentials (none served from a long cache).
    expect(fake.requestsOf('sso', 'GetRoleCredentials').filter((r) => r.status !== 200)).toEqual([]);
    expect(fake.requestsOf('sso', 'GetRoleCredentials').length).toBeGreaterThan(10);
  });

  it(`the daemon did every refresh (${REFRESHES}+), ahead of both SDKs' windows`, () => {
    const all = fake.requestsOf('sso-oidc', 'CreateToken');
    const ok = refreshes();
    expect(ok.length).toBeGreaterThanOrEqual(REFRESHES);
    // Never botocore (aws-cli/...), and every attempt is one the daemon logged.
    expect(new Set(all.map((r) => r.userAgent?.split('/')[0]))).toEqual(new Set(['aws-sdk-js']));
    const log = readFileSync(daemonLog, 'utf8');
    expect(log.match(/refreshed the SSO session/g)?.length).toBe(ok.length);
    expect(log.match(/refresh rejected \(invalid_grant\)/g)?.length).toBe(all.length - ok.length);
    // Each refresh replaced a token that still had more than 15 minutes left (TTL 17 min, so at most
    // 2 minutes after the token it replaced was issued): outside botocore's and the JS SDK's windows.
    let issuedAt = signInAt;
    for (const r of ok) {
      expect(r.at - issuedAt).toBeLessThan((TOKEN_TTL_S - 15 * 60) * 1000);
      issuedAt = r.at;
    }
  });

  it('when the session ended: exactly one notification, with the minutes left, before the token expired', () => {
    const n = notifications();
    expect(n).toHaveLength(1);
    // Rounded down: never more time than there is.
    const minutes = Math.floor((expiresAtWhenEnded - notifiedAt) / MIN);
    // The session corp serves profiles dev and data: one notification names the session and both.
    const m = /^AWS session ends in (\d+) minutes: corp \((dev, data|data, dev)\)$/.exec(n[0]!.title);
    expect(m, n[0]!.title).not.toBeNull();
    expect([minutes - 1, minutes]).toContain(Number(m![1]));
    expect(n[0]!.message).toMatch(/bedrock-profile login --profile (dev|data)$/);
    expect(notifiedAt).toBeLessThan(expiresAtWhenEnded);
    expect(notifiedAt - endedAt).toBeLessThan(2 * MIN);
    // The next one the daemon plans is the reminder at the 5-minute lead time (notifyBefore's default),
    // 11 minutes later: no other notification comes before it.
    expect(plannedNext).toEqual({ action: 'notify', at: expiresAtWhenEnded - 5 * MIN });
  });

  it('the daemon ran quietly and stopped cleanly', () => {
    expect(daemonStderr).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
    expect(readFileSync(daemonLog, 'utf8')).toContain('daemon stopped');
  });

  describe.each(['zsh', 'bash', 'fish'] as const)('%s started with the installed rc files', (shell) => {
    it('has the right profile in every repo, and none outside', () => {
      expect(shellRuns[shell]!.out).toEqual([
        'app dev',
        'data data',
        'ops ops',
        'home (unset)',
        'app-src dev',
        'data-stray data',
        'app-clean dev',
        'ops-clean ops',
        'home-end (unset)',
      ]);
    });

    it('warns about the stray key pair once per repo it was seen in, and says nothing else', () => {
      // In the shell's own syntax (fish has no `unset`).
      const unset = shell === 'fish' ? 'set -e' : 'unset';
      expect(shellRuns[shell]!.stderr).toBe(
        `bedrock-profile: static keys in this shell override profile 'dev' for aws\n  fix: ${unset} AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY\n` +
          `bedrock-profile: static keys in this shell override profile 'data' for aws\n  fix: ${unset} AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY\n`,
      );
    });
  });
});
