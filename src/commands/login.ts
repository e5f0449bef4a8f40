/**
 * `bedrock-profile login [--profile P] [--force | --renew]`: make the profile's credentials work, without a browser
 * when the silent refresh can do it. Also Claude Code's `awsAuthRefresh` command. Exit 0 only when the
 * credentials resolve afterwards.
 */
import type { Register } from './index.js';

export const registerLogin: Register = (program, ctx, setExit) => {
  program
    .command('login')
    .description(
      'sign in to the AWS SSO session of a profile: silent refresh first, "aws sso login" only when the session is over',
    )
    .option('--profile <name>', 'the AWS profile (default: the one Claude Code would use here)')
    .option('--force', 'run "aws sso login" even when the session can still be used or refreshed')
    .option(
      '--renew',
      'start a new SSO session now: end the current one (SSO Logout), then "aws sso login", so the session end moves (docs/session.md)',
    )
    .action(async (opts: { profile?: string; force?: boolean; renew?: boolean }) => {
      const { runLoginCommand } = await import('../daemon/session-commands.js');
      setExit(await runLoginCommand(ctx, opts));
    });
};
