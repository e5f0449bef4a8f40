/**
 * bedrock-profile's own moving parts: the daemon that keeps SSO sessions refreshed, and the shell hook
 * that switches AWS_PROFILE per repo. Missing ones are warnings: Claude Code works without them.
 */
import { type CheckResult, pass, warn } from './check.js';
import { shown, tilde } from './describe.js';

/** The variable the hook exports (see gather.ts). */
const HOOK_MARKER_NAME = 'BEDROCK_PROFILE_HOOK';

import type { DoctorFacts } from './facts.js';

export function checkDaemon(f: DoctorFacts): CheckResult {
  const id = 'daemon';
  const title = 'daemon';
  if (f.daemon.running) return pass(id, title, `running (pid ${f.daemon.pid})`);
  const why = f.daemon.error ? ` (${shown(f.daemon.error)})` : '';
  return warn(
    id,
    title,
    `not running${why}: SSO sessions are not refreshed ahead of time, no notification before one ends`,
    f.daemon.startFix ?? 'bedrock-profile install',
  );
}

export function checkHook(f: DoctorFacts): CheckResult {
  const id = 'hook';
  const title = 'shell hook';
  if (f.hook.active) return pass(id, title, `active${f.hook.shell ? ` (${shown(f.hook.shell)})` : ''}`);
  const shell = f.hook.shell ?? /(zsh|bash|fish)$/.exec(f.shellEnv.SHELL ?? '')?.[1] ?? 'zsh';
  if (f.hook.installedIn) {
    return warn(
      id,
      title,
      `loaded by ${tilde(f.hook.installedIn, f.shellEnv.HOME)}, but not seen in this shell (no ${HOOK_MARKER_NAME} exported)`,
      'open a new shell; if this persists, run `bedrock-profile install` again',
    );
  }
  const rc = shell === 'fish' ? '~/.config/fish/config.fish' : `~/.${shell}rc`;
  const line =
    shell === 'fish' ? 'bedrock-profile hook fish | source' : `eval "$(bedrock-profile hook ${shell})"`;
  return warn(
    id,
    title,
    'not active in this shell: AWS_PROFILE is not switched per repo, stray variables are not flagged',
    `add \`${line}\` to ${rc} (or run bedrock-profile install), then open a new shell`,
  );
}
