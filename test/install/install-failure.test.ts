/**
 * install.sh failing: a failure midway rolls everything back (nothing half-installed, the previous version
 * untouched), refusals happen before any change, and the messages are one clear line without a stack trace.
 */
import { appendFileSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
const ZSHRC = 'PROMPT="%~ %# "'; // no trailing newline
const BASHRC = 'export EDITOR=vi\n';

beforeAll(() => {
  source = makeReleaseSource();
}, 120_000);
afterAll(() => rmSync(source, { recursive: true, force: true }));
afterEach(() => h?.cleanup());

function freshHome(): InstallHome {
  h = makeInstallHome();
  h.write('.zshrc', ZSHRC);
  h.write('.bashrc', BASHRC);
  return h;
}

function expectCleanFailure(r: { code: number; stderr: string }, reason: RegExp) {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(reason);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('install.sh failing midway', () => {
  it('the service failing to start rolls back the prefix, the link, the rc blocks and the unit', async () => {
    freshHome();
    const before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes', '--no-doctor'], {
      SERVICE_STANDIN_FAIL: 'systemctl --user enable',
    });
    expectCleanFailure(r, /^Error: systemctl --user enable failed: .*injected failure/m);
    expect(r.stderr).toContain('==> Rolling back: nothing stays half-installed');
    expect(r.stderr).toContain('restored ~/.zshrc');
    expect(snapshot(h.home)).toEqual(before);
    // The unit was written and loaded before enable failed: the rollback unloads it again.
    expect(h.takeCalls()).toEqual([
      'systemctl --user show-environment',
      'systemctl --user daemon-reload',
      'systemctl --user enable bedrock-profile.service',
      'systemctl --user disable --now bedrock-profile.service',
      'systemctl --user daemon-reload',
    ]);
    // No staging or backup directories left next to the prefix or in TMPDIR.
    expect(
      snapshot(h.root, {
        skip: (rel) => rel === 'home' || rel === 'npm-cache' || rel.startsWith('service-calls'),
      }),
    ).toEqual({ managed: 'dir 755' });
  }, 120_000);

  it('a failing upgrade leaves the previous version installed and running exactly as it was', async () => {
    freshHome();
    expect((await runInstallSh(source, h, ['--yes', '--no-doctor'])).code).toBe(0);
    const installed = snapshot(h.home);
    h.takeCalls();
    const upgraded = makeReleaseSource();
    appendFileSync(join(upgraded, 'README.md'), '\nA new version.\n');
    try {
      const r = await runInstallSh(upgraded, h, ['--yes', '--no-doctor'], {
        SERVICE_STANDIN_FAIL: 'systemctl --user enable',
      });
      expectCleanFailure(r, /^Error: systemctl --user enable failed/m);
      expect(snapshot(h.home)).toEqual(installed);
      expect(readFileSync(join(h.prefix, 'README.md'), 'utf8')).not.toContain('A new version.');
    } finally {
      rmSync(upgraded, { recursive: true, force: true });
    }
  }, 120_000);

  it('a link to an older install elsewhere is put back as it was', async () => {
    freshHome();
    h.mkdir('.local/bin');
    symlinkSync('/opt/old/bedrock-profile/bin/bedrock-profile', h.link);
    const before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes', '--no-doctor'], {
      SERVICE_STANDIN_FAIL: 'systemctl --user enable',
    });
    expectCleanFailure(r, /^Error: systemctl --user enable failed/m);
    expect(readlinkSync(h.link)).toBe('/opt/old/bedrock-profile/bin/bedrock-profile');
    expect(snapshot(h.home)).toEqual(before);
  }, 120_000);

  it('an rc file that cannot be written restores the ones already edited', async () => {
    freshHome();
    // fish's conf.d is a file, not a directory: the fish step fails after .zshrc and .bashrc were edited.
    h.write('.config/fish/conf.d', 'not a directory\n');
    const before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes', '--no-doctor']);
    expectCleanFailure(r, /^Error: cannot create ~\/.config\/fish\/conf.d; check the permissions/m);
    expect(r.stderr).toContain('restored ~/.bashrc');
    expect(readFileSync(join(h.home, '.zshrc'), 'utf8')).toBe(ZSHRC);
    expect(snapshot(h.home)).toEqual(before);
  }, 120_000);
});

