/**
 * `bedrock-profile claude-hook <session-start|stop-failure|cwd-changed>`: the Claude Code hooks that
 * `init --claude-integration` installs. Reads the hook's JSON on stdin, answers in Claude Code's hook
 * output format on stdout (nothing when there is nothing to say) and exits 0, so a hook never blocks
 * Claude Code. A typed error becomes a systemMessage (it ends with the fix); anything else goes to the
 * CLI's catch (Claude Code shows a failed hook).
 */
import type { Context } from '../context.js';
import type { Register } from './index.js';

export const CLAUDE_HOOK_EVENTS = {
  'session-start': 'SessionStart',
  'stop-failure': 'StopFailure',
  'cwd-changed': 'CwdChanged',
} as const;
export type ClaudeHookName = keyof typeof CLAUDE_HOOK_EVENTS;

export async function runClaudeHook(
  ctx: Context,
  name: string,
  stdinText: string,
  launcher: readonly string[],
): Promise<number> {
  const { UsageError, BedrockProfileError } = await import('../errors.js');
  if (!Object.hasOwn(CLAUDE_HOOK_EVENTS, name))
    throw new UsageError(
      `unknown hook ${JSON.stringify(name)}; use one of ${Object.keys(CLAUDE_HOOK_EVENTS).join(', ')}`,
    );
  const event = CLAUDE_HOOK_EVENTS[name as ClaudeHookName];
  const [{ resolvePaths }, { parseHookInput }, { formatHookOutput }, { HOOK_REFRESH_DEADLINES }] =
    await Promise.all([
      import('../platform/paths.js'),
      import('../claude-hook/hook-input.js'),
      import('../claude-hook/hook-output.js'),
      import('../claude-hook/hook-deps.js'),
    ]);
  const input = parseHookInput(stdinText);
  let answer: import('../claude-hook/hook-output.js').HookAnswer;
  try {
    const deps = {
      env: ctx.env,
      paths: resolvePaths(ctx.env),
      now: () => ctx.now(),
      refreshDeadlines: HOOK_REFRESH_DEADLINES,
      startLogin: (profile: string) => startLogin(ctx, launcher, profile),
    };
    if (event === 'SessionStart')
      answer = await (await import('../claude-hook/session-start.js')).sessionStart(input, deps);
    else if (event === 'StopFailure')
      answer = await (await import('../claude-hook/stop-failure.js')).stopFailure(input, deps);
    else answer = await (await import('../claude-hook/cwd-changed.js')).cwdChanged(input, deps);
  } catch (err) {
    if (!(err instanceof BedrockProfileError)) throw err;
    answer = { user: `bedrock-profile: ${err.message}` };
  }
  ctx.stdout.write(formatHookOutput(event, answer));
  return 0;
}

/** `bedrock-profile login --profile P`, detached: it outlives the hook and takes the sign-in lock itself. */
async function startLogin(ctx: Context, launcher: readonly string[], profile: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const [cmd, ...args] = launcher;
  if (!cmd) return;
  const child = spawn(cmd, [...args, 'login', '--profile', profile], {
    env: ctx.env as NodeJS.ProcessEnv,
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  child.unref();
}

export const registerClaudeHook: Register = (program, ctx, setExit) => {
  program
    .command('claude-hook')
    .description(
      'the Claude Code hooks installed by `init --claude-integration`: refresh before the first request, recover after an auth failure, warn when the agent changes repo',
    )
    .argument('<event>', Object.keys(CLAUDE_HOOK_EVENTS).join(' | '))
    .action(async (name: string) => {
      const { readStdin } = await import('../fs/read-stdin.js');
      const text = await readStdin(process.stdin);
      setExit(await runClaudeHook(ctx, name, text, [process.execPath, process.argv[1] ?? '']));
    });
};

/** The launcher's fast path for `claude-hook <event>` (Claude Code waits for session-start). */
export async function claudeHookFast(name: string): Promise<number> {
  const [{ processContext }, { reportError }, { readStdin }] = await Promise.all([
    import('../context.js'),
    import('../report-error.js'),
    import('../fs/read-stdin.js'),
  ]);
  const ctx = processContext();
  try {
    return await runClaudeHook(ctx, name, await readStdin(process.stdin), [
      process.execPath,
      process.argv[1] ?? '',
    ]);
  } catch (err) {
    return reportError(err, ctx);
  }
}
