/**
 * install.sh on the macOS path, run here with BEDROCK_PROFILE_PLATFORM=darwin and the launchctl stand-in:
 * the LaunchAgent plist (parsed as a property list), the launchctl calls for a first install, an unchanged
 * re-run, a new version and a changed plist, `bedrock-profile service ...`, and an uninstall without trace.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'plist';
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
const uid = process.getuid?.() ?? 0;
const LABEL = 'dev.bedrock-profile.daemon';
const target = `gui/${uid}/${LABEL}`;
const plistFile = () => join(h.home, 'Library', 'LaunchAgents', `${LABEL}.plist`);
const nodePath = execFileSync('bash', ['-c', 'command -v node'], { encoding: 'utf8' }).trim();
const awsPath = execFileSync('bash', ['-c', 'command -v aws || true'], { encoding: 'utf8' }).trim();

/** Python's plistlib is a strict XML parser (the npm parser forgives unescaped '&'): both must accept it. */
function strictPlistCheck(file: string): unknown {
  const out = execFileSync(
    'python3',
    ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))))', file],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out);
}

beforeAll(() => {
  source = makeReleaseSource();
  h = makeInstallHome({ BEDROCK_PROFILE_PLATFORM: 'darwin' });
  h.write('.zshrc', 'export LANG=en_US.UTF-8\n');
}, 120_000);
afterAll(() => {
  h.cleanup();
  rmSync(source, { recursive: true, force: true });
});

describe('install.sh on macOS (LaunchAgent)', () => {
  let before: Record<string, string>;

  it('writes a valid LaunchAgent plist with absolute paths and bootstraps it into the gui domain', async () => {
    before = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes', '--no-doctor']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('==> Installing the LaunchAgent dev.bedrock-profile.daemon');
    const text = readFileSync(plistFile(), 'utf8');
    const doc = parse(text) as Record<string, unknown>;
    expect(strictPlistCheck(plistFile())).toEqual(doc);
    const logDir = join(h.home, 'Library', 'Logs', 'bedrock-profile');
    expect(doc).toMatchObject({
      Label: LABEL,
      ProgramArguments: [nodePath, join(h.prefix, 'bin', 'bedrock-profile.js'), 'daemon'],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: 'Background',
      StandardOutPath: join(logDir, 'launchd.stdout.log'),
      StandardErrorPath: join(logDir, 'launchd.stderr.log'),
    });
    const env = doc.EnvironmentVariables as Record<string, string>;
    const pathDirs = env.PATH!.split(':');
    expect(pathDirs).toContain(dirname(nodePath));
    if (awsPath) expect(pathDirs).toContain(dirname(awsPath));
    expect(pathDirs).toEqual(expect.arrayContaining(['/usr/bin', '/bin']));
    // launchd does not create the log directory; the installer does.
    expect(existsSync(logDir)).toBe(true);
    expect(h.takeCalls()).toEqual([
      `launchctl print ${target}`,
      `launchctl enable ${target}`,
      `launchctl bootstrap gui/${uid} ${plistFile()}`,
    ]);
  }, 120_000);

  it('re-run unchanged: only asks whether the agent is loaded', async () => {
    const snap = snapshot(h.home);
    const r = await runInstallSh(source, h, ['--yes', '--no-doctor']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('already installed and loaded');
    expect(snapshot(h.home)).toEqual(snap);
    expect(h.takeCalls()).toEqual([`launchctl print ${target}`]);
  }, 120_000);

  it('a new version restarts the loaded agent (kickstart -k); a changed plist is booted out and in again', async () => {
    appendFileSync(join(source, 'README.md'), '\nA new version.\n');
    let r = await runInstallSh(source, h, ['--yes', '--no-doctor']);
    expect(r.code, r.stderr).toBe(0);
    expect(h.takeCalls()).toEqual([`launchctl print ${target}`, `launchctl kickstart -k ${target}`]);
    // The daemon must read the same files as the shell: AWS_CONFIG_FILE set at install goes into the plist.
    const awsConfig = join(h.home, 'aws & co', 'config');
    r = await runInstallSh(source, h, ['--yes', '--no-doctor'], { AWS_CONFIG_FILE: awsConfig });
    expect(r.code, r.stderr).toBe(0);
    expect(h.takeCalls()).toEqual([
      `launchctl print ${target}`,
      `launchctl bootout ${target}`,
      `launchctl enable ${target}`,
      `launchctl bootstrap gui/${uid} ${plistFile()}`,
    ]);
    const doc = strictPlistCheck(plistFile()) as { EnvironmentVariables: Record<string, string> };
    expect(doc.EnvironmentVariables.AWS_CONFIG_FILE).toBe(awsConfig);
  }, 120_000);

  it('bedrock-profile service status|stop|start|restart drive launchctl', async () => {
    const cli = (args: string[]) => run(h.link, args, { env: h.env });
    let r = await cli(['service', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `daemon: running (pid 4242)\nservice: LaunchAgent ${plistFile()}, starts at login\n`,
    );
    r = await cli(['service', 'stop']);
    expect(r.stdout).toContain('daemon: not running (not loaded)');
    expect(r.code).toBe(0);
    expect((await cli(['service', 'status'])).code).toBe(1);
    expect((await cli(['service', 'start'])).code).toBe(0);
    expect((await cli(['service', 'restart'])).code).toBe(0);
    expect(h.takeCalls()).toEqual([
      `launchctl print ${target}`,
      `launchctl print ${target}`,
      `launchctl bootout ${target}`,
      `launchctl print ${target}`,
      `launchctl print ${target}`,
      `launchctl print ${target}`,
      `launchctl enable ${target}`,
      `launchctl bootstrap gui/${uid} ${plistFile()}`,
      `launchctl print ${target}`,
      `launchctl print ${target}`,
      `launchctl kickstart -k ${target}`,
      `launchctl print ${target}`,
    ]);
  }, 60_000);

  it('uninstall boots the agent out and removes every trace', async () => {
    const r = await runInstallSh(source, h, ['--uninstall', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(h.takeCalls()).toEqual([`launchctl print ${target}`, `launchctl bootout ${target}`]);
    expect(snapshot(h.home)).toEqual(before);
  }, 60_000);
});
