/**
 * The session's real end, observed live: the real daemon in-process with the test clock sees a sign-in
 * appear in the cache, refreshes against the fake (whose sessions end after `sessionDurationSeconds`:
 * refresh refused with invalid_grant), and `status` (main() in-process, same clock) shows the end: from
 * the config's sessionDuration after a sign-in, and from the duration learned after a refusal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { offerRenewals } from '../../src/daemon/renew-offer.js';
import { createLogger } from '../../src/log/logger.js';
import { createNotifier } from '../../src/notify/notifier.js';
import { sessionLifeFile } from '../../src/state/session-life.js';
import { runMain } from '../support/run-cli.js';
import {
  AWS_V2_BIN,
  MIN,
  makeWorld,
  type RunningDaemon,
  standinTokenJson,
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

const H = 60 * MIN;

async function statusJson(world: World, now: number) {
  const r = await runMain(['status', '--json'], { env: world.env, now });
  return JSON.parse(r.stdout).session as {
    status: string;
    end: {
      known: boolean;
      at: string | null;
      source: string | null;
      startedAt: string | null;
      words: string;
    };
  };
}

/** The daemon has looked at the cache since `n` passes. */
async function passes(world: World, dd: RunningDaemon, n: number): Promise<void> {
  await until(() => dd.passes.length >= n, 10_000, `${n} daemon passes`);
  void world;
}

describe('the session end', () => {
  it('after a sign-in, from the config: signed-in moment + sessionDuration; status and the human line show it', async () => {
    w = await makeWorld();
    w.home.write(w.paths.configFile, { sessionDuration: { corp: '8h' } });
    d = startDaemon(w);
    await passes(w, d, 1);
    const before = await statusJson(w, w.clock.t);
    expect(before.end).toMatchObject({ known: false, words: 'end unknown (not signed in)' });

    const signedInAt = w.clock.t;
    w.signIn(H);
    await until(
      () => {
        try {
          return (
            JSON.parse(readFileSync(sessionLifeFile(w!.paths), 'utf8')).sessions.corp?.startedAt ===
            signedInAt
          );
        } catch {
          return false;
        }
      },
      10_000,
      'the sign-in noted',
    );
    const s = await statusJson(w, signedInAt + 30 * MIN);
    expect(s.end).toMatchObject({
      known: true,
      source: 'config',
      at: new Date(signedInAt + 8 * H).toISOString(),
      startedAt: new Date(signedInAt).toISOString(),
    });
    expect(s.end.words).toMatch(/^ends \d\d:\d\d \(in 7h 30m\)$/);
    const human = await runMain(['status'], { env: w.env, now: signedInAt + 30 * MIN });
    expect(human.stdout).toMatch(/^session {3}valid, session ends \d\d:\d\d \(in 7h 30m\), refreshable$/m);
    // The prompt segment shows the same end (a repo whose settings name dev).
    const repo = w.home.mkdir('src/app');
    w.home.write('src/app/.claude/settings.json', { env: { AWS_PROFILE: 'dev' } });
    const prompt = await runMain(['prompt'], { env: w.env, cwd: repo, now: signedInAt + 30 * MIN });
    expect(prompt.stdout).toBe('dev 7h30m\n');
  });

  it('after a refusal: the end is the last access token; the duration is learned and the next sign-in knows its end', async () => {
    w = await makeWorld();
    w.fake.set({ sessionDurationSeconds: 2 * 3600 });
    d = startDaemon(w);
    await passes(w, d, 1);
    const start = w.clock.t;
    w.signIn(H);
    await until(() => existsLife(w!), 10_000, 'the sign-in noted');
    // Refreshes at 40 min and 1 h 20 min succeed; the one at 2 h 0 min is refused (the session is over).
    const outcomes = () => (w!.logText().match(/refreshed the SSO session|refresh rejected/g) ?? []).length;
    for (const [i, at] of [40, 80, 120].entries()) {
      w.clock.t = start + at * MIN;
      await until(() => outcomes() > i, 10_000, `the refresh at ${at} min`);
    }
    expect(w.fake.requestsOf('sso-oidc', 'CreateToken').map((r) => r.error ?? 'ok')).toEqual([
      'ok',
      'ok',
      'InvalidGrantException',
    ]);
    await until(() => lifeOf(w!).learnedDurationMs === 2 * H, 10_000, 'the duration learned');
    const s = await statusJson(w, start + 125 * MIN);
    // The last token was issued at 1 h 20 min for an hour: the session ends with it.
    expect(s.end).toMatchObject({
      known: true,
      source: 'token',
      at: new Date(start + 140 * MIN).toISOString(),
    });
    expect(s.end.words).toMatch(/^ends \d\d:\d\d \(in 15m\)$/);

    // A new sign-in: its end is known from the learned duration, with nothing in the config.
    w.clock.t = start + 150 * MIN;
    w.signIn(H);
    await until(() => lifeOf(w!).startedAt === start + 150 * MIN, 10_000, 'the new sign-in noted');
    const again = await statusJson(w, start + 160 * MIN);
    expect(again.end).toMatchObject({
      known: true,
      source: 'learned',
      at: new Date(start + 150 * MIN + 2 * H).toISOString(),
    });
  });

  it('a session signed in before anyone watched: the end is said to be unknown', async () => {
    w = await makeWorld();
    w.home.write(w.paths.configFile, { sessionDuration: '8h' });
    w.signIn(H);
    const s = await statusJson(w, w.clock.t);
    expect(s.end).toMatchObject({ known: false, at: null });
    expect(s.end.words).toBe(
      'end unknown (signed in before bedrock-profile was watching; known from the next sign-in)',
    );
  });
});

