/**
 * `bedrock-profile export [--profile P] [--format process|env|claude] [--yes]`: print a profile's
 * credentials for Claude Code's `awsCredentialExport`, a `credential_process` or the shell. See
 * docs/two-identities.md.
 */
import type { Register } from './index.js';

export const registerExport: Register = (program, ctx, setExit) => {
  program
    .command('export')
    .description(
      "print a profile's AWS credentials (a secret) for Claude Code's awsCredentialExport, a credential_process or your shell",
    )
    .option('--profile <name>', 'the AWS profile (default: the one Claude Code signs Bedrock with here)')
    .option(
      '--format <format>',
      'process (aws configure export-credentials, the default), claude ({"Credentials": ...}) or env (shell lines)',
    )
    .option('--shell <shell>', 'for --format env: sh, bash, zsh or fish (default: the shell you are in)')
    .option('--yes', 'print the credentials even though stdout is a terminal')
    .action(async (opts: { profile?: string; format?: string; shell?: string; yes?: boolean }) => {
      const { runExportCommand } = await import('../daemon/export-command.js');
      setExit(await runExportCommand(ctx, opts));
    });
};
