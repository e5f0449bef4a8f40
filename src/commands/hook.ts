/**
 * `bedrock-profile hook <zsh|bash|fish>`: print the shell hook for `eval "$(bedrock-profile hook zsh)"`
 * (fish: `bedrock-profile hook fish | source`). The files in shell/ are shipped as they are and can be
 * sourced directly; printed, they are preceded by BEDROCK_PROFILE_BIN set to this binary's absolute path,
 * so the hook runs the same installation that printed it.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { quoteWord } from '../core/shell-quote.js';
import type { Register } from './index.js';

export const SHELLS = ['zsh', 'bash', 'fish'] as const;
export type ShellName = (typeof SHELLS)[number];

export async function runHook(ctx: Context, shell: string): Promise<number> {
  const { UsageError } = await import('../errors.js');
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`unknown shell ${JSON.stringify(shell)}; use one of ${SHELLS.join(', ')}`);
  }
  const name = shell as ShellName;
  const root = new URL('../../', import.meta.url);
  const text = await readFile(new URL(`shell/hook.${name}`, root), 'utf8');
  // The binary that is running now (not an inherited BEDROCK_PROFILE_BIN, which may name an old install).
  const bin = fileURLToPath(new URL('bin/bedrock-profile.js', root));
  const assign =
    name === 'fish'
      ? `set -g BEDROCK_PROFILE_BIN ${quoteWord(bin, name)}`
      : `BEDROCK_PROFILE_BIN=${quoteWord(bin, name)}`;
  ctx.stdout.write(`${assign}\n${text}`);
  return 0;
}

export const registerHook: Register = (program: Command, ctx: Context, setExit) => {
  program
    .command('hook')
    .description(
      'print the shell hook: eval "$(bedrock-profile hook zsh)", or bedrock-profile hook fish | source',
    )
    .argument('<shell>', 'zsh, bash or fish')
    .action(async (shell: string) => {
      setExit(await runHook(ctx, shell));
    });
};
