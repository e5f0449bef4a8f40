/**
 * The daemon's service state, parsed from what the service managers print. Pure: text in, state out.
 * `launchctl print gui/<uid>/<label>` prints `state = running` and `pid = N` lines (one tab in);
 * `systemctl --user show <unit>` prints `Key=Value` lines.
 */
import type { ServiceManager } from './service-definition.js';

export interface ServiceStatus {
  manager: ServiceManager;
  /** The plist or unit file exists. */
  installed: boolean;
  /** launchd: bootstrapped into the gui domain; systemd: the unit is known to the user manager. */
  loaded: boolean;
  running: boolean;
  /** systemd: enabled to start at login; launchd: RunAtLoad makes a loaded agent start at login. */
  enabled: boolean;
  pid?: number;
  /** The manager's own word for the state (`running`, `inactive`, `failed`...). */
  state: string;
  file: string;
}

export interface LaunchctlPrint {
  state?: string;
  pid?: number;
  lastExitCode?: string;
}

/** Top-level `key = value` lines of `launchctl print` (nested blocks are indented deeper and ignored). */
export function parseLaunchctlPrint(text: string): LaunchctlPrint {
  const out: LaunchctlPrint = {};
  for (const line of text.split('\n')) {
    const m = /^\t([a-z ]+?) = (.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'state') out.state = value.trim();
    else if (key === 'pid' && /^\d+$/.test(value.trim())) out.pid = Number(value.trim());
    else if (key === 'last exit code') out.lastExitCode = value.trim();
  }
  return out;
}

export function parseSystemctlShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

export function systemdStatus(show: Record<string, string>, file: string, installed: boolean): ServiceStatus {
  const pid = Number(show.MainPID ?? '0');
  const active = show.ActiveState ?? 'unknown';
  return {
    manager: 'systemd',
    installed,
    loaded: show.LoadState === 'loaded',
    running: active === 'active' || active === 'reloading',
    enabled: show.UnitFileState === 'enabled',
    ...(pid > 0 ? { pid } : {}),
    state: active === 'active' && show.SubState ? show.SubState : active,
    file,
  };
}

export function launchdStatus(
  print: LaunchctlPrint | undefined,
  file: string,
  installed: boolean,
): ServiceStatus {
  const state = print ? (print.state ?? 'unknown') : 'not loaded';
  return {
    manager: 'launchd',
    installed,
    loaded: print !== undefined,
    running: state === 'running',
    enabled: print !== undefined,
    ...(print?.pid !== undefined ? { pid: print.pid } : {}),
    state,
    file,
  };
}
