/**
 * `bedrock-profile claude-hook <event>` as Claude Code runs it: the built CLI as a process, the hook's
 * JSON on stdin (the fields Claude Code 2.1.335 sends), Claude Code's environment (settings' env applied),
 * the fake AWS for SSO-OIDC and the recording `aws` v2 stand-in for the sign-in.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { parseRfc3339 } from '../../src/core/rfc3339.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, type IssuedSsoToken, startFakeAws } from '../support/fake-aws.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const MIN = 60_000;
const AWS_V2_BIN = join(REPO_ROOT, 'test', 'support', 'bin-aws-v2');

let fake: FakeAws;
let t: TempHome;
let work: string;
beforeEach(async () => {
  fake = await startFakeAws();
  t = makeTempHome('bp-claude-hook-');
  work = t.mkdir('src/app');
  t.mkdir('src/app/.git');
  writeAwsConfig(
    t,
    '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n' +
      '[profile prod]\nsso_session = corp\nsso_account_id = 222233334444\nsso_role_name = Admin\n\n' +
      `[sso-session corp]\nsso_start_url = ${fake.url}/start\nsso_region = us-east-1\n`,
  );
  t.write('.claude/settings.json', {
    env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' },
  });
});
afterEach(async () => {
  await fake.close();
  t.cleanup();
});

function session(ttlMs: number, refreshable = true): IssuedSsoToken {
  const tok = fake.issueToken({ ttlSeconds: Math.max(1, Math.round(ttlMs / 1000)) });
  const expiresAt = Date.now() + ttlMs;
  fake.seedAccessToken(tok.accessToken, expiresAt);
  const fields = refreshable ? { ...tok, expiresAt } : { accessToken: tok.accessToken, expiresAt };
  writeSsoCache(t, 'corp', { ...fields, region: 'us-east-1', startUrl: `${fake.url}/start` });
  return { ...tok, expiresAt };
}

const cacheFile = () => tokenCacheFile(join(t.home, '.aws/sso/cache'), 'corp');
const cachedExpiry = () => parseRfc3339(JSON.parse(readFileSync(cacheFile(), 'utf8')).expiresAt)!;

/** Claude Code's environment for a session started in `work` (what the hook process inherits). */
function claudeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...t.env,
    ...fake.endpointEnv(),
    PATH: `${AWS_V2_BIN}:${t.env.PATH}`,
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: 'dev',
    CLAUDE_PROJECT_DIR: work,
    ...extra,
  };
}

interface HookJson {
  systemMessage?: string;
  hookSpecificOutput: { hookEventName: string; additionalContext: string };
}

