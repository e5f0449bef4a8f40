/**
 * install.sh where no systemd user session answers (WSL, containers, some desktops; the systemctl
 * stand-in answers "Failed to connect to bus"): it says so once, writes an XDG autostart entry and starts
 * the real daemon now; doctor's daemon check passes; `service` drives that daemon; a second run says
 * nothing new; the uninstall stops it and leaves HOME byte-identical.
 */
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPidAlive } from '../../src/fs/lock.js';
import {
  type InstallHome,
  makeInstallHome,
  makeReleaseSource,
  run,
  runInstallSh,
  snapshot,
} from './install-harness.js';

let source: string;
let h: InstallHome;
const ZSHRC = 'export A=1\n';
const lockFile = () => join(h.home, '.local/state/bedrock-profile/daemon.lock');
const daemonPid = (): number | undefined => {
  if (!existsSync(lockFile())) return undefined;
  const pid = (JSON.parse(readFileSync(lockFile(), 'utf8')) as { pid: number }).pid;
  return isPidAlive(pid) ? pid : undefined;
};

beforeAll(() => {
  source = makeReleaseSource();
  h = makeInstallHome({ SERVICE_STANDIN_NOBUS: '1' });
  h.write('.zshrc', ZSHRC);
  // A desktop home has its XDG cache and state directories already; the daemon writes below them.
  h.mkdir('.cache');
  h.mkdir('.local/state');
}, 120_000);
/** The installer's warnings, without the one about this machine's AWS CLI v1 (tests run the real v1). */
const warnings = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('Warning: AWS CLI v1 found'))
    .map((l) => `${l}\n`)
    .join('');
afterAll(() => {
  const pid = daemonPid();
  if (pid) process.kill(pid, 'SIGKILL');
  h.cleanup();
  rmSync(source, { recursive: true, force: true });
});

describe('install.sh without a systemd user session', () => {
  let before: Record<string, string>;
  const entry = () => join(h.home, '.config/autostart/bedrock-profile.desktop');

  it('says so once, writes the autostart entry and starts the daemon now', async () => {
    before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes', '--no-doctor']);
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r.stderr)).toBe(
      'Warning: no systemd user session here (systemctl --user does not answer), so no systemd unit: the daemon starts with your desktop session instead (an XDG autostart entry), and now\n',
    );
    expect(r.stdout).toContain(
      '~/.config/autostart/bedrock-profile.desktop: written (starts the daemon at every graphical login)',
    );
    expect(r.stdout).toMatch(/started the daemon \(pid \d+\)/);
    const text = readFileSync(entry(), 'utf8');
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Name=bedrock-profile daemon',
      'Comment=Keeps the AWS SSO sessions of Claude Code fresh (bedrock-profile)',
    ]);
    const exec = /^Exec=env "PATH=[^"]+" "([^"]+)" "([^"]+)" daemon$/.exec(lines[4] ?? '');
    expect(exec, lines[4]).not.toBeNull();
    // The node on PATH, as the installer found it (npm's `node` package puts a link in node_modules/.bin).
    expect(realpathSync(exec![1]!)).toBe(realpathSync(process.execPath));
    expect(exec![2]).toBe(`${h.prefix}/bin/bedrock-profile.js`);
    expect(lines.slice(5)).toEqual([
      'Terminal=false',
      'NoDisplay=true',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
    expect(readFileSync(join(h.prefix, '.install-receipt'), 'utf8')).toContain(`service\t${entry()}\n`);
    expect(daemonPid()).toBeDefined();
  }, 120_000);

  it('doctor passes the daemon check; service status tells the autostart entry', async () => {
    const doctor = await run(h.link, ['doctor', '--json'], { env: h.env });
    const checks = JSON.parse(doctor.stdout).checks as Array<{ id: string; status: string; detail: string }>;
    expect(checks.find((c) => c.id === 'daemon')).toMatchObject({
      status: 'pass',
      detail: `running (pid ${daemonPid()})`,
    });
    const status = await run(h.link, ['service', 'status'], { env: h.env });
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout).toBe(
      `daemon: running (pid ${daemonPid()})\nservice: XDG autostart entry ${entry()}, starts at graphical login (no systemd user session here)\n`,
    );
  }, 60_000);

  it('service stop and start drive that daemon; doctor then names the fix that starts it', async () => {
    const stop = await run(h.link, ['service', 'stop'], { env: h.env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/^daemon: not running \(not running\)\n/);
    expect(daemonPid()).toBeUndefined();
    const doctor = JSON.parse((await run(h.link, ['doctor', '--json'], { env: h.env })).stdout);
    expect(doctor.checks.find((c: { id: string }) => c.id === 'daemon').fix).toBe(
      'bedrock-profile service start',
    );
    const start = await run(h.link, ['service', 'start'], { env: h.env });
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/^daemon: running \(pid \d+\)\n/);
    expect(daemonPid()).toBeDefined();
  }, 60_000);

  it('a second run says nothing new and keeps the daemon', async () => {
    const pid = daemonPid();
    const text = readFileSync(entry(), 'utf8');
    const r = await runInstallSh(source, h, ['--yes', '--no-doctor']);
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r.stderr)).toBe('');
    expect(r.stdout).toContain(`the daemon is running (pid ${pid})`);
    expect(readFileSync(entry(), 'utf8')).toBe(text);
    expect(daemonPid()).toBe(pid);
  }, 120_000);

  it('the uninstall stops the daemon and removes the entry: HOME byte-identical', async () => {
    const pid = daemonPid()!;
    const r = await run(h.link, ['uninstall', '--purge', '--yes'], { env: h.env });
    expect(r.code, r.stderr).toBe(0);
    expect(isPidAlive(pid)).toBe(false);
    expect(existsSync(entry())).toBe(false);
    expect(snapshot(h.home)).toEqual(before);
  }, 60_000);
});
