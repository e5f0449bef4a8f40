/**
 * `bedrock-profile install [--no-service] [--no-shell] [--no-doctor] [--yes]`: (re)apply the link, the shell
 * rc blocks and the service from this installed copy (run from a clone: a full install, as ./install.sh).
 * install.sh does the work; see src/service/installer.ts.
 */
import type { Register } from './index.js';

export const registerInstall: Register = (program, ctx, setExit) => {
  program
    .command('install')
    .description(
      'add the shell hook to your rc files and install and start the daemon service (runs install.sh)',
    )
    .option('--no-service', 'do not install or start the service')
    .option('--no-shell', 'do not touch shell rc files')
    .option('--no-doctor', 'do not run doctor at the end')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (opts: { service: boolean; shell: boolean; doctor: boolean; yes?: boolean }) => {
      const { isInstalledPrefix, packageRoot, runInstallScript } = await import('../service/installer.js');
      const root = packageRoot();
      const args = isInstalledPrefix(root) ? ['--prefix', root] : [];
      if (!opts.service) args.push('--no-service');
      if (!opts.shell) args.push('--no-shell');
      if (!opts.doctor) args.push('--no-doctor');
      if (opts.yes) args.push('--yes');
      setExit(await runInstallScript(ctx, args, root));
    });
};
