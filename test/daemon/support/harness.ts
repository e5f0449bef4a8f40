/**
 * A daemon under test: a throwaway HOME with an sso-session profile (dev → corp), a legacy profile (old),
 * user settings naming dev; a fake AWS on 127.0.0.1 sharing the test's clock; the notify-send stand-in on
 * PATH recording every notification; and the real daemon (runDaemon) in-process with that clock.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenCacheFile } from '../../../src/aws/token-cache.js';
import type { Plan } from '../../../src/core/refresh-plan.js';
import { formatRfc3339Seconds } from '../../../src/core/rfc3339.js';
import { runDaemon } from '../../../src/daemon/daemon.js';
import { type Paths, resolvePaths } from '../../../src/platform/paths.js';
import { type CacheTokenFields, writeAwsConfig, writeSsoCache } from '../../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../../support/fake-aws.js';
import { REPO_ROOT } from '../../support/run-cli.js';
import { makeTempHome, type TempHome } from '../../support/temp-home.js';

export const REGION = 'us-east-1';
export const START_URL = 'https://corp.awsapps.com/start';
export const LEGACY_URL = 'https://old.awsapps.com/start';
export const MIN = 60_000;
export const STANDIN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');
export const AWS_V2_BIN = join(REPO_ROOT, 'test', 'support', 'bin-aws-v2');

/** What the `aws sso login` stand-in writes to the cache (AWS_STANDIN_TOKEN_JSON), for a token the fake issued. */
export function standinTokenJson(t: {
  accessToken: string;
  expiresAt: number;
  clientId: string;
  clientSecret: string;
  registrationExpiresAt: number;
  refreshToken: string;
}): string {
  return JSON.stringify({
    startUrl: START_URL,
    region: REGION,
    accessToken: t.accessToken,
    expiresAt: formatRfc3339Seconds(t.expiresAt),
    clientId: t.clientId,
    clientSecret: t.clientSecret,
    registrationExpiresAt: formatRfc3339Seconds(t.registrationExpiresAt),
    refreshToken: t.refreshToken,
  });
}

export class TestClock {
  constructor(public t: number) {}
  now = () => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = Dev',
  `region = ${REGION}`,
  '',
  '[profile old]',
  `sso_start_url = ${LEGACY_URL}`,
  `sso_region = ${REGION}`,
  'sso_account_id = 111122223333',
  'sso_role_name = Old',
  `region = ${REGION}`,
  '',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  `sso_region = ${REGION}`,
  '',
].join('\n');

export interface World {
  home: TempHome;
  fake: FakeAws;
  clock: TestClock;
  env: Record<string, string>;
  paths: Paths;
  notifyLog: string;
  corpFile: string;
  oldFile: string;
  /** Write the corp session's cache with a token the fake issued, valid `ttlMs` from the clock. */
  signIn(ttlMs: number, extra?: Partial<CacheTokenFields>): ReturnType<FakeAws['issueToken']>;
  /** Every notification so far: [title, message] pairs. */
  notifications(): Array<{ title: string; message: string; args: string[] }>;
  logText(): string;
  cleanup(): Promise<void>;
}

export async function makeWorld(opts: { profiles?: string[]; clockStart?: number } = {}): Promise<World> {
  const clock = new TestClock(opts.clockStart ?? Date.UTC(2026, 10, 24, 9, 0, 0));
  const fake = await startFakeAws({ now: clock.now });
  const home = makeTempHome('bp-daemon-');
  writeAwsConfig(home, CONFIG);
  home.write('.claude/settings.json', {
    env: { AWS_PROFILE: (opts.profiles ?? ['dev'])[0], CLAUDE_CODE_USE_BEDROCK: '1' },
  });
  // Further profiles in use come from known repos.
  const repos = (opts.profiles ?? ['dev']).slice(1).map((p, i) => {
    const dir = home.write(`src/repo${i}/.claude/settings.json`, { env: { AWS_PROFILE: p } });
    return { dir: join(dir, '..', '..'), lastSeen: clock.t };
  });
  const notifyLog = join(home.root, 'notify-send.log');
  const env: Record<string, string> = {
    ...home.env,
    ...fake.endpointEnv(),
    PATH: `${STANDIN_BIN}:${home.env.PATH}`,
    NOTIFY_SEND_LOG: notifyLog,
    XDG_STATE_HOME: join(home.root, 'state'),
    XDG_CONFIG_HOME: join(home.root, 'config'),
    XDG_CACHE_HOME: join(home.root, 'cache'),
  };
  const paths = resolvePaths(env, 'linux');
  if (repos.length) home.write(paths.knownReposFile, { repos });
  const corpFile = tokenCacheFile(paths.ssoCacheDir, 'corp');
  const oldFile = tokenCacheFile(paths.ssoCacheDir, LEGACY_URL);
  return {
    home,
    fake,
    clock,
    env,
    paths,
    notifyLog,
    corpFile,
    oldFile,
    signIn(ttlMs, extra = {}) {
      const t = fake.issueToken({ ttlSeconds: ttlMs / 1000 });
      writeSsoCache(home, 'corp', { ...t, region: REGION, startUrl: START_URL, ...extra });
      return t;
    },
    notifications() {
      if (!existsSync(notifyLog)) return [];
      return readFileSync(notifyLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const args = line.split('\t').filter((a) => a !== '');
          const dd = args.indexOf('--');
          return { title: args[dd + 1] ?? '', message: args[dd + 2] ?? '', args };
        });
    },
    logText() {
      return existsSync(paths.logFile) ? readFileSync(paths.logFile, 'utf8') : '';
    },
    async cleanup() {
      await fake.close();
      home.cleanup();
    },
  };
}

export interface RunningDaemon {
  passes: Plan[];
  /** Resolves after the next pass that satisfies `pred` (default: any new pass). */
  nextPass(pred?: (p: Plan) => boolean, timeoutMs?: number): Promise<Plan>;
  stop(): Promise<void>;
  done: Promise<void>;
}

export function startDaemon(w: World, opts: { tickMs?: number } = {}): RunningDaemon {
  const passes: Plan[] = [];
  const waiters: Array<{ pred: (p: Plan) => boolean; resolve: (p: Plan) => void }> = [];
  const stop = new AbortController();
  const done = runDaemon({
    env: w.env,
    paths: w.paths,
    now: w.clock.now,
    tickMs: opts.tickMs ?? 150,
    signal: stop.signal,
    platform: 'linux',
    onPass: (p) => {
      passes.push(p);
      for (const x of [...waiters]) {
        if (x.pred(p)) {
          waiters.splice(waiters.indexOf(x), 1);
          x.resolve(p);
        }
      }
    },
  });
  return {
    passes,
    nextPass(pred = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no daemon pass in time')), timeoutMs);
        waiters.push({
          pred,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      });
    },
    async stop() {
      stop.abort();
      await done;
    },
    done,
  };
}

/** Poll until `cond` holds (a generous deadline; only to catch hangs). */
export async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