async function hook(event: string, input: object | string, env = claudeEnv()) {
  const r = await runCli(['claude-hook', event], {
    env,
    cwd: work,
    input: typeof input === 'string' ? input : JSON.stringify(input),
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  // No token of the cache (before or after a refresh) ever reaches Claude Code.
  if (existsSync(cacheFile())) {
    const cached = JSON.parse(readFileSync(cacheFile(), 'utf8')) as Record<string, string>;
    for (const k of ['accessToken', 'refreshToken', 'clientSecret'])
      if (cached[k]) expect(r.stdout).not.toContain(cached[k]!.slice(0, 16));
  }
  return { raw: r.stdout, out: r.stdout ? (JSON.parse(r.stdout) as HookJson) : undefined };
}

const common = { session_id: 'd4b669fd-795a-4ae7-a085-b961e9cafda8', transcript_path: '/x.jsonl', cwd: '' };
const start = () => ({ ...common, cwd: work, hook_event_name: 'SessionStart', source: 'startup' });
const failure = (error: string) => ({
  ...common,
  cwd: work,
  hook_event_name: 'StopFailure',
  error,
  last_assistant_message:
    'AWS authentication failed · refresh your AWS credentials ... API Error: 403 The security token included in the request is expired',
});

describe('claude-hook session-start', () => {
  it('refreshes a session with less than refreshBefore left, silently, before anything else', async () => {
    session(2 * MIN);
    const { raw } = await hook('session-start', start());
    expect(raw).toBe('');
    expect(fake.requests.map((r) => `${r.operation} ${r.grantType ?? ''}`.trim())).toEqual([
      'CreateToken refresh_token',
    ]);
    expect(cachedExpiry()).toBeGreaterThan(Date.now() + 50 * MIN);
  });

  it('a refreshable session not due yet (under an hour, over refreshBefore): silent, left to the daemon', async () => {
    t.write('.config/bedrock-profile/config.json', { refreshBefore: '5m' });
    session(30 * MIN);
    const { raw } = await hook('session-start', start());
    expect(raw).toBe('');
    expect(fake.requests).toEqual([]);
  });

  it('leaves a session with time to spare alone', async () => {
    session(3 * 60 * MIN);
    const { raw } = await hook('session-start', start());
    expect(raw).toBe('');
    expect(fake.requests).toEqual([]);
  });

  it('an ended session: one line for the user and one for Claude, with the fix', async () => {
    const tok = session(-MIN);
    fake.revokeRefreshToken(tok.refreshToken);
    const { out } = await hook('session-start', start());
    expect(out!.systemMessage).toBe(
      'bedrock-profile: the AWS SSO session of profile dev has ended, so Claude Code\'s Bedrock requests will fail; run "bedrock-profile login --profile dev" in a terminal, then send your message again',
    );
    expect(out!.hookSpecificOutput).toEqual({
      hookEventName: 'SessionStart',
      additionalContext: expect.stringContaining('until the user runs "bedrock-profile login --profile dev"'),
    });
    expect(fake.requestsOf('sso-oidc', 'CreateToken').map((r) => r.error)).toEqual(['InvalidGrantException']);
  });

  it('no token at all: signed out; a session ending within the hour that cannot be refreshed: when, and the fix', async () => {
    const { out } = await hook('session-start', start());
    expect(out!.systemMessage).toMatch(
      /profile dev is signed out, .* run "bedrock-profile login --profile dev"/,
    );
    session(40 * MIN + 30_000, false);
    const second = await hook('session-start', start());
    expect(second.out!.systemMessage).toMatch(
      /^bedrock-profile: the AWS SSO session of profile dev ends at \d\d:\d\d \(in 40m\) and it cannot be refreshed; run "bedrock-profile login --profile dev --force" in a terminal to start a new one now$/,
    );
    expect(second.out!.hookSpecificOutput.additionalContext).toContain('ends at');
    expect(fake.requestsOf('sso-oidc')).toEqual([]);
  });

  it('AWS SSO unreachable: bounded, and says so when the session ends within the hour', async () => {
    session(2 * MIN);
    fake.set({ oidc: 'down' });
    const { out } = await hook('session-start', start());
    expect(out!.systemMessage).toMatch(
      /ends at \d\d:\d\d \(in [12]m\) and refreshing it failed \(.+\); check the network, then run "bedrock-profile refresh --profile dev"$/,
    );
  });

  it("a stray variable from the shell that changes the account: named, with the fix for the user's shell", async () => {
    session(3 * 60 * MIN);
    const env = claudeEnv({ AWS_BEARER_TOKEN_BEDROCK: 'SEKRITbearer', SHELL: '/bin/bash' });
    const { out, raw } = await hook('session-start', start(), env);
    expect(raw).not.toContain('SEKRIT');
    expect(out!.systemMessage).toBe(
      "bedrock-profile: AWS_BEARER_TOKEN_BEDROCK from your shell overrides profile 'dev' for this Claude Code session, so it signs in with other credentials than the settings name; fix: unset AWS_BEARER_TOKEN_BEDROCK in the shell you start Claude Code from, then start it again",
    );
    expect(out!.hookSpecificOutput.additionalContext).toContain('AWS_BEARER_TOKEN_BEDROCK');
    const fish = await hook('session-start', start(), { ...env, SHELL: '/usr/bin/fish' });
    expect(fish.out!.systemMessage).toContain('fix: set -e AWS_BEARER_TOKEN_BEDROCK in the shell');
    // Claude Code started from a hooked fish whose login shell is bash: the hook's marker names the shell.
    const hooked = await hook('session-start', start(), { ...env, BEDROCK_PROFILE_HOOK: 'fish' });
    expect(hooked.out!.systemMessage).toContain('fix: set -e AWS_BEARER_TOKEN_BEDROCK in the shell');
  });

  it('malformed input still works (the environment is what counts); unknown events are usage errors', async () => {
    session(2 * MIN);
    expect((await hook('session-start', 'not json')).raw).toBe('');
    expect(fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(1);
    const r = await runCli(['claude-hook', 'pre-tool-use'], { env: claudeEnv(), input: '{}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown hook "pre-tool-use"; use one of session-start, stop-failure, cwd-changed',
    );
  });
});

describe('claude-hook stop-failure', () => {
  it('ignores failures that are not about credentials', async () => {
    session(2 * MIN);
    for (const e of ['rate_limit', 'server_error', 'overloaded', 'max_output_tokens'])
      expect((await hook('stop-failure', failure(e))).raw).toBe('');
    expect(fake.requests).toEqual([]);
  });

  it('after an authentication failure: refreshes silently and says what happened', async () => {
    session(10 * MIN);
    for (const e of ['authentication_failed', 'cloud_credential_error']) {
      const { out } = await hook('stop-failure', failure(e));
      expect(out!.systemMessage).toMatch(
        /^bedrock-profile: refreshed the AWS SSO session of profile dev \(valid until \d\d:\d\d\); send your message again$/,
      );
    }
    expect(fake.requestsOf('sso-oidc', 'CreateToken').map((r) => r.status)).toEqual([200, 200]);
    expect(cachedExpiry()).toBeGreaterThan(Date.now() + 50 * MIN);
  });

  it('the session is over: starts the one sign-in `login` runs, in the background', async () => {
    const tok = session(-MIN);
    fake.revokeRefreshToken(tok.refreshToken);
    const log = join(t.root, 'aws-standin.log');
    const { out } = await hook(
      'stop-failure',
      failure('cloud_credential_error'),
      claudeEnv({ AWS_STANDIN_LOG: log }),
    );
    expect(out!.systemMessage).toBe(
      'bedrock-profile: AWS ended the SSO session of profile dev (invalid_grant); started "bedrock-profile login --profile dev" (it opens the browser sign-in): finish it there, then send your message again',
    );
    // The detached login gets to `aws sso login` (after its own silent attempt) under the sign-in lock.
    for (let i = 0; i < 200 && !(existsSync(log) && readFileSync(log, 'utf8').includes('sso login')); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(log, 'utf8')).toMatch(/^sso login --profile dev\t\d+\t\d+\n$/);
    // Let the background login finish (the stand-in signs in to nothing, so it fails) before cleanup.
    const locks = join(t.home, '.local/state/bedrock-profile/locks');
    for (let i = 0; i < 100 && !lockFree(locks); i++) await new Promise((r) => setTimeout(r, 100));
  });
});

function lockFree(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).every((f) => !f.startsWith('sign-in-'));
}

describe('claude-hook cwd-changed', () => {
  it('says once per directory when Claude Code started there would sign in to another account', async () => {
    session(3 * 60 * MIN);
    const other = t.mkdir('src/other');
    t.mkdir('src/other/.git');
    t.write('src/other/.claude/settings.json', { env: { AWS_PROFILE: 'prod' } });
    const same = t.mkdir('src/same');
    const move = (to: string) => ({
      ...common,
      cwd: work,
      hook_event_name: 'CwdChanged',
      old_cwd: work,
      new_cwd: to,
    });
    const first = await hook('cwd-changed', move(other));
    expect(first.out).toEqual({
      systemMessage: `bedrock-profile: Claude Code started in ${other} would sign in with profile 'prod' (account 222233334444); this session keeps profile 'dev' (account 111122223333), and so do its Bash commands; to work there as profile 'prod' (account 222233334444), start Claude Code in that directory`,
    });
    expect((await hook('cwd-changed', move(other))).raw).toBe('');
    expect((await hook('cwd-changed', move(t.mkdir('src/other/pkg')))).raw).toBe('');
    expect((await hook('cwd-changed', move(same))).raw).toBe('');
    // Another Claude Code session is told again.
    const again = await hook('cwd-changed', { ...move(other), session_id: 'another-session' });
    expect(again.out!.systemMessage).toContain("would sign in with profile 'prod'");
  });
});
