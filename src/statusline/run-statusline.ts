/**
 * `bedrock-profile statusline`: one line for Claude Code's status bar. The environment it runs in is
 * Claude Code's own (its settings' `env` applied, as for hooks), so the profile, region and model in it
 * are the ones Claude Code's SDK uses. It reads files only, synchronously: the profile facts cache
 * (`facts-cache.ts`; the AWS config is parsed only when it changed), the SSO token cache file (expiry and
 * whether it can be refreshed; no secret is printed) and, once a refresh is due, the daemon's state file
 * (`session-files.ts`). No SDK client, no network.
 */
import { fstatSync, readFileSync, writeSync } from 'node:fs';
import type { Context } from '../context.js';
import { sanitizeLine } from '../core/sanitize.js';
import { EXPIRING_WINDOW_MS } from '../core/session-state.js';
import { sessionWords } from '../core/session-words.js';
import { bedrockExportProfile } from '../core/two-identities.js';
import { resolvePaths } from '../platform/paths.js';
import { awsCredentialExportAt } from './export-setting.js';
import { cachedProfileFacts } from './facts-cache.js';
import { colourWanted, renderStatusline, type StatuslineParts } from './render-statusline.js';
import { daemonRefreshing, readTokenFacts } from './session-files.js';
import { parseStatuslineInput } from './statusline-input.js';

/** What the line says when even the environment cannot be read (no HOME...). */
export const STATUSLINE_FALLBACK = 'bedrock-profile: status unavailable (run bedrock-profile doctor)';

const truthy = (v: string | undefined) =>
  v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

export async function statuslineParts(ctx: Context, stdinText: string): Promise<StatuslineParts> {
  const env = ctx.env;
  const input = parseStatuslineInput(stdinText);
  // Claude Code's order (docs/claude-code.md): AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1.
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const model = env.ANTHROPIC_MODEL ? (input.model ?? env.ANTHROPIC_MODEL) : undefined;
  const base = { region, ...(model ? { model } : {}) };
  if (!truthy(env.CLAUDE_CODE_USE_BEDROCK))
    return { identity: 'not on Bedrock (CLAUDE_CODE_USE_BEDROCK unset)' };
  if (env.AWS_BEARER_TOKEN_BEDROCK) return { identity: 'Bedrock API key', ...base };
  // Two identities: our awsCredentialExport signs Bedrock with another profile than the agent's.
  const agent = env.AWS_PROFILE || 'default';
  const bedrock = bedrockExportProfile(awsCredentialExportAt(env, input.projectDir ?? ctx.cwd), agent);
  // The JS SDK's chain: keys in the environment win unless AWS_PROFILE is set.
  if (!bedrock && env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE)
    return { identity: 'keys from AWS_ACCESS_KEY_ID', ...base };
  const profile = bedrock ?? agent;
  const paths = resolvePaths(env);
  const facts =
    cachedProfileFacts(paths, profile) ??
    (await (await import('./facts-cache.js')).profileFacts(paths, profile, env, ctx.now()));
  const name = sanitizeLine(profile).slice(0, 64);
  if (facts.kind === 'missing')
    return {
      identity: `${name} (no such profile)`,
      ...base,
      session: { text: 'run bedrock-profile doctor', tone: 'bad' },
    };
  if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION && facts.region) base.region = sanitizeLine(facts.region);
  const signs = facts.account ? `${name} ${facts.account}` : name;
  const identity = bedrock ? `Bedrock ${signs} · agent ${sanitizeLine(agent).slice(0, 64)}` : signs;
  if (!facts.tokenFile) return { identity, ...base };
  const now = ctx.now();
  const session = readTokenFacts(facts.tokenFile, now);
  // The daemon's plan only matters once a refresh is due; its state file is not read otherwise.
  if (session.refreshable && session.expiresAt !== undefined && session.expiresAt - now < EXPIRING_WINDOW_MS)
    session.daemonRefreshing = daemonRefreshing(
      paths.stateDir,
      paths.daemonStateFile,
      facts.sessionKey ?? '',
      now,
    );
  const words = sessionWords(session, now);
  return { identity, ...base, session: { text: words.text, tone: words.tone } };
}

export async function runStatusline(ctx: Context, stdinText: string): Promise<number> {
  let line: string;
  try {
    line = renderStatusline(await statuslineParts(ctx, stdinText), colourWanted(ctx.env));
  } catch {
    // The status bar is no place for a stack trace or a long error: doctor explains.
    line = STATUSLINE_FALLBACK;
  }
  ctx.stdout.write(`${line}\n`);
  return 0;
}

/**
 * Claude Code's JSON, read synchronously (a stream costs more to set up than the rest of the line):
 * Claude Code writes it and closes the pipe. A terminal (a character device: someone typing the
 * command) is not read. fstat rather than node:tty, which loads the net and stream modules.
 */
export function readStdinSync(): string {
  try {
    if (fstatSync(0).isCharacterDevice()) return '';
    return readFileSync(0, 'utf8').slice(0, 1024 * 1024);
  } catch {
    return '';
  }
}

/**
 * The launcher's fast path for the exact form `bedrock-profile statusline`: imported directly by
 * bin/bedrock-profile.js, so neither commander nor the command modules load (each module costs start-up).
 */
export async function statuslineFast(): Promise<number> {
  // Plain writes to fd 1/2: process.stdout would set up a stream (net/tty modules) for one line.
  const fd = (n: number) => ({ write: (t: string) => void writeSync(n, t), isTTY: false });
  const ctx: Context = {
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
    stdout: fd(1),
    stderr: fd(2),
  };
  return runStatusline(ctx, readStdinSync());
}
