/**
 * `status` merges what the daemon knows (issue 14): after the real daemon saw AWS refuse a refresh, the
 * session reads "not refreshable" with when and the sign-in fix, not "refreshable"; the daemon block
 * shows every time in the `YYYY-MM-DD HH:MM UTC` form, never a raw ISO time.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readDaemonState } from '../../src/daemon/daemon-state.js';
import { MIN, makeWorld, until, type World } from '../daemon/support/harness.js';
import { BIN, runCli } from '../support/run-cli.js';

let w: World | undefined;
afterEach(async () => {
  await w?.cleanup();
  w = undefined;
});

const utc = (ms: number) =>
  `${new Date(ms).toISOString().slice(0, 10)} ${new Date(ms).toISOString().slice(11, 16)} UTC`;

describe('status with the daemon', () => {
  it('after a refused refresh (daemon --once): not refreshable, when, and the sign-in fix', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    const token = w.signIn(10 * MIN);
    w.fake.set({ oidc: 'invalidGrant' });
    // Before the daemon ran: the files alone say refreshable.
    expect((await runCli(['status'], { env: w.env })).stdout).toMatch(
      /^session +expiring, session end unknown .*, refreshable$/m,
    );
    const once = await runCli(['daemon', '--once'], { env: w.env });
    expect(once.code).toBe(0);
    expect((await readDaemonState(w.paths)).lastRefresh).toMatchObject({ outcome: 'rejected' });

    const r = await runCli(['status'], { env: w.env });
    const refusedAt = JSON.parse((await runCli(['status', '--json'], { env: w.env })).stdout).session.refused;
    expect(refusedAt).toEqual({ reason: 'invalid_grant', at: expect.stringMatching(/^\d{4}-.*Z$/) });
    // Refused: the session ends with this access token (docs/session.md).
    const hhmm = new Date(token.expiresAt).toTimeString().slice(0, 5);
    expect(r.stdout).toContain(
      `session   expiring, session ends ${hhmm} (in 9m), not refreshable: AWS refused the refresh ${utc(Date.parse(refusedAt.at))}; sign in again: bedrock-profile login --profile dev\n`,
    );
    expect(r.stdout).toMatch(/^daemon {4}not running$/m);
    expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it('a running daemon that saw the refusal: its block says so, one time style throughout', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    w.signIn(10 * MIN);
    w.fake.set({ oidc: 'invalidGrant' });
    const child = spawn(process.execPath, [BIN, 'daemon'], { env: w.env, stdio: 'ignore' });
    try {
      await until(() => existsSync(w!.paths.daemonStateFile), 20_000, 'the daemon state');
      await until(() => w!.logText().includes('invalid_grant'), 20_000, 'the refused refresh');
      await until(() => w!.notifications().length > 0, 20_000, 'the notification about the refusal');
      const r = await runCli(['status'], { env: w.env });
      expect(r.stdout).toMatch(
        /^ {10}corp \(dev\): last refresh never, AWS refused the refresh \d{4}-\d\d-\d\d \d\d:\d\d UTC; next: (notify|session ends) \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m,
      );
      expect(r.stdout).toMatch(
        /^session +expiring, session ends .*, not refreshable: AWS refused the refresh /m,
      );
      expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
