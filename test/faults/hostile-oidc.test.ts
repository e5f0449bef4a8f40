/**
 * `refresh`, `login` and `daemon --once` (the built CLI, real processes) against a hostile SSO-OIDC
 * endpoint (test/support/hostile-oidc.ts): rotated refresh tokens never lost, odd expiresIn, huge
 * answers, a silent or a one-byte-a-second endpoint within the deadline, a refused connection reported
 * as a network failure with no browser, and secrets echoed by error bodies never shown anywhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { parseRfc3339 } from '../../src/core/rfc3339.js';
import { findLeaks } from '../audit/secrets.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { type HostileOidc, type HostileToken, startHostileOidc } from '../support/hostile-oidc.js';
import { type CliResult, REPO_ROOT, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const AWS_V2_BIN = join(REPO_ROOT, 'test', 'support', 'bin-aws-v2');
const STANDIN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');
const START_URL = 'https://corp.awsapps.com/start';
/** BEDROCK_PROFILE_NETWORK_TIMEOUT for these tests (seconds): the whole-response deadline. */
const DEADLINE_S = 3;

const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = Dev',
  'region = us-east-1',
  '',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = us-east-1',
  '',
].join('\n');

let fake: FakeAws;
let oidc: HostileOidc;
beforeAll(async () => {
  fake = await startFakeAws();
  // Tokens the hostile endpoint issues work at the fake portal (GetRoleCredentials), as at AWS.
  oidc = await startHostileOidc({ onIssue: (at, exp) => fake.seedAccessToken(at, exp) });
});
afterAll(async () => {
  await oidc.close();
  await fake.close();
});

interface World {
  home: TempHome;
  env: Record<string, string>;
  file: string;
  token: HostileToken;
  standinLog: string;
}

let w: World | undefined;
afterEach(() => {
  oidc.setMode('ok');
  oidc.setExpiresIn(3600);
  w?.home.cleanup();
  w = undefined;
});

function world(ttlSeconds = 600, endpoint = oidc.url): World {
  const home = makeTempHome('bp-hostile-');
  writeAwsConfig(home, CONFIG);
  const token = oidc.issue({ ttlSeconds });
  const file = writeSsoCache(home, 'corp', { ...token, region: 'us-east-1', startUrl: START_URL });
  const standinLog = join(home.root, 'aws-standin.log');
  const env = {
    ...home.env,
    ...fake.endpointEnv(),
    AWS_ENDPOINT_URL_SSO_OIDC: endpoint,
    PATH: `${AWS_V2_BIN}:${STANDIN_BIN}:${home.env.PATH}`,
    XDG_STATE_HOME: join(home.root, 'state'),
    XDG_CONFIG_HOME: join(home.root, 'config'),
    XDG_CACHE_HOME: join(home.root, 'cache'),
    NOTIFY_SEND_LOG: join(home.root, 'notify-send.log'),
    AWS_STANDIN_LOG: standinLog,
    BEDROCK_PROFILE_NETWORK_TIMEOUT: String(DEADLINE_S),
  };
  w = { home, env, file, token, standinLog };
  return w;
}

const onDisk = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
const cli = (x: World, args: string[]) => runCli(args, { env: x.env, timeoutMs: 30_000 });
const standinCalls = (x: World) =>
  existsSync(x.standinLog) ? readFileSync(x.standinLog, 'utf8').split('\n').filter(Boolean) : [];

