/**
 * `bedrock-profile statusline`: Claude Code's `statusLine` command. The launcher runs the exact form
 * without commander (`statuslineFast` in src/statusline/run-statusline.ts); `--help` and the rest come here.
 */
import type { Register } from './index.js';

export const registerStatusline: Register = (program, ctx, setExit) => {
  program
    .command('statusline')
    .description(
      "print one line for Claude Code's status bar (its statusLine command): profile, account, region, model when pinned, the SSO session's state",
    )
    .action(async () => {
      const { readStdinSync, runStatusline } = await import('../statusline/run-statusline.js');
      setExit(await runStatusline(ctx, readStdinSync()));
    });
};
