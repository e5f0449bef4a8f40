/** What every Claude Code hook handler runs against (passed down from src/commands/claude-hook.ts). */
import type { Deadlines } from '../aws/deadline-handler.js';
import type { Env } from '../context.js';
import type { ShellSyntax } from '../core/export-format.js';
import { shellFix } from '../core/shell-syntax.js';
import type { Paths } from '../platform/paths.js';

export interface HookDeps {
  /** Claude Code's environment, as the hook process inherits it. */
  env: Env;
  paths: Paths;
  now: () => number;
  /** The refresh's network deadlines: short, so a refresh never holds Claude Code up for long. */
  refreshDeadlines: Deadlines;
  /** Start `bedrock-profile login --profile P` in the background (stop-failure's sign-in). */
  startLogin: (profile: string) => void;
}

/** Short, bounded: Claude Code waits for SessionStart hooks before its first request. */
export const HOOK_REFRESH_DEADLINES: Deadlines = { connectMs: 1_000, firstByteMs: 2_000, totalMs: 2_000 };

/** `unset A B` in the user's shell (fish has no `unset`): the one translation, src/core/shell-syntax.ts. */
export function unsetFix(names: readonly string[], shell: ShellSyntax): string {
  return shellFix(`unset ${names.join(' ')}`, shell);
}
