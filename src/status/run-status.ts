/** The status command's body: gather, then print JSON or the human form. */
import type { Context } from '../context.js';
import { userShell } from '../core/shell-syntax.js';
import { ExitCode } from '../errors.js';
import { resolvePaths } from '../platform/paths.js';
import { gatherStatus } from './gather-status.js';
import { renderStatus } from './render-status.js';

/** NO_COLOR (no-color.org): present and not empty disables colour. */
export function useColor(ctx: Context): boolean {
  return ctx.stdout.isTTY && !ctx.env.NO_COLOR;
}

export async function runStatus(ctx: Context, opts: { json: boolean }): Promise<number> {
  const report = await gatherStatus(ctx);
  if (opts.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else
    ctx.stdout.write(
      renderStatus(report, {
        color: useColor(ctx),
        home: resolvePaths(ctx.env).home,
        shell: userShell(ctx.env),
      }),
    );
  return ExitCode.ok;
}
