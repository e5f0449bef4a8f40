/** One or two lines about the service state, for `service status` and after start/stop/restart. Pure. */
import type { ServiceStatus } from './service-status.js';

export function describeServiceStatus(s: ServiceStatus): string {
  const what =
    s.manager === 'launchd'
      ? 'LaunchAgent'
      : s.manager === 'autostart'
        ? 'XDG autostart entry'
        : 'systemd user unit';
  if (!s.installed) {
    const running = s.running
      ? `running${s.pid !== undefined ? ` (pid ${s.pid})` : ''}, but not as a service: it stops with its terminal`
      : 'not running';
    return `daemon: ${running}\nservice: not installed (no ${s.file}); run 'bedrock-profile install' to start it at login\n`;
  }
  const state = s.running
    ? `running${s.pid !== undefined ? ` (pid ${s.pid})` : ''}`
    : `not running (${s.state})`;
  // A LaunchAgent in ~/Library/LaunchAgents is loaded at every login; a systemd unit only when enabled.
  const start =
    s.manager === 'autostart'
      ? 'starts at graphical login (no systemd user session here)'
      : s.manager === 'launchd' || s.enabled
        ? 'starts at login'
        : "not enabled: run 'systemctl --user enable bedrock-profile.service'";
  return `daemon: ${state}\nservice: ${what} ${s.file}, ${start}\n`;
}
