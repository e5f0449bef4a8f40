/**
 * The pure parts of `bedrock-profile service`: reading `launchctl print` and `systemctl --user show`,
 * choosing the platform, where the service files live, and what `service status` says.
 */
import { describe, expect, it } from 'vitest';
import { describeServiceStatus } from '../../src/service/describe-status.js';
import { serviceDefinition, servicePlatform } from '../../src/service/service-definition.js';
import {
  launchdStatus,
  parseLaunchctlPrint,
  parseSystemctlShow,
  systemdStatus,
} from '../../src/service/service-status.js';
import { runMain } from '../support/run-cli.js';
import { makeTempHome } from '../support/temp-home.js';
import { STANDIN_BIN } from './install-harness.js';

// The shape of macOS's `launchctl print gui/501/<label>` output (nested blocks are indented deeper).
const PRINT_RUNNING = `gui/501/dev.bedrock-profile.daemon = {
\tactive count = 1
\tpath = /Users/me/Library/LaunchAgents/dev.bedrock-profile.daemon.plist
\ttype = LaunchAgent
\tstate = running

\tprogram = /opt/homebrew/bin/node
\targuments = {
\t\t/opt/homebrew/bin/node
\t\t/Users/me/.local/share/bedrock-profile/bin/bedrock-profile.js
\t\tdaemon
\t}

\tenvironment = {
\t\tPATH => /opt/homebrew/bin:/usr/bin:/bin
\t\tstate = decoy
\t}

\tdomain = gui/501 [100005]
\truns = 3
\tpid = 81234
\timmediate reason = speculative
\tlast exit code = (never exited)
}
`;

describe('parsing the service managers', () => {
  it('launchctl print: top-level state, pid and last exit code only', () => {
    expect(parseLaunchctlPrint(PRINT_RUNNING)).toEqual({
      state: 'running',
      pid: 81234,
      lastExitCode: '(never exited)',
    });
    const stopped = PRINT_RUNNING.replace('state = running', 'state = not running')
      .replace('\tpid = 81234\n', '')
      .replace('(never exited)', '1');
    const s = launchdStatus(parseLaunchctlPrint(stopped), '/p.plist', true);
    expect(s).toEqual({
      manager: 'launchd',
      installed: true,
      loaded: true,
      running: false,
      enabled: true,
      state: 'not running',
      file: '/p.plist',
    });
    expect(launchdStatus(undefined, '/p.plist', true)).toMatchObject({
      loaded: false,
      running: false,
      state: 'not loaded',
    });
  });

  it('systemctl show: key=value lines', () => {
    const show = parseSystemctlShow(
      'LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=4242\nUnitFileState=enabled\n',
    );
    expect(systemdStatus(show, '/u.service', true)).toEqual({
      manager: 'systemd',
      installed: true,
      loaded: true,
      running: true,
      enabled: true,
      pid: 4242,
      state: 'running',
      file: '/u.service',
    });
    const failed = parseSystemctlShow(
      'LoadState=loaded\nActiveState=failed\nSubState=failed\nMainPID=0\nUnitFileState=enabled',
    );
    expect(systemdStatus(failed, '/u.service', true)).toMatchObject({ running: false, state: 'failed' });
    expect(systemdStatus(failed, '/u.service', true)).not.toHaveProperty('pid');
  });
});

describe('platform and files', () => {
  it('BEDROCK_PROFILE_PLATFORM (tests only) picks the manager; other systems are refused with the fix', () => {
    expect(servicePlatform({ BEDROCK_PROFILE_PLATFORM: 'darwin' }, 'linux')).toBe('darwin');
    expect(servicePlatform({}, 'linux')).toBe('linux');
    expect(() => servicePlatform({}, 'win32')).toThrow(
      /no service manager support on win32; run 'bedrock-profile daemon'/,
    );
  });

  it('the LaunchAgent in ~/Library/LaunchAgents, the unit under $XDG_CONFIG_HOME/systemd/user', () => {
    expect(serviceDefinition({ HOME: '/h' }, 'darwin', 501)).toEqual({
      manager: 'launchd',
      file: '/h/Library/LaunchAgents/dev.bedrock-profile.daemon.plist',
      target: 'gui/501/dev.bedrock-profile.daemon',
    });
    expect(serviceDefinition({ HOME: '/h', XDG_CONFIG_HOME: '/x' }, 'linux', 1).file).toBe(
      '/x/systemd/user/bedrock-profile.service',
    );
    expect(serviceDefinition({ HOME: '/h', XDG_CONFIG_HOME: 'rel' }, 'linux', 1).file).toBe(
      '/h/.config/systemd/user/bedrock-profile.service',
    );
  });

  it('status wording', () => {
    expect(describeServiceStatus(launchdStatus(parseLaunchctlPrint(PRINT_RUNNING), '/p.plist', true))).toBe(
      'daemon: running (pid 81234)\nservice: LaunchAgent /p.plist, starts at login\n',
    );
    const disabled = systemdStatus(
      parseSystemctlShow('LoadState=loaded\nActiveState=inactive\nUnitFileState=disabled'),
      '/u',
      true,
    );
    expect(describeServiceStatus(disabled)).toBe(
      "daemon: not running (inactive)\nservice: systemd user unit /u, not enabled: run 'systemctl --user enable bedrock-profile.service'\n",
    );
  });
});

describe('bedrock-profile service without an installed service', () => {
  it('start says how to install it (exit 1); uninstall from a clone says how to uninstall', async () => {
    const th = makeTempHome();
    try {
      const env = { ...th.env, BEDROCK_PROFILE_PLATFORM: 'linux' };
      const r = await runMain(['service', 'start'], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `bedrock-profile: the daemon's service is not installed (no ${th.home}/.config/systemd/user/bedrock-profile.service); run 'bedrock-profile install' to install it and start the daemon\n`,
      );
      // The same fix everywhere: logs and doctor.
      const logs = await runMain(['logs'], { env });
      expect(logs.stderr).toMatch(/\(the daemon writes it\); start the daemon: bedrock-profile install\n$/);
      const doctor = JSON.parse((await runMain(['doctor', '--json'], { env })).stdout);
      expect(doctor.checks.find((c: { id: string }) => c.id === 'daemon').fix).toBe(
        'bedrock-profile install',
      );
      // No systemd user session and nothing installed: `service status` says so, not a raw D-Bus error.
      const st = await runMain(['service', 'status'], {
        env: {
          ...env,
          PATH: `${STANDIN_BIN}:${process.env.PATH}`,
          SERVICE_STANDIN_NOBUS: '1',
          SERVICE_STANDIN_LOG: `${th.root}/s.log`,
        },
      });
      expect(st).toMatchObject({
        code: 1,
        stdout: `daemon: not running\nservice: not installed (no ${th.home}/.config/systemd/user/bedrock-profile.service); run 'bedrock-profile install' to start it at login\n`,
        stderr: '',
      });
      const u = await runMain(['uninstall', '--yes'], { env });
      expect(u.code).toBe(1);
      expect(u.stderr).toMatch(
        /which install.sh did not install \(no install receipt\); to remove an installed copy run \.\/install\.sh --uninstall/,
      );
    } finally {
      th.cleanup();
    }
  });
});
