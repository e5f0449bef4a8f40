/**
 * `bedrock-profile migrate [PROFILE...] [--dry-run]`: turn legacy SSO profiles (a fixed session, no
 * refresh token) into the sso-session form, which the daemon keeps alive. No profile named: every
 * legacy profile in the AWS config file. --dry-run prints the unified diff and changes nothing.
 */
import type { Register } from './index.js';

export const registerMigrate: Register = (program, ctx, setExit) => {
  program
    .command('migrate')
    .description(
      'rewrite legacy SSO profiles in ~/.aws/config to an [sso-session] (refreshable), keeping every other byte; a backup goes to the state directory',
    )
    .argument('[profiles...]', 'the legacy profiles to migrate (default: all of them)')
    .option('--dry-run', 'print the unified diff and change nothing')
    .action(async (profiles: string[], opts: { dryRun?: boolean }) => {
      const { runMigrate } = await import('./migrate-run.js');
      setExit(await runMigrate(ctx, profiles, Boolean(opts.dryRun)));
    });
};
