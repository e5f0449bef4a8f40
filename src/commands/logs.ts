/** `bedrock-profile logs [-f] [-n N] [--json]`: the daemon's log, readable. */
import type { Register } from './index.js';

export const registerLogs: Register = (program, ctx, setExit) => {
  program
    .command('logs')
    .description("show the daemon's log (readable; secrets are never written to it)")
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('-n, --lines <n>', 'how many of the last lines to show', '50')
    .option('--json', 'print the JSON lines as they are stored')
    .action(async (opts: { follow?: boolean; lines: string; json?: boolean }) => {
      const { runLogsCommand } = await import('../log/logs-command.js');
      setExit(await runLogsCommand(ctx, opts));
    });
};
