/**
 * Claude Code's hook output format (JSON on stdout, exit 0): `systemMessage` is shown to the user;
 * `hookSpecificOutput.additionalContext` is added to Claude's context, for the events whose schema has
 * it (SessionStart here; CwdChanged's hook-specific output has only `watchPaths`, and StopFailure's
 * output is not read by Claude Code 2.1.335, checked in the binary). Nothing to say: no output at all.
 * Text is one line each, sanitised, never ANSI (Claude Code shows these as plain text).
 */
import { sanitizeLine } from '../core/sanitize.js';

export interface HookAnswer {
  /** For the user. */
  user?: string;
  /** For Claude (SessionStart only). */
  claude?: string;
}

export function formatHookOutput(
  event: 'SessionStart' | 'StopFailure' | 'CwdChanged',
  a: HookAnswer,
): string {
  const out: Record<string, unknown> = {};
  if (a.user) out.systemMessage = sanitizeLine(a.user);
  if (a.claude && event === 'SessionStart')
    out.hookSpecificOutput = { hookEventName: event, additionalContext: sanitizeLine(a.claude) };
  return Object.keys(out).length ? `${JSON.stringify(out)}\n` : '';
}
