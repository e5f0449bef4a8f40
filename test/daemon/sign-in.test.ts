/**
 * The daemon opens a browser sign-in only on a notification action or with autoLogin, once per session
 * end, never in a burst: the notify-send stand-in "clicks" the action, the aws v2 stand-in records the
 * sign-in and writes a fresh token as the real one would.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRfc3339Seconds } from '../../src/core/rfc3339.js';
import { writeSsoCache } from '../support/aws-fixtures.js';
import { runCli } from '../support/run-cli.js';
import {
  AWS_V2_BIN,
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

function calls(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]!)
    : [];
}

describe('daemon sign-in', () => {
  it('the notification action signs in (aws sso login --profile P), once; the new session silences further notifications', async () => {
    w = await makeWorld();
    w.signIn(15 * MIN);
    w.fake.set({ oidc: 'invalidGrant' });
    const fresh = w.fake.issueToken({ ttlSeconds: 8 * 3600 });
    const log = join(w.home.root, 'aws.log');
    Object.assign(w.env, {
      PATH: `${AWS_V2_BIN}:${w.env.PATH}`,
      NOTIFY_SEND_CLICK: '1',
      AWS_STANDIN_LOG: log,
      AWS_STANDIN_TOKEN_FILE: w.corpFile,
      AWS_STANDIN_TOKEN_JSON: JSON.stringify({
        startUrl: START_URL,
        region: REGION,
        accessToken: fresh.accessToken,
        expiresAt: formatRfc3339Seconds(fresh.expiresAt),
        clientId: fresh.clientId,
        clientSecret: fresh.clientSecret,
        registrationExpiresAt: formatRfc3339Seconds(fresh.registrationExpiresAt),
        refreshToken: fresh.refreshToken,
      }),
    });
    d = startDaemon(w);
    await until(() => calls(log).length === 1, 10_000, 'the sign-in');
    expect(calls(log)).toEqual(['sso login --profile dev']);
    // The notification offered the action.
    expect(w.notifications()[0]!.args).toContain('--action=signin=Sign in');
    await until(() => w!.logText().includes('aws sso login finished'), 10_000, 'the sign-in in the log');
    w.fake.set({ oidc: 'ok' });
    w.clock.advance(10 * MIN);
    await d.nextPass();
    await d.nextPass();
    expect(w.notifications()).toHaveLength(1);
    expect(calls(log)).toEqual(['sso login --profile dev']);
  });

  it('daemon --once: the notification still offers Sign in; a click after it exited runs the sign-in', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    // No refresh token: the session ends, so --once notifies at once (12 minutes left).
    w.signIn(12 * MIN, { refreshToken: undefined });
    const fresh = w.fake.issueToken({ ttlSeconds: 8 * 3600 });
    const log = join(w.home.root, 'aws.log');
    Object.assign(w.env, {
      PATH: `${AWS_V2_BIN}:${w.env.PATH}`,
      NOTIFY_SEND_CLICK: '1',
      AWS_STANDIN_LOG: log,
      AWS_STANDIN_TOKEN_FILE: w.corpFile,
      AWS_STANDIN_TOKEN_JSON: JSON.stringify({
        startUrl: START_URL,
        region: REGION,
        accessToken: fresh.accessToken,
        expiresAt: formatRfc3339Seconds(fresh.expiresAt),
      }),
    });
    const r = await runCli(['daemon', '--once'], { env: w.env });
    expect(r.code, r.stderr).toBe(0);
    // The helper outlives the run: it waited for the click, then ran `bedrock-profile login`.
    await until(() => calls(log).length === 1, 20_000, 'the sign-in from the detached action');
    expect(calls(log)).toEqual(['sso login --profile dev']);
    const n = w.notifications();
    expect(n).toHaveLength(1);
    expect(n[0]!.title).toBe('AWS session ends in 11 minutes: corp (dev)');
    expect(n[0]!.args).toContain('--action=signin=Sign in');
  });

  it('daemon --once: a sign-in from the click that fails is notified, with the fix', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    w.signIn(12 * MIN, { refreshToken: undefined });
    const log = join(w.home.root, 'aws.log');
    Object.assign(w.env, {
      PATH: `${AWS_V2_BIN}:${w.env.PATH}`,
      NOTIFY_SEND_CLICK: '1',
      AWS_STANDIN_LOG: log,
      AWS_STANDIN_EXIT: '1',
    });
    const r = await runCli(['daemon', '--once'], { env: w.env });
    expect(r.code, r.stderr).toBe(0);
    await until(() => w!.notifications().length === 2, 20_000, 'the notification about the failed sign-in');
    expect(calls(log)).toEqual(['sso login --profile dev']);
    const failed = w.notifications()[1]!;
    expect(failed.title).toBe('AWS sign-in failed: corp (dev)');
    expect(failed.args).toContain('--urgency=critical');
    expect(failed.args.at(-1)).toBe(
      'the sign-in from this notification did not complete. Sign in from a terminal: bedrock-profile login --profile dev',
    );
  });

  it('autoLogin: one sign-in when the last lead time is reached, not another after a wake', async () => {
    w = await makeWorld({ profiles: ['old'] });
    w.home.write(join(w.env.XDG_CONFIG_HOME!, 'bedrock-profile', 'config.json'), { autoLogin: true });
    writeSsoCache(w.home, LEGACY_URL, {
      accessToken: 'legacy-Token-1',
      expiresAt: w.clock.t + 20 * MIN,
      region: REGION,
      startUrl: LEGACY_URL,
    });
    const log = join(w.home.root, 'aws.log');
    Object.assign(w.env, {
      PATH: `${AWS_V2_BIN}:${w.env.PATH}`,
      AWS_STANDIN_LOG: log,
      AWS_STANDIN_EXIT: '1', // the user closed the browser: the session stays ended
    });
    d = startDaemon(w);
    await until(() => d!.passes.length >= 1, 10_000, 'first pass');
    expect(calls(log)).toEqual([]);
    w.clock.advance(16 * MIN); // 4 minutes left
    await until(() => calls(log).length === 1, 10_000, 'the automatic sign-in');
    expect(calls(log)).toEqual(['sso login --profile old']);
    await until(
      () => w!.logText().includes('aws sso login exited with 1'),
      10_000,
      'the failed sign-in in the log',
    );
    // The failed sign-in is said where the question was: a notification with why and what to do.
    await until(
      () => w!.notifications().some((n) => n.title === 'AWS sign-in failed: profile old'),
      10_000,
      'the failed sign-in notification',
    );
    expect(w.notifications().find((n) => n.title.startsWith('AWS sign-in'))!.message).toBe(
      "aws sso login exited with 1; 'bedrock-profile logs' shows why. Sign in from a terminal: bedrock-profile login --profile old",
    );
    // Sleep and wake past the end: an "ended" notification, no second browser.
    w.clock.advance(3 * 3600_000);
    await until(
      () => w!.notifications().some((n) => n.title === 'AWS session ended: profile old'),
      10_000,
      'the ended notification',
    );
    await d.nextPass();
    expect(calls(log)).toEqual(['sso login --profile old']);
  });
});