describe('"Renew now"', () => {
  it('is offered renewBefore ahead of a known end, once; the click ends the session (Logout) and signs in: the end moves', async () => {
    w = await makeWorld();
    // A refresh never pushes the end here (a token in hand outlives a session end only by its own life).
    w.home.write(w.paths.configFile, { sessionDuration: '3h', renewBefore: '60m', refreshBefore: '5m' });
    const fresh = w.fake.issueToken({ ttlSeconds: 8 * 3600 });
    const awsLog = join(w.home.root, 'aws.log');
    Object.assign(w.env, {
      PATH: `${AWS_V2_BIN}:${w.env.PATH}`,
      NOTIFY_SEND_CLICK: '1',
      AWS_STANDIN_LOG: awsLog,
      AWS_STANDIN_TOKEN_FILE: w.corpFile,
      AWS_STANDIN_TOKEN_JSON: standinTokenJson(fresh),
    });
    d = startDaemon(w);
    await passes(w, d, 1);
    const start = w.clock.t;
    w.signIn(90 * MIN);
    await until(() => lifeOf(w!).startedAt === start, 10_000, 'the sign-in noted');
    w.clock.t = start + 60 * MIN;
    const n = d.passes.length;
    await until(() => d!.passes.length > n + 1, 10_000, 'passes before the offer');
    expect(w.notifications()).toEqual([]);

    w.clock.t = start + 86 * MIN;
    await until(() => w!.logText().includes('refreshed the SSO session'), 10_000, 'the refresh at 86 min');
    expect(w.notifications()).toEqual([]);
    w.clock.t = start + 121 * MIN;
    await until(() => existsSync(awsLog), 15_000, 'the renewal after the click').catch((e) => {
      console.log(JSON.stringify(w!.notifications()), w!.logText());
      throw e;
    });
    const offers = w.notifications();
    expect(offers).toHaveLength(1);
    expect(offers[0]!.args).toContain('--action=signin=Renew now');
    expect(offers[0]!.title).toMatch(/^AWS session ends \d\d:\d\d \(in 59m\): dev$/);
    await until(() => lifeOf(w!).startedAt === start + 121 * MIN, 15_000, 'the new session noted');
    expect(w.fake.requestsOf('sso', 'Logout').map((r) => r.status)).toEqual([200]);
    expect(readFileSync(awsLog, 'utf8').split('\t')[0]).toBe('sso login --profile dev');
    const s = await statusJson(w, start + 122 * MIN);
    expect(s.end).toMatchObject({
      source: 'config',
      // (its end: 3 h from then, or later if the credentials check in a child process, on the real clock,
      // refreshed the token past it)
      startedAt: new Date(start + 121 * MIN).toISOString(),
    });
    // No second offer for the old end, and none yet for the new one.
    const m = d.passes.length;
    await until(() => d!.passes.length > m + 1, 10_000, 'more passes');
    expect(w.notifications()).toHaveLength(1);
  });
});

