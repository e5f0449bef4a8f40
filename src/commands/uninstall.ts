/**
 * `bedrock-profile uninstall [--purge] [--yes]`: stop and remove the service, the shell rc blocks, the
 * command link and the prefix; config, trust list, state and logs stay unless --purge. Runs the installed
 * install.sh --uninstall (one implementation, which also works without Node.js), after taking our
 * statusLine and hooks out of Claude Code's user settings (`init --claude-integration --remove`).
 */
import type { Register } from './index.js';

export const registerUninstall: Register = (program, ctx, setExit) => {
  program
    .command('uninstall')
    .description(
      'remove bedrock-profile: service, shell rc blocks, command and program (keeps your settings)',
    )
    .option('--purge', 'also delete your bedrock-profile config, trust list, state and logs')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (opts: { purge?: boolean; yes?: boolean }) => {
      const { isInstalledPrefix, packageRoot, runInstallScript } = await import('../service/installer.js');
      const { BedrockProfileError, ExitCode } = await import('../errors.js');
      const root = packageRoot();
      if (!isInstalledPrefix(root)) {
        throw new BedrockProfileError(
          `this bedrock-profile runs from ${root}, which install.sh did not install (no install receipt); to remove an installed copy run ./install.sh --uninstall [--prefix DIR] from a clone`,
          ExitCode.failure,
        );
      }
      // install.sh cannot edit JSON byte for byte: our Claude Code statusLine and hooks go first.
      const { removeClaudeIntegration } = await import('../claude-integration/claude-integration.js');
      await removeClaudeIntegration(ctx, { quiet: true }).catch((err: Error) =>
        ctx.stderr.write(`warning: the Claude Code integration was not removed: ${err.message}\n`),
      );
      const args = ['--uninstall', '--prefix', root];
      if (opts.purge) args.push('--purge');
      if (opts.yes) args.push('--yes');
      setExit(await runInstallScript(ctx, args, root));
    });
};
