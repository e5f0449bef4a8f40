/**
 * `bedrock-profile statusline`: Claude Code's `statusLine` command. The launcher runs it without
 * commander (`statuslineFast`); `statusline --help` and other forms come here.
 */
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { type Context, processContext } from '../context.js';
import type { Register } from './index.js';

/**
 * Claude Code's JSON, read synchronously (a stream costs more to set up than the rest of the line):
 * Claude Code writes it and closes the pipe. A terminal is not read (someone typing the command).
 */
function readStdinSync(): string {
  try {
    if (isatty(0)) return '';
    return readFileSync(0, 'utf8').slice(0, 1024 * 1024);
  } catch {
    return '';
  }
}

/** The launcher's fast path for the exact form `bedrock-profile statusline`. */
export async function statuslineFast(ctx: Context = processContext()): Promise<number> {
  const { runStatusline } = await import('../statusline/run-statusline.js');
  return runStatusline(ctx, readStdinSync());
}

export const registerStatusline: Register = (program, ctx, setExit) => {
  program
    .command('statusline')
    .description(
      "print one line for Claude Code's status bar (its statusLine command): profile, account, region, model when pinned, the SSO session's state",
    )
    .action(async () => {
      const { runStatusline } = await import('../statusline/run-statusline.js');
      setExit(await runStatusline(ctx, readStdinSync()));
    });
};