describe('offerRenewals', () => {
  it('offers nothing while a sign-in or renewal runs, and offers once it is over', async () => {
    w = await makeWorld();
    const now = w.clock.t;
    const session = { key: 'corp', kind: 'sso' as const, profiles: ['dev'], file: w.corpFile };
    const ends = [
      { key: 'corp', end: { known: true as const, at: now + 30 * MIN, source: 'config' as const }, life: {} },
    ];
    const log = createLogger({ file: w.paths.logFile, now: w.clock.now });
    const common = {
      ends,
      sessions: [session],
      renewBeforeMs: 60 * MIN,
      now,
      withAction: false,
      notifier: createNotifier(w.env, 'linux'),
      log,
      paths: w.paths,
      onRenew: () => {},
    };
    await offerRenewals({ ...common, busy: true });
    expect(w.notifications()).toEqual([]);
    expect(lifeOf(w)).toEqual({});
    await offerRenewals({ ...common, busy: false });
    expect(w.notifications().map((n) => n.title)).toEqual([
      expect.stringMatching(/^AWS session ends .* \(in 30m\): dev$/),
    ]);
    log.close();
  });
});

describe('a daemon sign-in with the device code', () => {
  it('passes --use-device-code and shows the URL and code in a notification (nobody sees its output)', async () => {
    w = await makeWorld();
    w.signIn(15 * MIN);
    w.fake.set({ oidc: 'invalidGrant' });
    const fresh = w.fake.issueToken({ ttlSeconds: 8 * 3600 });
    const awsLog = join(w.home.root, 'aws.log');
    Object.assign(w.env, {
      PATH: `${AWS_V2_BIN}:${w.env.PATH}`,
      BEDROCK_PROFILE_SIGN_IN: 'auto',
      SSH_CONNECTION: '10.0.0.1 5022 10.0.0.2 22',
      NOTIFY_SEND_CLICK: '1',
      AWS_STANDIN_LOG: awsLog,
      AWS_STANDIN_TOKEN_FILE: w.corpFile,
      AWS_STANDIN_TOKEN_JSON: standinTokenJson(fresh),
    });
    d = startDaemon(w);
    await until(() => w!.notifications().length >= 2, 15_000, 'the device-code notification');
    expect(readFileSync(awsLog, 'utf8').split('\t')[0]).toBe('sso login --profile dev --use-device-code');
    const n = w.notifications()[1]!;
    expect(n.title).toBe('AWS sign-in for dev: code ABCD-EFGH');
    expect(n.message).toContain('https://device.sso.us-east-1.amazonaws.com/');
    await until(() => w!.logText().includes('device code shown in a notification'), 10_000, 'the log line');
    expect(w.logText()).not.toContain('ABCD-EFGH');
  });
});

function lifeOf(world: World): { startedAt?: number; learnedDurationMs?: number } {
  try {
    return JSON.parse(readFileSync(sessionLifeFile(world.paths), 'utf8')).sessions.corp ?? {};
  } catch {
    return {};
  }
}
function existsLife(world: World): boolean {
  return lifeOf(world).startedAt !== undefined;
}