describe('install.sh refusing before it changes anything', () => {
  it('a foreign file where the command link goes', async () => {
    freshHome();
    h.write('.local/bin/bedrock-profile', '#!/bin/sh\necho mine\n', 0o755);
    const before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes']);
    expectCleanFailure(
      r,
      /^Error: ~\/.local\/bin\/bedrock-profile exists and is not a link made by this installer; move it away/m,
    );
    expect(snapshot(h.home)).toEqual(before);
    expect(h.takeCalls()).toEqual([]);
  });

  it('an rc file with our begin marker but no end marker', async () => {
    freshHome();
    writeFileSync(join(h.home, '.bashrc'), `${BASHRC}# >>> bedrock-profile >>>\nsource something\n`);
    const before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes']);
    expectCleanFailure(
      r,
      /^Error: ~\/.bashrc has a '# >>> bedrock-profile >>>' line but no '# <<< bedrock-profile <<<' line/m,
    );
    expect(snapshot(h.home)).toEqual(before);
  });

  it('a prefix that exists and is not ours', async () => {
    freshHome();
    h.write('apps/tool/data.txt', 'precious\n');
    const before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes', '--prefix', join(h.home, 'apps/tool')]);
    expectCleanFailure(r, /^Error: ~\/apps\/tool exists and was not made by this installer/m);
    expect(snapshot(h.home)).toEqual(before);
  });

  it('piped to bash without a source says how to get one', async () => {
    freshHome();
    const before = snapshot(h.home);
    const script = readFileSync(join(source, 'install.sh'), 'utf8');
    const r = await run('bash', ['-s', '--', '--yes'], { env: h.env, input: script });
    expectCleanFailure(r, /piped to bash, so it has no source.*--source \/path\/to\/bedrock-profile/);
    expect(snapshot(h.home)).toEqual(before);
  });

  it('a Node.js older than 20.19 stops it with the fix; an AWS CLI v1 only warns', async () => {
    freshHome();
    const before = snapshot(h.home);
    // A node that reports an old version, first on PATH (install.sh asks `node -p process.versions.node`).
    h.write(join(h.root, 'old-node', 'node'), '#!/bin/sh\necho 20.18.3\n', 0o755);
    const r = await runInstallSh(source, h, ['--yes'], { PATH: `${join(h.root, 'old-node')}:${h.env.PATH}` });
    expectCleanFailure(
      r,
      /^Error: Node.js 20.18.3 is too old \(bedrock-profile needs >= 20.19\); install a newer Node.js/m,
    );
    expect(snapshot(h.home)).toEqual(before);
    // This machine's aws is v1 (botocore): the real install goes on, with a warning.
    h.write(
      join(h.root, 'aws1', 'aws'),
      '#!/bin/sh\necho "aws-cli/1.45.11 Python/3.11.7 Linux botocore/1.43.11"\n',
      0o755,
    );
    const ok = await runInstallSh(source, h, ['--yes', '--no-doctor', '--no-service', '--no-shell'], {
      PATH: `${join(h.root, 'aws1')}:${h.env.PATH}`,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(
      "Warning: AWS CLI v1 found (aws-cli/1.45.11 Python/3.11.7 Linux botocore/1.43.11): it cannot 'aws sso login'",
    );
  }, 120_000);

  it('an unknown option is a usage error (exit 2)', async () => {
    freshHome();
    const r = await runInstallSh(source, h, ['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('install.sh: unknown option: --frobnicate; see install.sh --help\n');
  });
});
