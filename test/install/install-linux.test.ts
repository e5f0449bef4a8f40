/**
 * install.sh for real on the Linux path: a throwaway HOME with rc files already in it, the systemctl
 * stand-in on PATH. The files and blocks it creates, a second run that changes nothing, the uninstall that
 * leaves every rc file byte-identical, and the `bedrock-profile` commands that drive it.
 */
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
// doctor (run at the end of the install) keeps a cache there; uninstall removes it, checked at the end.
const homeSnapshot = (opts: { withCache?: boolean } = {}) =>
  snapshot(h.home, { skip: (rel) => !opts.withCache && rel === '.cache/bedrock-profile' });
const ZSHRC = 'setopt autocd\nalias ll="ls -l"'; // no trailing newline
const BASHRC = '# ~/.bashrc\nexport EDITOR=vi\n'; // trailing newline

beforeAll(() => {
  source = makeReleaseSource();
  h = makeInstallHome();
  h.write('.zshrc', ZSHRC);
  h.write('.bashrc', BASHRC);
  h.mkdir('.cache');
  // User data that an uninstall without --purge keeps.
  h.write('.config/bedrock-profile/config.json', { refreshBefore: 25 });
}, 120_000);
afterAll(() => {
  h.cleanup();
  rmSync(source, { recursive: true, force: true });
});

