/**
 * Names and places of the daemon's service, shared with install.sh (which writes the files): the launchd
 * label and LaunchAgent plist on macOS, the systemd user unit on Linux. Pure: paths from the env passed in.
 */
import { join } from 'node:path';
import type { Env } from '../context.js';
import { BedrockProfileError, ExitCode } from '../errors.js';

/** Reverse-DNS label of the LaunchAgent (also the plist's file name). */
export const LAUNCHD_LABEL = 'dev.bedrock-profile.daemon';
export const SYSTEMD_UNIT = 'bedrock-profile.service';

/** `autostart`: an XDG autostart entry, where no systemd user session answers (install.sh writes it). */
export type ServiceManager = 'launchd' | 'systemd' | 'autostart';

/** The XDG autostart entry install.sh writes without a systemd user session. */
export function autostartFile(env: Env): string {
  const home = env.HOME ?? '/';
  const configHome = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(configHome, 'autostart', 'bedrock-profile.desktop');
}

export interface ServiceDefinition {
  manager: ServiceManager;
  /** The plist or unit file install.sh writes. */
  file: string;
  /** launchd: `gui/<uid>/<label>`; systemd: the unit name. */
  target: string;
}

/**
 * The platform whose service manager we drive: process.platform, or BEDROCK_PROFILE_PLATFORM (tests only:
 * it runs the macOS path on Linux against a launchctl stand-in).
 */
export function servicePlatform(env: Env, platform: string = process.platform): 'darwin' | 'linux' {
  const forced = env.BEDROCK_PROFILE_PLATFORM;
  const p = forced === 'darwin' || forced === 'linux' ? forced : platform;
  if (p === 'darwin' || p === 'linux') return p;
  throw new BedrockProfileError(
    `there is no service manager support on ${p}; run 'bedrock-profile daemon' yourself (macOS and Linux are supported)`,
    ExitCode.failure,
  );
}

export function serviceDefinition(env: Env, platform: 'darwin' | 'linux', uid: number): ServiceDefinition {
  const home = env.HOME;
  if (!home) {
    throw new BedrockProfileError(
      'HOME is not set; set HOME to your home directory and run the command again',
      ExitCode.io,
    );
  }
  if (platform === 'darwin') {
    return {
      manager: 'launchd',
      file: join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`),
      target: `gui/${uid}/${LAUNCHD_LABEL}`,
    };
  }
  const configHome = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return {
    manager: 'systemd',
    file: join(configHome, 'systemd', 'user', SYSTEMD_UNIT),
    target: SYSTEMD_UNIT,
  };
}
