/** The notifier's platform paths through stand-ins on PATH, and the pid lock's takeover rules. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPidAlive, readLock, tryAcquireLock } from '../../src/fs/lock.js';
import { createNotifier } from '../../src/notify/notifier.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { STANDIN_BIN } from './support/harness.js';

let home: TempHome | undefined;
afterEach(() => home?.cleanup());

function lines(file: string): string[][] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').filter((a) => a !== ''))
    : [];
}

describe('notifier', () => {
  const text = {
    title: 'AWS session ends in 5 minutes: dev',
    message: 'Profile dev: ... Sign in: bedrock-profile login --profile dev',
  };

  it('Linux: notify-send with the sign-in action; a click is reported', async () => {
    home = makeTempHome();
    const log = join(home.root, 'n.log');
    const n = createNotifier(
      { PATH: `${STANDIN_BIN}:/usr/bin:/bin`, NOTIFY_SEND_LOG: log, NOTIFY_SEND_CLICK: '1' },
      'linux',
    );
    const r = await n.notify(text, { signInAction: true, urgent: true });
    expect(r).toMatchObject({ delivered: true, via: 'notify-send' });
    expect(await r.action).toBe(true);
    expect(lines(log)).toEqual([
      [
        '--action=signin=Sign in',
        '--wait',
        '--app-name=bedrock-profile',
        '--urgency=critical',
        '--',
        text.title,
        text.message,
      ],
    ]);
  });

  it('Linux: an old notify-send without --action gets a plain notification', async () => {
    home = makeTempHome();
    const log = join(home.root, 'n.log');
    const n = createNotifier(
      { PATH: `${STANDIN_BIN}:/usr/bin:/bin`, NOTIFY_SEND_LOG: log, NOTIFY_SEND_OLD: '1' },
      'linux',
    );
    const r = await n.notify(text, { signInAction: true });
    expect(r).toMatchObject({ delivered: true, via: 'notify-send' });
    expect(lines(log)).toEqual([
      ['--app-name=bedrock-profile', '--urgency=normal', '--', text.title, text.message],
    ]);
  });

  it('Linux without notify-send: not delivered, with the reason (no throw)', async () => {
    const n = createNotifier({ PATH: '/nonexistent' }, 'linux');
    const r = await n.notify(text, { signInAction: true });
    expect(r.delivered).toBe(false);
    expect(r.error).toContain('ENOENT');
  });

  it('macOS: when terminal-notifier fails, osascript shows it, the strings passed as arguments', async () => {
    // On this Linux machine node-notifier's NotificationCenter refuses to run: exactly the failure path.
    home = makeTempHome();
    const log = join(home.root, 'o.log');
    const n = createNotifier({ PATH: `${STANDIN_BIN}:/usr/bin:/bin`, OSASCRIPT_LOG: log }, 'darwin');
    const hostile = { title: 'a "quoted" title', message: 'end tell\nrm -rf ~ $(x)' };
    const r = await n.notify(hostile, { signInAction: true });
    expect(r).toMatchObject({ delivered: true, via: 'osascript' });
    expect(lines(log)).toEqual([
      [
        '-e',
        'on run argv',
        '-e',
        'display notification (item 2 of argv) with title (item 1 of argv)',
        '-e',
        'end run',
        'a "quoted" title',
        'end tell rm -rf ~ $(x)',
      ],
    ]);
  });
});

describe('pid lock', () => {
  it('one holder; a live holder is reported; a dead holder’s lock is taken over; release keeps a later owner’s lock', async () => {
    home = makeTempHome();
    const file = join(home.root, 'state', 'x.lock');
    const a = await tryAcquireLock(file, 'daemon', 1);
    expect(a.acquired).toBe(true);
    const b = await tryAcquireLock(file, 'daemon', 2);
    expect(b).toMatchObject({ acquired: false, holder: { pid: process.pid, purpose: 'daemon' } });
    if (!a.acquired) throw new Error('unreachable');
    await a.lock.release();
    expect(existsSync(file)).toBe(false);

    // A lock left by a process that is gone.
    let dead = 999_999;
    while (isPidAlive(dead)) dead--;
    writeFileSync(file, JSON.stringify({ pid: dead, startedAt: 1, purpose: 'daemon', token: 'old' }));
    const c = await tryAcquireLock(file, 'daemon', 3);
    expect(c.acquired).toBe(true);
    expect(await readLock(file)).toMatchObject({ pid: process.pid });

    // Garbage in the lock file is not a holder.
    if (!c.acquired) throw new Error('unreachable');
    writeFileSync(file, 'not json');
    await c.lock.release(); // not ours any more: left alone
    expect(readFileSync(file, 'utf8')).toBe('not json');
    const d = await tryAcquireLock(file, 'daemon', 4);
    expect(d.acquired).toBe(true);
  });
});
