/**
 * `bedrock-profile resolve` as the shell hooks call it, without commander and the other command
 * registrars (about a third of a first visit's start-up). Only the exact argument forms the hooks use
 * are taken here: `resolve [--owned] [--quiet] [--changed] [--said=NAMES] -- DIR`; anything else returns undefined and the launcher
 * runs the full CLI, so `resolve --help`, a typo or no `--` behave as before. The work is runResolve,
 * the same function the commander registrar calls.
 */
import { type Context, processContext } from '../context.js';
import { reportError } from '../report-error.js';
import { type ResolveOptions, runResolve } from './resolve.js';

/** The hooks' argv after `resolve`, or undefined when it is any other form. */
export function parseHookResolveArgs(
  args: readonly string[],
): { dir: string; opts: ResolveOptions } | undefined {
  const opts: ResolveOptions = {};
  let i = 0;
  for (; i < args.length && args[i] !== '--'; i++) {
    if (args[i] === '--owned' && !opts.owned) opts.owned = true;
    else if (args[i] === '--quiet' && !opts.quiet) opts.quiet = true;
    else if (args[i] === '--changed' && !opts.changed) opts.changed = true;
    else if (args[i]!.startsWith('--said=') && opts.said === undefined) opts.said = args[i]!.slice(7);
    else return undefined;
  }
  const dir = args[i + 1];
  if (args[i] !== '--' || dir === undefined || args.length !== i + 2) return undefined;
  return { dir, opts };
}

/** The exit code, or undefined when the arguments are not the hooks' form (run the full CLI). */
export async function resolveFast(
  args: readonly string[],
  ctx: Context = processContext(),
): Promise<number | undefined> {
  const parsed = parseHookResolveArgs(args);
  if (!parsed) return undefined;
  try {
    return await runResolve(ctx, parsed.dir, parsed.opts);
  } catch (err) {
    return reportError(err, ctx);
  }
}
