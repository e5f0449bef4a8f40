/**
 * One notification per SSO session (issue 14), through the real daemon and a notify-send stand-in that
 * hands out ids (`--print-id`) as a notification server does: the session is named with every profile it
 * serves; a second notification for it replaces the first (`--replace-id`); a new token (signed in again,
 * then refreshed by the daemon) closes it (CloseNotification through a `gdbus` stand-in). The body is
 * escaped for the markup notification servers interpret.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/notify/notifier.js';
import { writeAwsConfig } from '../support/aws-fixtures.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import {
  CONFIG,
  MIN,
  makeWorld,
  type RunningDaemon,
  STANDIN_BIN,
  startDaemon,
  until,
  type World,
} from './support/harness.js';

let w: World | undefined;
let d: RunningDaemon | undefined;
let home: TempHome | undefined;
afterEach(async () => {
  await d?.stop();
  await w?.cleanup();
  home?.cleanup();
  w = d = home = undefined;
});

const calls = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').filter((a) => a !== ''))
    : [];

describe('notifications replace themselves', () => {
  it('one session, two profiles: named once with both; the second replaces the first; a new token closes it', async () => {
    w = await makeWorld({ profiles: ['dev', 'data'] });
    // `data` is a second profile on the same sso-session `corp`.
    writeAwsConfig(
      w.home,
      `${CONFIG}\n[profile data]\nsso_session = corp\nsso_account_id = 444455556666\nsso_role_name = Data\nregion = us-east-1\n`,
    );
    const gdbusLog = join(w.home.root, 'gdbus.log');
    w.env.GDBUS_LOG = gdbusLog;
    w.signIn(15 * MIN);
    w.fake.set({ oidc: 'invalidGrant' });
    d = startDaemon(w);
    await until(() => w!.notifications().length === 1, 10_000, 'the first notification');
    const [first] = w.notifications();
    expect(first!.title).toBe('AWS session ends in 15 minutes: corp (dev, data)');
    expect(first!.args).toContain('--print-id');
    expect(first!.args.some((a) => a.startsWith('--replace-id'))).toBe(false);

    w.clock.advance(10 * MIN + 20_000); // 4 min 40 s left: "4 minutes", never rounded up
    await until(() => w!.notifications().length === 2, 10_000, 'the 5-minute notification');
    const second = w.notifications()[1]!;
    expect(second.title).toBe('AWS session ends in 4 minutes: corp (dev, data)');
    // The stand-in numbered the first one 1: the second takes its place.
    expect(second.args).toContain('--replace-id=1');
    expect(calls(gdbusLog)).toEqual([]);

    // Signed in again (a new token), and the daemon refreshes it: the notification is no longer true.
    w.fake.set({ oidc: 'ok' });
    w.signIn(60 * MIN);
    await until(() => calls(gdbusLog).length === 1, 10_000, 'the notification closed');
    expect(calls(gdbusLog)).toEqual([
      [
        'call',
        '--session',
        '--dest=org.freedesktop.Notifications',
        '--object-path=/org/freedesktop/Notifications',
        '--method=org.freedesktop.Notifications.CloseNotification',
        '1',
      ],
    ]);
    // Refreshed later by the daemon itself: nothing left to close, nothing new shown.
    w.clock.advance(45 * MIN);
    await until(() => w!.logText().includes('refreshed the SSO session'), 10_000, 'the refresh');
    await d.nextPass();
    expect(w.notifications()).toHaveLength(2);
    expect(calls(gdbusLog)).toHaveLength(1);
  });

  it('a refresh closes a notification that was shown for the token before it', async () => {
    w = await makeWorld();
    const gdbusLog = join(w.home.root, 'gdbus.log');
    w.env.GDBUS_LOG = gdbusLog;
    // A token without a refresh token ends: notified at once (under the 15-minute lead).
    w.signIn(12 * MIN, { refreshToken: undefined });
    d = startDaemon(w);
    await until(() => w!.notifications().length === 1, 10_000, 'the notification');
    expect(w.notifications()[0]!.title).toBe('AWS session ends in 12 minutes: corp (dev)');
    // Another tool refreshed the session (a refreshable token now): closed.
    w.signIn(14 * MIN);
    await until(() => calls(gdbusLog).length === 1, 10_000, 'the notification closed');
    expect(calls(gdbusLog)[0]!.at(-1)).toBe('1');
    // The daemon refreshes that one too (within 15 minutes of its end): no new notification.
    await until(() => w!.logText().includes('refreshed the SSO session'), 10_000, 'the refresh');
    expect(w.notifications()).toHaveLength(1);
  });
});

describe('notification text and markup', () => {
  it('markup in the body reaches notify-send escaped: no link, no image, no bold', async () => {
    home = makeTempHome();
    const log = join(home.root, 'n.log');
    const n = createNotifier({ PATH: `${STANDIN_BIN}:/usr/bin:/bin`, NOTIFY_SEND_LOG: log }, 'linux');
    const r = await n.notify(
      {
        title: 'AWS session ended: a&b',
        message:
          'SSO session <a href="https://evil.example">x</a> <img src="/etc/passwd"/> <b>&amp;</b> ended',
      },
      { group: 'a&b' },
    );
    expect(r.delivered).toBe(true);
    expect(calls(log)[0]!.at(-1)).toBe(
      'SSO session &lt;a href="https://evil.example"&gt;x&lt;/a&gt; &lt;img src="/etc/passwd"/&gt; &lt;b&gt;&amp;amp;&lt;/b&gt; ended',
    );
    // The summary is plain text in the spec: left as it is.
    expect(calls(log)[0]!.at(-2)).toBe('AWS session ended: a&b');
  });

  it("a relative or empty PATH entry is skipped: a repo's own notify-send never runs", async () => {
    home = makeTempHome();
    const log = join(home.root, 'n.log');
    // A relative entry resolves against our working directory: plant a notify-send there.
    const rel = relative(process.cwd(), join(home.root, 'planted'));
    mkdirSync(join(home.root, 'planted'));
    const canary = join(home.root, 'PLANTED-RAN');
    writeFileSync(join(home.root, 'planted', 'notify-send'), `#!/bin/sh\ntouch '${canary}'\n`, {
      mode: 0o755,
    });
    const n = createNotifier({ PATH: `${rel}::${STANDIN_BIN}:/usr/bin:/bin`, NOTIFY_SEND_LOG: log }, 'linux');
    const r = await n.notify({ title: 'AWS session ended: corp', message: 'sign in' }, { group: 'corp' });
    expect(r.delivered).toBe(true);
    expect(existsSync(canary)).toBe(false);
    expect(calls(log)).toHaveLength(1);
  });
});
