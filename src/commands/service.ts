/**
 * `bedrock-profile service start|stop|restart|status [--json]`: drive the daemon's LaunchAgent (macOS) or
 * systemd user unit (Linux) that install.sh installed. `status` exits 0 when the daemon runs, 1 otherwise.
 */
import type { Register } from './index.js';

export const registerService: Register = (program, ctx, setExit) => {
  const service = program
    .command('service')
    .description(
      "start, stop, restart or show the daemon's service (launchd on macOS, systemd --user on Linux)",
    );
  for (const action of ['start', 'stop', 'restart'] as const) {
    service
      .command(action)
      .description(
        action === 'stop'
          ? 'stop the daemon until the next login (it stays installed)'
          : `${action} the daemon's service`,
      )
      .action(async () => {
        const { controlService } = await import('../service/service-control.js');
        const { describeServiceStatus } = await import('../service/describe-status.js');
        const status = await controlService(ctx.env, action);
        ctx.stdout.write(describeServiceStatus(status));
        setExit(action === 'stop' ? (status.running ? 1 : 0) : status.running ? 0 : 1);
      });
  }
  service
    .command('status')
    .description('is the daemon running, and is it installed to start at login (exit 1 when not running)')
    .option(
      '--json',
      'print the state as JSON: manager, installed, loaded, running, enabled, pid, state, file',
    )
    .action(async (opts: { json?: boolean }) => {
      const { serviceStatus } = await import('../service/service-control.js');
      const { describeServiceStatus } = await import('../service/describe-status.js');
      const status = await serviceStatus(ctx.env);
      ctx.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : describeServiceStatus(status));
      setExit(status.running ? 0 : 1);
    });
};
