/**
 * `claude-hook session-start`: before Claude Code's first request. A session with less than
 * `refreshBefore` left is refreshed silently (the refresh `refresh` and the daemon use, two short
 * attempts at most, never a browser). Then, in one line each for the user (systemMessage) and Claude
 * (additionalContext), with the fix: a session that has ended, one that ends within the hour and cannot
 * be refreshed (or whose refresh failed), and stray variables that change the account.
 */
import { DEFAULT_CONFIG, loadConfig } from '../config/config.js';
import { durationWords } from '../core/duration-words.js';
import { sanitizeLine } from '../core/sanitize.js';
import { clockTime } from '../core/session-words.js';
import { signInCommand } from '../core/sign-in-command.js';
import { refreshSession, type SessionRefresh } from '../daemon/refresh-session.js';
import { claudeCredentials, sessionOf } from './claude-session.js';
import type { HookDeps } from './hook-deps.js';
import type { HookInput } from './hook-input.js';
import type { HookAnswer } from './hook-output.js';
import { strayNote } from './stray-note.js';

const HOUR = 3_600_000;

export async function sessionStart(input: HookInput, d: HookDeps): Promise<HookAnswer> {
  const config = await loadConfig(d.paths.configFile).catch(() => DEFAULT_CONFIG);
  const projectDir = d.env.CLAUDE_PROJECT_DIR || input.cwd;
  const [cred, stray] = await Promise.all([
    claudeCredentials(d.env, d.paths, d.now()),
    projectDir ? strayNote(d.env, d.paths, projectDir).catch(() => undefined) : undefined,
  ]);
  const users: string[] = [];
  const claudes: string[] = [];
  if (stray) {
    users.push(stray.user);
    claudes.push(stray.claude);
  }
  if (cred.source === 'profile' && cred.facts.tokenFile && cred.state) {
    const p = sanitizeLine(cred.profile);
    const st = cred.state;
    let refresh: SessionRefresh | undefined;
    if (st.refreshable && (st.msLeft ?? 0) < config.refreshBeforeMs) {
      refresh = await refreshSession(sessionOf(cred.facts), {
        env: d.env,
        paths: d.paths,
        now: d.now,
        deadlines: d.refreshDeadlines,
      });
      if (refresh.outcome === 'refreshed' || refresh.outcome === 'kept-newer') return answer(users, claudes);
    }
    const now = d.now();
    const login = signInCommand(cred.profile);
    if (st.status === 'missing' || st.status === 'invalid' || (st.msLeft ?? 0) <= 0) {
      const why =
        st.status === 'missing'
          ? 'is signed out'
          : st.status === 'invalid'
            ? 'has an unusable token cache'
            : 'has ended';
      users.push(
        `bedrock-profile: the AWS SSO session of profile ${p} ${why}, so Claude Code's Bedrock requests will fail; run "${login}" in a terminal, then send your message again`,
      );
      claudes.push(
        `The AWS SSO session of profile ${p} (Claude Code's Bedrock credentials) ${why}: requests will fail with an authentication error until the user runs "${login}" in a terminal. Say so if a request fails.`,
      );
    } else if (
      st.msLeft !== undefined &&
      st.msLeft < HOUR &&
      st.expiresAt !== undefined &&
      // A refreshable session not due yet is the daemon's (and the SDK's) to refresh: nothing to say.
      (!st.refreshable || (refresh !== undefined && refresh.outcome !== 'skipped'))
    ) {
      const at = `${clockTime(st.expiresAt)} (in ${durationWords(st.expiresAt - now)})`;
      const failed = refresh?.outcome === 'failed' ? refresh : undefined;
      const rejected = refresh?.outcome === 'rejected' ? refresh : undefined;
      const why = rejected
        ? `AWS refused to refresh it (${rejected.reason})`
        : failed
          ? `refreshing it failed (${sanitizeLine(failed.detail).slice(0, 120)})`
          : 'it cannot be refreshed';
      const fix = failed
        ? `check the network, then run "bedrock-profile refresh --profile ${p}"`
        : `run "${login} --force" in a terminal to start a new one now`;
      users.push(`bedrock-profile: the AWS SSO session of profile ${p} ends at ${at} and ${why}; ${fix}`);
      claudes.push(
        `The AWS SSO session of profile ${p} (Claude Code's Bedrock credentials) ends at ${at} and ${why}; after that requests fail until the user signs in again. Mention it before long tasks; the fix: ${fix}.`,
      );
    }
  }
  return answer(users, claudes);
}

function answer(users: string[], claudes: string[]): HookAnswer {
  const a: HookAnswer = {};
  if (users.length) a.user = users.join(' · ');
  if (claudes.length) a.claude = claudes.join(' ');
  return a;
}
