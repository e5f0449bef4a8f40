/**
 * `service start|stop|restart|status` against the platform's service manager: launchctl (gui domain) on
 * macOS, `systemctl --user` on Linux. The service files themselves are written by install.sh; these only
 * drive what is installed. `stop` lasts until the next login (the service stays installed and enabled).
 */
import { existsSync } from 'node:fs';
import type { Env } from '../context.js';
import { BedrockProfileError, ExitCode } from '../errors.js';
import { runTool, toolComplaint } from './run-tool.js';
import {
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
  return serviceDefinition(env, servicePlatform(env), uid);
}

export async function serviceStatus(
  env: Env,
  def: ServiceDefinition = currentDefinition(env),
): Promise<ServiceStatus> {
  const installed = existsSync(def.file);
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
    throw new BedrockProfileError(
      `systemctl --user show ${SYSTEMD_UNIT} failed: ${toolComplaint(r)}; is there a systemd user session (loginctl enable-linger $USER)?`,
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
      `the daemon's service is not installed (no ${def.file}); run 'bedrock-profile install' (or ./install.sh) to install it`,
      ExitCode.failure,
    );
  }
  if (def.manager === 'launchd') {
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
