/** `bedrock-profile refresh [--profile P]`: refresh the profile's SSO session now, silently. */
import type { Register } from './index.js';

export const registerRefresh: Register = (program, ctx, setExit) => {
  program
    .command('refresh')
    .description('refresh the SSO session of a profile now, without a browser')
    .option('--profile <name>', 'the AWS profile (default: the one Claude Code would use here)')
    .action(async (opts: { profile?: string }) => {
      const { runRefreshCommand } = await import('../daemon/session-commands.js');
      setExit(await runRefreshCommand(ctx, opts));
    });
};
