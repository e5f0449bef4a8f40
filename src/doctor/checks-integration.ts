/**
 * The Claude Code integration (`init --claude-integration`): present, pointing at an existing
 * bedrock-profile, not shadowed by another settings file's statusLine, not switched off by
 * disableAllHooks. Optional, so its problems are warnings, except a command that no longer exists (every
 * hook then fails in Claude Code).
 */
import { type CheckResult, fail, pass, warn } from './check.js';
import { shown, tilde } from './describe.js';
import type { DoctorFacts } from './facts.js';

const INSTALL = 'bedrock-profile init --claude-integration';
/** A status line of the user's with ours after it: both read the same JSON on stdin. */
const COMBINE =
  'input=$(cat); printf \'%s · %s\\n\' "$(printf \'%s\' "$input" | YOUR-COMMAND)" "$(printf \'%s\' "$input" | bedrock-profile statusline)"';

export function checkClaudeIntegration(f: DoctorFacts): CheckResult {
  const id = 'claude-integration';
  const title = 'Claude Code integration';
  const i = f.integration;
  if (!i) return warn(id, title, 'could not be checked');
  const home = f.shellEnv.HOME;
  if (!i.statusLine && !i.userStatusLine && i.hooks.length === 0)
    return warn(id, title, 'not installed: no status line, no refresh before the first request', INSTALL);
  if (i.command && !i.commandFound)
    return fail(
      id,
      title,
      `the statusLine and hooks run ${shown(i.command)}, which does not exist (moved or uninstalled): every hook fails`,
      `${INSTALL}   (rewrites them for this bedrock-profile)`,
    );
  if (i.disabledBy.length)
    return warn(
      id,
      title,
      `disableAllHooks is true in ${i.disabledBy.map((x) => tilde(x, home)).join(', ')}: Claude Code runs neither our hooks nor the status line`,
      `remove "disableAllHooks" from ${tilde(i.disabledBy[0]!, home)}`,
    );
  const missing = 3 - i.hooks.length;
  if (missing > 0)
    return warn(
      id,
      title,
      `${missing} of our 3 hooks are missing from ${tilde(f.claudeUserSettings, home)}`,
      INSTALL,
    );
  if (i.shadowedBy.length)
    return warn(
      id,
      title,
      `the statusLine in ${tilde(i.shadowedBy[0]!, home)} replaces ours when Claude Code starts here`,
      `combine them in that file's statusLine command: ${COMBINE}`,
    );
  if (i.userStatusLine)
    return warn(
      id,
      title,
      'hooks installed; your own statusLine is kept, so the status bar does not show the AWS session',
      `put ours next to yours in its command: ${COMBINE}   (or replace it: ${INSTALL} --force)`,
    );
  return pass(id, title, `status line and hooks installed (${shown(i.command ?? '')})`);
}