describe('a refresh AWS answered is never lost', () => {
  it('two `refresh` at once, rotating refresh tokens, the same expiresIn: never two uses of one refresh token, the loser uses the winner’s result; 0 dead tokens in 10 rounds', async () => {
    const x = world();
    oidc.setExpiresIn(600);
    let dead = 0;
    let shared = 0;
    for (let round = 0; round < 10; round++) {
      const before = oidc.requests.length;
      const [a, b] = await Promise.all([
        cli(x, ['refresh', '--profile', 'dev']),
        cli(x, ['refresh', '--profile', 'dev']),
      ]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      // Never two uses of one refresh token (that would be an invalid_grant): the loser waited for the
      // lock and used the winner's token, or (it started after the winner was done) refreshed from it.
      const round_ = oidc.requests.slice(before);
      expect(round_.map((r) => r.status).every((st) => st === 200)).toBe(true);
      if (round_.length === 1) {
        shared++;
        expect(`${a.stdout}${b.stdout}`).toContain(
          'was refreshed by another process just now; using its token',
        );
      }
      if (!oidc.isLive(onDisk(x.file).refreshToken!)) dead++;
    }
    expect(dead).toBe(0);
    expect(shared).toBeGreaterThan(0);
  });

  it.each([
    ['1e400', 24 * 3600],
    ['0', 0],
    ['-5', 0],
  ])(
    'expiresIn %s: the rotated refresh token is written, the expiry kept in range',
    async (raw, believed) => {
      const x = world();
      oidc.setExpiresIn(raw);
      const started = Date.now();
      const r = await cli(x, ['refresh', '--profile', 'dev']);
      expect(r.code, r.stderr).toBe(0);
      const c = onDisk(x.file);
      expect(oidc.isLive(c.refreshToken!)).toBe(true);
      const exp = parseRfc3339(c.expiresAt)!;
      expect(exp).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000 + believed * 1000 - 1000);
      expect(exp).toBeLessThanOrEqual(Date.now() + believed * 1000);
    },
  );

  it('a 10 MB access token is refused before anything is written; the file stays readable', async () => {
    const x = world();
    const before = readFileSync(x.file, 'utf8');
    oidc.setMode('huge');
    const r = await cli(x, ['refresh', '--profile', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('was larger than 64 KB; nothing was written');
    expect(r.stderr.length).toBeLessThan(1000);
    expect(readFileSync(x.file, 'utf8')).toBe(before);
    const st = await cli(x, ['status']);
    expect(st.stderr).not.toContain('corrupt');
  });

  it('a 10 MB error message is cut, not printed whole', async () => {
    const x = world();
    oidc.setMode('hugeError');
    const r = await cli(x, ['refresh', '--profile', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(1000);
  });
});

/** A tiny tmpfs over `dir` (root with CAP_SYS_ADMIN only); undefined when mounting is not possible. */
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
const canMount = (() => {
  const probe = join(tmpdir(), `bp-hostile-mount-${process.pid}`);
  const unmount = mountTmpfs(probe);
  unmount?.();
  rmSync(probe, { recursive: true, force: true });
  return unmount !== undefined;
})();

describe('a cache directory that cannot take the new token', () => {
  it.skipIf(!canMount)(
    'full: found before CreateToken, so the refresh token is not spent; the message names the directory and the fix',
    async () => {
      const x = world();
      const dir = dirname(x.file);
      const saved = readFileSync(x.file);
      const unmount = mountTmpfs(dir)!;
      try {
        writeFileSync(x.file, saved, { mode: 0o600 });
        try {
          writeFileSync(join(dir, 'filler'), Buffer.alloc(1024 * 1024, 120));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        }
        const before = oidc.requests.length;
        const r = await cli(x, ['refresh', '--profile', 'dev']);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          `the SSO token cache directory ${dir} cannot be written (no space left on the device)`,
        );
        expect(r.stderr).toContain('nothing was sent to AWS; free space or fix the permissions');
        expect(oidc.requests.length).toBe(before);
        expect(oidc.isLive(onDisk(x.file).refreshToken!)).toBe(true);
        expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      } finally {
        unmount();
      }
    },
  );
});

describe('no request can hang us', () => {
  const slow: Array<[string, 'hang' | 'slowloris', RegExp]> = [
    [
      'an endpoint that accepts and never answers',
      'hang',
      /sent no answer within 2 s \(first-byte deadline\)/,
    ],
    [
      'an endpoint that answers a byte a second',
      'slowloris',
      /did not complete within 3 s \(whole-response deadline/,
    ],
  ];
  it.each(slow)(
    'refresh against %s: exits within the deadline naming the cause and the fix',
    async (_n, mode, cause) => {
      const x = world();
      oidc.setMode(mode);
      const t0 = performance.now();
      const r = await cli(x, ['refresh', '--profile', 'dev']);
      const took = performance.now() - t0;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(cause);
      expect(r.stderr).toContain('the SSO session of profile dev has not ended: its token works for 9m more');
      expect(r.stderr).toContain(
        'check the network (Wi-Fi, VPN, proxy, DNS) and run "bedrock-profile refresh --profile dev" again',
      );
      // The runner kills a hung child after 30 s; the deadline is 3 s plus start-up.
      expect(took).toBeLessThan(25_000);
    },
  );

  it.each(slow)('login against %s: no browser, the cause and the fix', async (_n, mode, cause) => {
    const x = world();
    oidc.setMode(mode);
    const r = await cli(x, ['login', '--profile', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(cause);
    expect(r.stderr).toContain('has not ended');
    expect(r.stderr).toContain('no browser sign-in was started');
    expect(r.stderr).not.toContain('has ended');
    expect(standinCalls(x).filter((c) => c.startsWith('sso login'))).toEqual([]);
  });

  it('login with the network down (connection refused): a network failure, retry advice, never `aws sso login`', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const x = world(600, `http://127.0.0.1:${port}`);
    const r = await cli(x, ['login', '--profile', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not reach AWS SSO (a network failure: the connection was refused');
    expect(r.stderr).toContain('the SSO session of profile dev has not ended');
    expect(r.stderr).toContain(
      'check the network (Wi-Fi, VPN, proxy, DNS) and run "bedrock-profile login --profile dev" again',
    );
    expect(standinCalls(x)).toEqual([]);
  });

  it('login with no DNS (the endpoint name does not resolve), 1 h 56 m left: a network failure, the time left, no browser', async () => {
    const x = world(116 * 60 + 30, 'http://oidc.us-east-1.nonexistent.invalid');
    const r = await cli(x, ['login', '--profile', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not reach AWS SSO (a network failure: the DNS lookup failed');
    expect(r.stderr).toContain(
      'the SSO session of profile dev has not ended: its token works for 1h 56m more',
    );
    expect(r.stderr).not.toMatch(/has ended|signing in/);
    expect(standinCalls(x)).toEqual([]);
  });

  it('login when AWS refused the refresh (invalid_grant) and the token has expired: signs in with the browser', async () => {
    const x = world(-60);
    oidc.setMode('invalidGrant');
    const r = await cli(x, ['login', '--profile', 'dev']);
    expect(r.stderr).toContain(
      'AWS refused to refresh the SSO session of profile dev (invalid_grant); it has ended; signing in',
    );
    expect(standinCalls(x).filter((c) => c.startsWith('sso login'))).toHaveLength(1);
  });
});

describe('secrets echoed by the endpoint', () => {
  function filesUnder(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      const st = statSync(p);
      return st.isDirectory() ? filesUnder(p) : st.isFile() ? [p] : [];
    });
  }

  it.each(['echo400', 'echo500'] as const)(
    '%s: no 12-character slice of a secret in refresh, login, daemon output, daemon.json or the log',
    async (mode) => {
      const x = world();
      oidc.setMode(mode);
      const outs: CliResult[] = [];
      outs.push(await cli(x, ['refresh', '--profile', 'dev']));
      outs.push(await cli(x, ['login', '--profile', 'dev']));
      outs.push(await cli(x, ['daemon', '--once']));
      outs.push(await cli(x, ['status', '--json']));
      expect(outs[0]!.stderr).toMatch(
        mode === 'echo400' ? /InvalidRequestException HTTP 400/ : /InternalServerException HTTP 500/,
      );
      const secrets = {
        accessToken: x.token.accessToken,
        refreshToken: x.token.refreshToken,
        clientSecret: x.token.clientSecret,
      };
      const texts = [
        ...outs.map((o, i) => ({ label: `output ${i}`, text: `${o.stdout}\n${o.stderr}` })),
        ...filesUnder(join(x.home.root, 'state')).map((f) => ({ label: f, text: readFileSync(f, 'utf8') })),
      ];
      expect(texts.some((t) => t.label.endsWith('daemon.json'))).toBe(true);
      const leaks = texts.flatMap((t) => findLeaks(t.text, secrets).map((l) => `${t.label}: ${l}`));
      expect(leaks).toEqual([]);
      // The refresh token was not spent (the endpoint refused), and it is still on disk.
      expect(onDisk(x.file).refreshToken).toBe(x.token.refreshToken);
    },
  );
});

// Keep the cache file name used by the fixtures in sight (the daemon finds the session through it).
void tokenCacheFile;
