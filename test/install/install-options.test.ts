/**
 * install.sh options and edge cases: --purge, an rc file that is a symlink (dotfiles managers), a piped run
 * with --source, `bedrock-profile install` re-applying the setup from the installed copy, a prefix path
 * with spaces, quotes, '%' and '&' (escaped in the unit and the plist), and the receipt-less uninstall.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../src/platform/paths.js';
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
const FAST = ['--yes', '--no-doctor'];

beforeAll(() => {
  source = makeReleaseSource();
}, 120_000);
afterAll(() => rmSync(source, { recursive: true, force: true }));
afterEach(() => h?.cleanup());

describe('uninstall and user data', () => {
  it('--purge removes exactly the paths src/platform/paths.ts uses', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      h = makeInstallHome({ BEDROCK_PROFILE_PLATFORM: platform });
      const before = snapshot(h.home);
      expect((await runInstallSh(source, h, [...FAST, '--no-shell', '--no-service'])).code).toBe(0);
      const paths = resolvePaths(h.env, platform);
      h.write(paths.configFile, { refreshBefore: 25 });
      h.write(paths.trustFile, { version: 1, entries: [] });
      h.write(paths.logFile, '{"msg":"started"}\n');
      h.write(join(paths.recordsDir, 'abc'), 'v=1\n');
      const r = await runInstallSh(source, h, ['--uninstall', '--purge', '--yes']);
      expect(r.code, r.stderr).toBe(0);
      for (const p of [paths.configDir, paths.stateDir, paths.logDir, paths.cacheDir])
        expect(existsSync(p), p).toBe(false);
      // Parents the tool's data created (~/.config, ~/.local/state, ~/Library/...) are the user's to keep;
      // the install's own files are all gone.
      const left = Object.keys(snapshot(h.home)).filter((k) => !(k in before));
      for (const k of left) expect(lstatSync(join(h.home, k)).isDirectory(), k).toBe(true);
      expect(left.filter((k) => k.includes('bedrock-profile'))).toEqual([]);
      h.cleanup();
    }
  }, 180_000);

  it('an uninstall without a terminal wants --yes, and changes nothing without it', async () => {
    h = makeInstallHome();
    h.write('.zshrc', '# >>> bedrock-profile >>>\nBEDROCK_PROFILE_BIN=x\n# <<< bedrock-profile <<<\n');
    const before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--uninstall']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: not asking without a terminal: pass --yes to uninstall\n');
    expect(snapshot(h.home)).toEqual(before);
  });

  it('without a receipt the prefix is not removed (it might not be ours)', async () => {
    h = makeInstallHome();
    h.write('.local/share/bedrock-profile/notes.txt', 'mine\n');
    const r = await runInstallSh(source, h, ['--uninstall', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no install receipt, so it was not made by install.sh; left as it is');
    expect(readFileSync(join(h.home, '.local/share/bedrock-profile/notes.txt'), 'utf8')).toBe('mine\n');
  });
});

describe('uninstall follows the receipt', () => {
  it('removes the unit and the fish file where the install put them, even with another XDG_CONFIG_HOME now', async () => {
    h = makeInstallHome();
    const xdg = h.mkdir('xdg-config');
    const before = snapshot(h.home);
    expect((await runInstallSh(source, h, FAST, { XDG_CONFIG_HOME: xdg })).code).toBe(0);
    expect(existsSync(join(xdg, 'systemd/user/bedrock-profile.service'))).toBe(true);
    expect(existsSync(join(xdg, 'fish/conf.d/bedrock-profile.fish'))).toBe(true);
    const r = await runInstallSh(source, h, ['--uninstall', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(snapshot(h.home)).toEqual(before);
  }, 120_000);
});

describe('rc files', () => {
  it('edits the file a symlinked ~/.zshrc points to, keeps the link, and restores the file byte for byte', async () => {
    h = makeInstallHome();
    const real = h.write('dotfiles/zshrc', 'export A=1\n\n\n');
    symlinkSync('dotfiles/zshrc', join(h.home, '.zshrc'));
    h.write('.bashrc', '');
    const before = snapshot(h.home);
    expect((await runInstallSh(source, h, [...FAST, '--no-service'])).code).toBe(0);
    expect(readlinkSync(join(h.home, '.zshrc'))).toBe('dotfiles/zshrc');
    expect(readFileSync(real, 'utf8')).toMatch(/^export A=1\n\n\n\n# >>> bedrock-profile >>>\n/);
    // An empty .bashrc gets the block alone, and is left empty (not deleted) by the uninstall.
    expect(readFileSync(join(h.home, '.bashrc'), 'utf8')).toMatch(/^# >>> bedrock-profile >>>\n/);
    expect((await runInstallSh(source, h, ['--uninstall', '--yes'])).code).toBe(0);
    expect(snapshot(h.home)).toEqual(before);
  }, 120_000);

  it('lines the user added after our block survive the uninstall', async () => {
    h = makeInstallHome();
    h.write('.zshrc', 'export A=1\n');
    expect((await runInstallSh(source, h, [...FAST, '--no-service'])).code).toBe(0);
    writeFileSync(join(h.home, '.zshrc'), `${readFileSync(join(h.home, '.zshrc'), 'utf8')}export B=2\n`);
    expect((await runInstallSh(source, h, ['--uninstall', '--yes'])).code).toBe(0);
    expect(readFileSync(join(h.home, '.zshrc'), 'utf8')).toBe('export A=1\nexport B=2\n');
    // No .bashrc existed: the install created it, the uninstall deleted it.
    expect(existsSync(join(h.home, '.bashrc'))).toBe(false);
  }, 120_000);
});

// Without a systemd user session: test/install/install-autostart.test.ts (the XDG autostart entry).

describe('advice in the shell the install ran from', () => {
  it('from fish: fish_add_path and exec fish; from bash: export PATH in ~/.bashrc and exec bash', async () => {
    h = makeInstallHome();
    const args = [...FAST, '--no-service'].join(' ');
    const fish = await run('fish', ['--no-config', '-c', `bash '${join(source, 'install.sh')}' ${args}`], {
      env: { ...h.env, SHELL: '/bin/bash' },
    });
    expect(fish.code, fish.stderr).toBe(0);
    expect(fish.stdout).toContain(
      `- ~/.local/bin is not on your PATH; add it (fish keeps it for every session):\n    fish_add_path '${h.home}/.local/bin'\n`,
    );
    expect(fish.stdout).toContain('- Open a new terminal (or run: exec fish) so the hook loads.\n');
    // `; true`: else bash -c execs the command and is no longer its parent.
    const bash = await run('bash', ['--norc', '-c', `bash '${join(source, 'install.sh')}' ${args}; true`], {
      env: { ...h.env, SHELL: '/usr/bin/fish' },
    });
    expect(bash.code, bash.stderr).toBe(0);
    expect(bash.stdout).toContain(`add it in ~/.bashrc:\n    export PATH="${h.home}/.local/bin:$PATH"\n`);
    expect(bash.stdout).toContain('(or run: exec bash)');
  }, 240_000);
});

describe('other ways in', () => {
  it('piped to bash with --source installs like ./install.sh', async () => {
    h = makeInstallHome();
    const script = readFileSync(join(source, 'install.sh'), 'utf8');
    const r = await run('bash', ['-s', '--', '--source', source, ...FAST, '--no-service', '--no-shell'], {
      env: h.env,
      input: script,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readlinkSync(h.link)).toBe(join(h.prefix, 'bin', 'bedrock-profile'));
    expect((await run(h.link, ['--version'], { env: h.env })).stdout).toBe('0.1.0\n');
  }, 120_000);

  it('bedrock-profile install re-applies the rc blocks and the service from the installed copy, without copying', async () => {
    h = makeInstallHome();
    h.write('.zshrc', 'export A=1\n');
    const link = join(h.home, 'bin', 'bedrock-profile');
    expect(
      (await runInstallSh(source, h, [...FAST, '--no-service', '--bin-dir', join(h.home, 'bin')])).code,
    ).toBe(0);
    const installed = snapshot(h.home);
    // The user removed the block by hand; `install` puts it back, and installs the service now.
    writeFileSync(join(h.home, '.zshrc'), 'export A=1\n');
    const prefixBefore = snapshot(h.prefix);
    const r = await run(link, ['install', '--yes', '--no-doctor'], { env: h.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Re-applying the setup of ~/.local/share/bedrock-profile');
    expect(readFileSync(join(h.home, '.zshrc'), 'utf8')).toMatch(
      /^export A=1\n\n# >>> bedrock-profile >>>\n/,
    );
    expect(existsSync(join(h.home, '.config/systemd/user/bedrock-profile.service'))).toBe(true);
    // The program itself was not copied again; only the receipt learned about the service.
    const prefixAfter = snapshot(h.prefix);
    delete prefixBefore['.install-receipt'];
    delete prefixAfter['.install-receipt'];
    expect(prefixAfter).toEqual(prefixBefore);
    expect(readFileSync(join(h.prefix, '.install-receipt'), 'utf8')).toContain('service\t');
    // The link stays where the first install put it (no second one in ~/.local/bin).
    expect(readlinkSync(link)).toBe(join(h.prefix, 'bin', 'bedrock-profile'));
    expect(existsSync(h.link)).toBe(false);
    // The block put back is byte-identical to the one the first install wrote.
    expect(snapshot(h.home)['.zshrc']).toBe(installed['.zshrc']);
  }, 120_000);

  it('a prefix with spaces, quotes, % and & is escaped in the unit (systemd-analyze verify) and the plist', async () => {
    const odd = 'Apps & Tools/bp 100% \'x\' "y" $HOME';
    h = makeInstallHome();
    const prefix = join(h.home, odd);
    let r = await runInstallSh(source, h, [...FAST, '--no-shell', '--prefix', prefix]);
    expect(r.code, r.stderr).toBe(0);
    const unit = join(h.home, '.config/systemd/user/bedrock-profile.service');
    const v = await run('systemd-analyze', ['--user', 'verify', unit], {
      env: { ...h.env, XDG_RUNTIME_DIR: h.mkdir(join(h.root, 'runtime')) },
    });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr.split('\n').filter((l) => l.includes('bedrock-profile'))).toEqual([]);
    // '%' is a specifier in units: written as '%%'. The launcher and the program work from that prefix.
    expect(readFileSync(unit, 'utf8')).toContain('bp 100%% ');
    expect((await run(join(prefix, 'bin', 'bedrock-profile'), ['--version'], { env: h.env })).stdout).toBe(
      '0.1.0\n',
    );
    expect((await runInstallSh(source, h, ['--uninstall', '--yes', '--prefix', prefix])).code).toBe(0);
    expect(existsSync(prefix)).toBe(false);

    r = await runInstallSh(source, h, [...FAST, '--no-shell', '--prefix', prefix], {
      BEDROCK_PROFILE_PLATFORM: 'darwin',
    });
    expect(r.code, r.stderr).toBe(0);
    const plist = join(h.home, 'Library/LaunchAgents/dev.bedrock-profile.daemon.plist');
    const args = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))["ProgramArguments"]))',
          plist,
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(args[1]).toBe(join(prefix, 'bin', 'bedrock-profile.js'));
  }, 180_000);
});
