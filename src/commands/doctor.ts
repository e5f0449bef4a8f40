/**
 * `bedrock-profile doctor [--json] [--live] [--invoke]`: the Bedrock setup guide and its troubleshooting
 * table as checks. The implementation (src/doctor/) is imported lazily; the AWS SDK only with --live.
 */
import type { Register } from './index.js';

export const registerDoctor: Register = (program, ctx, setExit) => {
  program
    .command('doctor')
    .description('check the Claude Code + Bedrock setup here; every failure comes with its fix')
    .option('--json', 'print a stable JSON document instead (see README: doctor --json)')
    .option('--live', 'also ask AWS: STS GetCallerIdentity and Bedrock ListInferenceProfiles')
    .option('--invoke', 'with --live (implied): send one tiny test message through Bedrock Runtime')
    .action(async (opts: { json?: boolean; live?: boolean; invoke?: boolean }) => {
      const { runDoctor } = await import('../doctor/run-doctor.js');
      setExit(
        await runDoctor(ctx, {
          json: Boolean(opts.json),
          live: Boolean(opts.live),
          invoke: Boolean(opts.invoke),
        }),
      );
    });
};
