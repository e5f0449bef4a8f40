/**
 * install.sh edge cases from issue 13: an rc file holding a NUL byte (bash would cut it there), our begin
 * marker as the user's last line without a newline, an rc symlink loop, npm's debug logs under ~/.npm,
 * and the staging and temp directories of a run killed with SIGKILL (cleaned by the next run).
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type InstallHome, makeInstallHome, makeReleaseSource, runInstallSh } from './install-harness.js';

let source: string;
let h: InstallHome;
const FAST = ['--yes', '--no-doctor', '--no-service'];

beforeAll(() => {
  source = makeReleaseSource();
}, 120_000);
afterAll(() => rmSync(source, { recursive: true, force: true }));
afterEach(() => h?.cleanup());

describe('install.sh edge cases (issue 13)', () => {
  it('an rc file with a NUL byte: refused before any change, the file byte-identical', async () => {
    h = makeInstallHome();
    const bytes = Buffer.from('export A=1\n\u0000binary tail\nexport B=2\n', 'latin1');
    const rc = join(h.home, '.bashrc');
    writeFileSync(rc, bytes);
    const r = await runInstallSh(source, h, FAST);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `${'~/.bashrc'} contains a NUL byte, which install.sh cannot keep; remove it (or add the hook by hand, see the README) and run install.sh again`,
    );
    expect(readFileSync(rc).equals(bytes)).toBe(true);
    expect(existsSync(h.prefix)).toBe(false);
  }, 120_000);

  it('our begin marker as the last line without a newline: the uninstall gives the file back byte for byte', async () => {
    h = makeInstallHome();
    const rc = join(h.home, '.bashrc');
    const mine = 'export A=1\n# >>> bedrock-profile >>>';
    writeFileSync(rc, mine);
    const i = await runInstallSh(source, h, FAST);
    expect(i.code, i.stderr).toBe(0);
    // A second install finds its own block, not the user's line.
    const again = await runInstallSh(source, h, FAST);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(rc, 'utf8').split('# >>> bedrock-profile >>>')).toHaveLength(3);
    const u = await runInstallSh(source, h, ['--uninstall', '--yes']);
    expect(u.code, u.stderr).toBe(0);
    expect(readFileSync(rc, 'utf8')).toBe(mine);
  }, 180_000);

  it('an rc symlink loop: refused, the links left as they are; the uninstall leaves them too', async () => {
    h = makeInstallHome();
    const rc = join(h.home, '.bashrc');
    symlinkSync(join(h.home, '.bashrc2'), rc);
    symlinkSync(rc, join(h.home, '.bashrc2'));
    const r = await runInstallSh(source, h, FAST);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      '~/.bashrc is a symbolic link loop; fix or remove the link and run install.sh again',
    );
    expect(lstatSync(rc).isSymbolicLink()).toBe(true);
    expect(readlinkSync(rc)).toBe(join(h.home, '.bashrc2'));
    const u = await runInstallSh(source, h, ['--uninstall', '--yes']);
    expect(lstatSync(rc).isSymbolicLink()).toBe(true);
    expect(u.stderr).not.toContain('removed the bedrock-profile block');
  }, 120_000);

  it('npm leaves no debug log or update stamp under ~/.npm', async () => {
    h = makeInstallHome();
    // npm's own default: the cache and logs in ~/.npm (the harness normally moves them out of HOME).
    delete h.env.npm_config_cache;
    delete h.env.npm_config_update_notifier;
    const r = await runInstallSh(source, h, FAST);
    expect(r.code, r.stderr).toBe(0);
    const npmDir = join(h.home, '.npm');
    const left = existsSync(npmDir) ? readdirSync(npmDir, { recursive: true }) : [];
    expect(left).toEqual([]);
  }, 120_000);

  it('after a SIGKILL mid-install, the next run removes the killed run’s staging and temp directories', async () => {
    h = makeInstallHome();
    const parent = join(h.home, '.local', 'share');
    mkdirSync(parent, { recursive: true });
    // Killed while staging: npm prune is the slow step; a stand-in npm that never returns holds it there.
    const slow = join(h.root, 'slow-bin');
    mkdirSync(slow);
    writeFileSync(join(slow, 'npm'), '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    const child = spawn('bash', [join(source, 'install.sh'), ...FAST], {
      env: { ...h.env, PATH: `${slow}:${h.env.PATH}` },
      stdio: 'ignore',
      // Its own process group: the kill takes the installer and its sleeping npm together.
      detached: true,
    });
    const stage = () => readdirSync(parent).filter((n) => n.startsWith('.bedrock-profile.stage.'));
    const temps = () => readdirSync(h.root).filter((n) => n.startsWith('bedrock-profile-install.'));
    for (let i = 0; i < 600 && stage().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(stage()).toHaveLength(1);
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(temps()).toHaveLength(1);
    const r = await runInstallSh(source, h, FAST);
    expect(r.code, r.stderr).toBe(0);
    expect(stage()).toEqual([]);
    expect(temps()).toEqual([]);
  }, 180_000);
});
