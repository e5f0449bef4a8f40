/**
 * `bedrock-profile daemon [--once]`: run the daemon in the foreground (what launchd and systemd start), or
 * one full pass for scripts and tests. SIGTERM and SIGINT stop it cleanly (exit 0); a second instance
 * exits 5 and says where the first runs.
 */
import type { Register } from './index.js';

export const registerDaemon: Register = (program, ctx, setExit) => {
  program
    .command('daemon')
    .description(
      'keep the SSO sessions in use refreshed and notify before one ends (foreground; the service runs this)',
    )
    .option('--once', 'one full pass (refresh what is due, notify what is due), then exit')
    .action(async (opts: { once?: boolean }) => {
      const { runDaemonCommand } = await import('../daemon/daemon-command.js');
      setExit(await runDaemonCommand(ctx, { once: Boolean(opts.once) }));
    });
};
