/**
 * The session's real end, observed live: the real daemon in-process with the test clock sees a sign-in
 * appear in the cache, refreshes against the fake (whose sessions end after `sessionDurationSeconds`:
 * refresh refused with invalid_grant), and `status` (main() in-process, same clock) shows the end: from
 * the config's sessionDuration after a sign-in, and from the duration learned after a refusal.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionLifeFile } from '../../src/state/session-life.js';
import { runMain } from '../support/run-cli.js';
import { MIN, makeWorld, type RunningDaemon, startDaemon, until, type World } from './support/harness.js';

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
