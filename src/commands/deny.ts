/** `bedrock-profile deny [dir]`: withdraw trust, and stop the "how to trust it" line for this profile. */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Register } from './index.js';

export const registerDeny: Register = (program: Command, ctx: Context, setExit) => {
  program
    .command('deny')
    .description("do not switch to this repo's AWS_PROFILE, and stop asking until the profile changes")
    .argument('[dir]', 'a directory in the repo (default: the current directory)')
    .action(async (dir: string | undefined) => {
      const { runTrustChange } = await import('./allow.js');
      setExit(await runTrustChange(ctx, dir, 'deny'));
    });
};
