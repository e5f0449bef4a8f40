/**
 * The `daemon` command's body: wires the process signals to the daemon's stop signal, so library code
 * never exits the process and the command returns when stopped.
 */

import type { Context } from '../context.js';
import { resolvePaths } from '../platform/paths.js';
import { runDaemon } from './daemon.js';
import { untilStopped } from './stop-signal.js';

export async function runDaemonCommand(ctx: Context, opts: { once: boolean }): Promise<number> {
  const paths = resolvePaths(ctx.env);
  return untilStopped(async (signal) => {
    const tick = Number(ctx.env.BEDROCK_PROFILE_TICK_MS);
    await runDaemon({
      env: ctx.env,
      paths,
      now: () => ctx.now(),
      once: opts.once,
      signal,
      ...(Number.isFinite(tick) && tick >= 50 ? { tickMs: tick } : {}),
      // In a terminal, show the log as it happens; under launchd/systemd the log file is enough.
      ...(ctx.stderr.isTTY ? { mirror: ctx.stderr } : {}),
    });
    // Stopped and cleaned up (lock released, state written): a child process or socket that still holds
    // the event loop (a notifier that never returns) must not keep a stopped daemon alive.
    if (!opts.once) setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
    return 0;
  });
}
