/**
 * `bedrock-profile status [--json]`: which AWS identity Claude Code and the aws CLI use here, and why.
 * Reports problems, does not fail on them: exit 0 unless the input is unusable (no HOME: 4; a working
 * directory that does not exist: 4). The implementation is imported lazily to keep start-up fast.
 */
import type { Register } from './index.js';

export const registerStatus: Register = (program, ctx, setExit) => {
  program
    .command('status')
    .description('show the AWS profile, region, SSO session and stray variables Claude Code would use here')
    .option('--json', 'print a stable JSON document instead (see README: status --json)')
    .action(async (opts: { json?: boolean }) => {
      const { runStatus } = await import('../status/run-status.js');
      setExit(await runStatus(ctx, { json: Boolean(opts.json) }));
    });
};
