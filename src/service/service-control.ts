/**
 * `service start|stop|restart|status` against the platform's service manager: launchctl (gui domain) on
 * macOS, `systemctl --user` on Linux, or, where install.sh found no systemd user session and wrote an XDG
 * autostart entry, the daemon process itself (its pid lock: started detached, stopped with SIGTERM). The
 * service files themselves are written by install.sh; these only drive what is installed. `stop` lasts
 * until the next login (the service stays installed and enabled).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Env } from '../context.js';
import { readDaemonState } from '../daemon/daemon-state.js';
import { BedrockProfileError, ExitCode } from '../errors.js';
import { resolvePaths } from '../platform/paths.js';
import { daemonStartFix } from './daemon-start-fix.js';
import { runTool, toolComplaint } from './run-tool.js';
import {
  autostartFile,
  type ServiceDefinition,
  SYSTEMD_UNIT,
  serviceDefinition,
  servicePlatform,
} from './service-definition.js';
import {
  launchdStatus,
  parseLaunchctlPrint,
  parseSystemctlShow,
  type ServiceStatus,
  systemdStatus,
} from './service-status.js';

export type ServiceAction = 'start' | 'stop' | 'restart';

export function currentDefinition(env: Env, uid: number = process.getuid?.() ?? 0): ServiceDefinition {
  const def = serviceDefinition(env, servicePlatform(env), uid);
  // No unit, but the autostart entry install.sh writes when no systemd user session answers.
  if (def.manager === 'systemd' && !existsSync(def.file) && existsSync(autostartFile(env))) {
    return { manager: 'autostart', file: autostartFile(env), target: 'bedrock-profile daemon' };
  }
  return def;
}

/** The daemon as its pid lock tells it (the autostart entry has no manager to ask). */
async function daemonProcess(env: Env): Promise<{ running: boolean; pid?: number }> {
  const st = await readDaemonState(resolvePaths(env));
  return st.running && st.pid !== undefined ? { running: true, pid: st.pid } : { running: false };
}

async function autostartStatus(env: Env, def: ServiceDefinition, installed: boolean): Promise<ServiceStatus> {
  const d = await daemonProcess(env);
  return {
    manager: 'autostart',
    installed,
    loaded: installed,
    running: d.running,
    enabled: installed,
    ...(d.pid !== undefined ? { pid: d.pid } : {}),
    state: d.running ? 'running' : 'not running',
    file: def.file,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll the lock until the daemon runs (or stops); 10 s, the same patience as install.sh. */
async function waitFor(env: Env, running: boolean): Promise<void> {
  for (let i = 0; i < 100 && (await daemonProcess(env)).running !== running; i++) await sleep(100);
}

/** Start or stop the daemon the autostart entry starts at login. */
async function controlAutostart(env: Env, action: ServiceAction): Promise<void> {
  const d = await daemonProcess(env);
  if ((action === 'stop' || action === 'restart') && d.pid !== undefined) {
    process.kill(d.pid, 'SIGTERM');
    await waitFor(env, false);
  }
  if (action === 'stop' || (action === 'start' && d.running)) return;
  const launcher = fileURLToPath(new URL('../../bin/bedrock-profile.js', import.meta.url));
  const child = spawn(process.execPath, [launcher, 'daemon'], {
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: 'ignore',
    cwd: '/',
  });
  child.unref();
  await waitFor(env, true);
}

export async function serviceStatus(
  env: Env,
  def: ServiceDefinition = currentDefinition(env),
): Promise<ServiceStatus> {
  const installed = existsSync(def.file);
  if (def.manager === 'autostart') return autostartStatus(env, def, installed);
  if (def.manager === 'launchd') {
    const r = await runTool('launchctl', ['print', def.target], env);
    return launchdStatus(r.code === 0 ? parseLaunchctlPrint(r.stdout) : undefined, def.file, installed);
  }
  const r = await runTool(
    'systemctl',
    ['--user', 'show', SYSTEMD_UNIT, '--property=LoadState,ActiveState,SubState,MainPID,UnitFileState'],
    env,
  );
  if (r.code !== 0) {
    // No systemd user session and no unit: nothing is installed, whatever D-Bus says.
    if (!installed) return { ...(await autostartStatus(env, def, false)), manager: 'systemd' };
    throw new BedrockProfileError(
      `${def.file} is installed, but no systemd user session answers (systemctl --user: ${toolComplaint(r)}); run 'bedrock-profile install' again: without a user session it sets up the desktop's autostart instead`,
      ExitCode.failure,
    );
  }
  return systemdStatus(parseSystemctlShow(r.stdout), def.file, installed);
}

async function must(tool: string, args: string[], env: Env): Promise<void> {
  const r = await runTool(tool, args, env);
  if (r.code !== 0) {
    throw new BedrockProfileError(
      `${tool} ${args.join(' ')} failed: ${toolComplaint(r)}; see 'bedrock-profile service status' and the daemon log ('bedrock-profile logs')`,
      ExitCode.failure,
    );
  }
}

export async function controlService(
  env: Env,
  action: ServiceAction,
  def: ServiceDefinition = currentDefinition(env),
): Promise<ServiceStatus> {
  if (!existsSync(def.file)) {
    throw new BedrockProfileError(
      `the daemon's service is not installed (no ${def.file}); run '${daemonStartFix(env)}' to install it and start the daemon`,
      ExitCode.failure,
    );
  }
  if (def.manager === 'autostart') {
    await controlAutostart(env, action);
  } else if (def.manager === 'launchd') {
    const loaded = (await runTool('launchctl', ['print', def.target], env)).code === 0;
    const domain = def.target.slice(0, def.target.lastIndexOf('/'));
    if (action === 'stop') {
      if (loaded) await must('launchctl', ['bootout', def.target], env);
    } else if (!loaded) {
      // A `launchctl disable` left behind would make bootstrap fail; enable is a no-op otherwise.
      await runTool('launchctl', ['enable', def.target], env);
      await must('launchctl', ['bootstrap', domain, def.file], env);
    } else {
      await must(
        'launchctl',
        action === 'restart' ? ['kickstart', '-k', def.target] : ['kickstart', def.target],
        env,
      );
    }
  } else {
    await must('systemctl', ['--user', action, SYSTEMD_UNIT], env);
  }
  return serviceStatus(env, def);
}
