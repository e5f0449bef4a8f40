/**
 * `claude-hook cwd-changed`: the agent moved into another directory. Claude Code keeps the credentials
 * it started with (its Bash tool keeps the session's environment), so when Claude Code started in the
 * new directory would sign in with another profile or account, the user is told, once per launch context
 * (the directory whose settings apply there) per Claude Code session. Remembered in
 * `<stateDir>/claude-sessions/<session id>`, one context per line; files untouched for a day are removed.
 */
import { promises as fsp } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import type { Env } from '../context.js';
import { claudeProcessEnv } from '../core/effective-profile.js';
import { sanitizeLine } from '../core/sanitize.js';
import { findLaunchContext } from '../hook/launch-context.js';
import type { Paths } from '../platform/paths.js';
import { profileFacts } from '../statusline/facts-cache.js';
import type { HookDeps } from './hook-deps.js';
import type { HookInput } from './hook-input.js';
import type { HookAnswer } from './hook-output.js';
import { shellPart } from './stray-note.js';

const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;
const DAY = 86_400_000;

/** "profile dev (account 111122223333)", "a Bedrock API key", ... for an environment Claude Code runs in. */
async function identityOf(env: Env, paths: Paths, now: number): Promise<{ label: string; key: string }> {
  if (env.AWS_BEARER_TOKEN_BEDROCK) return { label: 'a Bedrock API key', key: 'api-key' };
  if (env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE)
    return { label: 'the AWS_ACCESS_KEY_ID keys', key: 'env-keys' };
  const profile = env.AWS_PROFILE || 'default';
  const facts = await profileFacts(paths, profile, env, now).catch(() => undefined);
  const account = facts?.account;
  return {
    label: `profile '${sanitizeLine(profile)}'${account ? ` (account ${account})` : ''}`,
    key: `profile ${profile} ${account ?? ''}`,
  };
}

async function alreadySaid(file: string, dir: string, now: number): Promise<boolean> {
  const text = await fsp.readFile(file, 'utf8').catch(() => '');
  if (text.split('\n').includes(encodeURIComponent(dir))) return true;
  await fsp.mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await fsp.appendFile(file, `${encodeURIComponent(dir)}\n`, { mode: 0o600 });
  // Sessions end without telling us: forget the ones untouched for a day.
  for (const name of await fsp.readdir(join(file, '..')).catch(() => [] as string[])) {
    const f = join(file, '..', name);
    const st = await fsp.stat(f).catch(() => undefined);
    if (st?.isFile() && now - st.mtimeMs > DAY) await fsp.rm(f, { force: true });
  }
  return false;
}

export async function cwdChanged(input: HookInput, d: HookDeps): Promise<HookAnswer> {
  const target = input.newCwd;
  if (!target || !isAbsolute(target)) return {};
  const projectDir = d.env.CLAUDE_PROJECT_DIR || input.oldCwd || input.cwd;
  if (!projectDir) return {};
  const now = d.now();
  const [hereSettings, thereSettings] = await Promise.all([
    resolveClaudeSettings({ cwd: projectDir, env: d.env, paths: d.paths }),
    resolveClaudeSettings({ cwd: target, env: d.env, paths: d.paths }),
  ]);
  const shell = shellPart(d.env, hereSettings);
  const thereEnv = claudeProcessEnv(thereSettings.env, shell);
  const [here, there] = await Promise.all([
    identityOf(d.env, d.paths, now),
    identityOf(thereEnv, d.paths, now),
  ]);
  if (here.key === there.key) return {};
  const context = (await findLaunchContext(target, d.paths.home))?.dir ?? target;
  if (input.sessionId && SESSION_ID.test(input.sessionId)) {
    const file = join(d.paths.stateDir, 'claude-sessions', input.sessionId);
    if (await alreadySaid(file, context, now)) return {};
  }
  return {
    user: `bedrock-profile: Claude Code started in ${sanitizeLine(context)} would sign in with ${there.label}; this session keeps ${here.label}, and so do its Bash commands; to work there as ${there.label}, start Claude Code in that directory`,
  };
}
