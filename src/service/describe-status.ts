/** One or two lines about the service state, for `service status` and after start/stop/restart. Pure. */
import type { ServiceStatus } from './service-status.js';

export function describeServiceStatus(s: ServiceStatus): string {
  const what = s.manager === 'launchd' ? 'LaunchAgent' : 'systemd user unit';
  if (!s.installed) {
    return `daemon: not installed as a service (no ${s.file}); run 'bedrock-profile install' to install it\n`;
  }
  const state = s.running
    ? `running${s.pid !== undefined ? ` (pid ${s.pid})` : ''}`
    : `not running (${s.state})`;
  // A LaunchAgent in ~/Library/LaunchAgents is loaded at every login; a systemd unit only when enabled.
  const start =
    s.manager === 'launchd' || s.enabled
      ? 'starts at login'
      : "not enabled: run 'systemctl --user enable bedrock-profile.service'";
  return `daemon: ${state}\nservice: ${what} ${s.file}, ${start}\n`;
}
