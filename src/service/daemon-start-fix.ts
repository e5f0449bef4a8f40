/**
 * The one fix for "the daemon is not running", the same in doctor, `logs` and `service`: with a service
 * (systemd unit, LaunchAgent or XDG autostart entry) installed, `bedrock-profile service start`; without
 * one, `bedrock-profile install`, which installs the platform's service or, where no systemd user session
 * answers, the desktop's autostart entry, and starts the daemon now. Reads only whether the files exist.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../context.js';
import { autostartFile, LAUNCHD_LABEL, SYSTEMD_UNIT } from './service-definition.js';

export function serviceInstalled(env: Env, platform: string = process.platform): boolean {
  const home = env.HOME;
  if (!home) return false;
  const forced = env.BEDROCK_PROFILE_PLATFORM;
  const p = forced === 'darwin' || forced === 'linux' ? forced : platform;
  if (p === 'darwin') return existsSync(join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`));
  const configHome = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return existsSync(join(configHome, 'systemd', 'user', SYSTEMD_UNIT)) || existsSync(autostartFile(env));
}

export function daemonStartFix(env: Env, platform?: string): string {
  return serviceInstalled(env, platform) ? 'bedrock-profile service start' : 'bedrock-profile install';
}