describe('install.sh on Linux (systemd user unit)', () => {
  let before: Record<string, string>;
  let afterFirst: Record<string, string>;

  it('installs the prefix, the link, the rc blocks and the unit, and starts the service', async () => {
    before = homeSnapshot({ withCache: true });
    const r = await runInstallSh(source, h, ['--yes']);
    expect(r.stderr).not.toMatch(/^\s+at |Error:/m);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('==> bedrock-profile 0.1.0 is installed');
    expect(r.stdout).toContain('Next steps:');

    // The prefix: the program, runtime dependencies only, the generated launcher, the receipt.
    for (const f of [
      'bin/bedrock-profile.js',
      'dist/cli.js',
      'install.sh',
      'package.json',
      'node_modules/commander',
    ]) {
      expect(existsSync(join(h.prefix, f)), f).toBe(true);
    }
    expect(existsSync(join(h.prefix, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(join(h.prefix, 'node_modules', 'typescript'))).toBe(false);
    const launcher = readFileSync(join(h.prefix, 'bin', 'bedrock-profile'), 'utf8');
    expect(launcher).toContain(`exec "$node" '${h.prefix}/bin/bedrock-profile.js' "$@"`);
    expect(lstatSync(join(h.prefix, 'bin', 'bedrock-profile')).mode & 0o777).toBe(0o755);
    expect(readlinkSync(h.link)).toBe(join(h.prefix, 'bin', 'bedrock-profile'));

    // One marked block per rc file, after the user's own text, which is untouched.
    const zshrc = readFileSync(join(h.home, '.zshrc'), 'utf8');
    expect(zshrc.startsWith(`${ZSHRC}\n\n# >>> bedrock-profile >>>\n`)).toBe(true);
    expect(zshrc).toContain(`BEDROCK_PROFILE_BIN='${h.prefix}/bin/bedrock-profile'\n`);
    expect(zshrc).toContain(`. '${h.prefix}/shell/hook.zsh'`);
    expect(zshrc.endsWith('# <<< bedrock-profile <<<\n')).toBe(true);
    expect(zshrc.match(/>>> bedrock-profile >>>/g)).toHaveLength(1);
    const bashrc = readFileSync(join(h.home, '.bashrc'), 'utf8');
    expect(bashrc.startsWith(`${BASHRC}\n# >>> bedrock-profile >>>\n`)).toBe(true);
    expect(bashrc).toContain(`. '${h.prefix}/shell/hook.bash'`);
    const fish = readFileSync(join(h.home, '.config/fish/conf.d/bedrock-profile.fish'), 'utf8');
    expect(fish).toContain(`source '${h.prefix}/shell/hook.fish'`);
    expect(fish).toContain('status is-interactive');

    // The unit, with absolute paths, and the systemctl calls that load and start it.
    const unit = readFileSync(join(h.home, '.config/systemd/user/bedrock-profile.service'), 'utf8');
    expect(unit).toMatch(
      new RegExp(`^ExecStart="/[^"]+/node" "${h.prefix}/bin/bedrock-profile.js" daemon$`, 'm'),
    );
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^WantedBy=default.target$/m);
    expect(unit).not.toMatch(/^(After|Wants|Requires)=.*network/m);
    expect(h.takeCalls()).toEqual([
      'systemctl --user show-environment',
      'systemctl --user daemon-reload',
      'systemctl --user enable bedrock-profile.service',
      'systemctl --user restart bedrock-profile.service',
    ]);
    afterFirst = homeSnapshot();
    expect(
      Object.keys(afterFirst).filter((k) => !(k in before) && !k.startsWith('.local/share/bedrock-profile/')),
    ).toEqual([
      '.config/fish',
      '.config/fish/conf.d',
      '.config/fish/conf.d/bedrock-profile.fish',
      '.config/systemd',
      '.config/systemd/user',
      '.config/systemd/user/bedrock-profile.service',
      '.local',
      '.local/bin',
      '.local/bin/bedrock-profile',
      '.local/share',
      '.local/share/bedrock-profile',
    ]);
  }, 120_000);

  it('a second run changes nothing: same bytes everywhere, the service only asked to be running', async () => {
    const r = await runInstallSh(source, h, ['--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('already installed, unchanged');
    expect(r.stdout).toContain('~/.zshrc: already set up');
    expect(homeSnapshot()).toEqual(afterFirst);
    expect(h.takeCalls()).toEqual([
      'systemctl --user show-environment',
      'systemctl --user enable --now bedrock-profile.service',
    ]);
  }, 120_000);

  it('the unit passes systemd-analyze verify', async () => {
    const runtime = h.mkdir('/'.concat(h.root, '/runtime'));
    const r = await run(
      'systemd-analyze',
      ['--user', 'verify', join(h.home, '.config/systemd/user/bedrock-profile.service')],
      { env: { ...h.env, XDG_RUNTIME_DIR: runtime }, timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    // verify exits 0 on warnings too: it must have nothing to say about our unit.
    expect(r.stderr.split('\n').filter((l) => l.includes('bedrock-profile'))).toEqual([]);
  }, 60_000);

  it('bedrock-profile service status|stop|start|restart drive systemctl --user', async () => {
    const cli = (args: string[]) => run(h.link, args, { env: h.env });
    let r = await cli(['service', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `daemon: running (pid 4242)\nservice: systemd user unit ${h.home}/.config/systemd/user/bedrock-profile.service, starts at login\n`,
    );
    r = await cli(['service', 'stop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('daemon: not running (inactive)');
    r = await cli(['service', 'status', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      manager: 'systemd',
      installed: true,
      running: false,
      enabled: true,
    });
    expect((await cli(['service', 'start'])).code).toBe(0);
    expect((await cli(['service', 'restart'])).code).toBe(0);
    const show =
      'systemctl --user show bedrock-profile.service --property=LoadState,ActiveState,SubState,MainPID,UnitFileState';
    expect(h.takeCalls()).toEqual([
      show,
      'systemctl --user stop bedrock-profile.service',
      show,
      show,
      'systemctl --user start bedrock-profile.service',
      show,
      'systemctl --user restart bedrock-profile.service',
      show,
    ]);
  }, 60_000);

  it('bedrock-profile uninstall removes it all: every rc file byte-identical, user data kept', async () => {
    const r = await run(h.link, ['uninstall', '--yes'], { env: h.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('==> bedrock-profile is uninstalled');
    expect(r.stdout).toContain('kept your settings and data in: ~/.config/bedrock-profile');
    expect(readFileSync(join(h.home, '.zshrc'), 'utf8')).toBe(ZSHRC);
    expect(readFileSync(join(h.home, '.bashrc'), 'utf8')).toBe(BASHRC);
    expect(h.takeCalls()).toEqual([
      'systemctl --user disable --now bedrock-profile.service',
      'systemctl --user daemon-reload',
      'systemctl --user reset-failed bedrock-profile.service',
    ]);
    // No trace: HOME is exactly as before the install (the directories the install created are gone too).
    expect(homeSnapshot({ withCache: true })).toEqual(before);
  }, 60_000);
});
