/**
 * `claude-hook stop-failure`: a turn ended on an API error. Only a credential failure is ours:
 * `authentication_failed` (Bedrock answered 401/403, e.g. ExpiredTokenException) or
 * `cloud_credential_error` (Claude Code's SDK could not load AWS credentials), the values Claude Code
 * 2.1.335 sends in `error`. Then: a refreshable session is refreshed silently; one that is over (no
 * token, refresh rejected, not refreshable and expired) gets the sign-in `login` runs, started in the
 * background under its per-session lock (so several sessions open one browser tab). Any other failure:
 * nothing. Claude Code does not read this event's output (2.1.335), so the answer is also what the
 * status line shows next; the systemMessage is written for versions that show it.
 */

import { sanitizeLine } from '../core/sanitize.js';
import { clockTime } from '../core/session-words.js';
import { signInCommand } from '../core/sign-in-command.js';
import { refreshSession } from '../daemon/refresh-session.js';
import { claudeCredentials, sessionOf } from './claude-session.js';
import type { HookDeps } from './hook-deps.js';
import type { HookInput } from './hook-input.js';
import type { HookAnswer } from './hook-output.js';

export const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'authentication_failed',
  'cloud_credential_error',
]);

export async function stopFailure(input: HookInput, d: HookDeps): Promise<HookAnswer> {
  if (!input.error || !CREDENTIAL_ERRORS.has(input.error)) return {};
  const cred = await claudeCredentials(d.env, d.paths, d.now());
  if (cred.source !== 'profile' || !cred.facts.tokenFile || !cred.state) return {};
  const p = sanitizeLine(cred.profile);
  const st = cred.state;
  const signIn = (why: string): HookAnswer => {
    d.startLogin(cred.profile);
    return {
      user: `bedrock-profile: ${why}; started "${signInCommand(p)}" (it opens the browser sign-in): finish it there, then send your message again`,
    };
  };
  if (st.refreshable) {
    const r = await refreshSession(sessionOf(cred.facts), {
      env: d.env,
      paths: d.paths,
      now: d.now,
      deadlines: d.refreshDeadlines,
    });
    if (r.outcome === 'refreshed' || r.outcome === 'kept-newer')
      return {
        user: `bedrock-profile: refreshed the AWS SSO session of profile ${p} (valid until ${clockTime(r.expiresAt)}); send your message again`,
      };
    if (r.outcome === 'failed')
      return {
        user: `bedrock-profile: could not reach AWS SSO to refresh profile ${p} (${sanitizeLine(r.detail).slice(0, 120)}); check the network, then run "bedrock-profile refresh --profile ${p}"`,
      };
    if (r.outcome === 'rejected') return signIn(`AWS ended the SSO session of profile ${p} (${r.reason})`);
    return signIn(`the SSO session of profile ${p} cannot be refreshed`);
  }
  if (st.status === 'missing' || st.status === 'invalid') return signIn(`profile ${p} is signed out`);
  if ((st.msLeft ?? 0) <= 0) return signIn(`the SSO session of profile ${p} has ended`);
  // The session is fine: the failure is something else (permissions, another account's keys...).
  return {
    user: `bedrock-profile: the AWS SSO session of profile ${p} is valid until ${clockTime(st.expiresAt ?? 0)}, so this failure is not an ended sign-in; run "bedrock-profile doctor --live" to see what Bedrock refuses`,
  };
}
