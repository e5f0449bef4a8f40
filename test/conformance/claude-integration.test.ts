/**
 * The Claude Code integration with the real Claude Code binary against the fake AWS: installed by our
 * own `init --claude-integration` into a temp HOME (a `bedrock-profile` link on PATH, as install.sh
 * makes), then `claude -p` runs
 * with an SSO profile whose session is about to end, has ended, or fails at Bedrock. The fake's request
 * log (every call, in order, with the caller's user agent) is the evidence.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { parseRfc3339 } from '../../src/core/rfc3339.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { claudeBinary, claudeEnv, claudeVersion, runClaude } from '../support/claude-code.js';
import { type FakeAws, type FakeRequest, startFakeAws } from '../support/fake-aws.js';
import { BIN, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const MIN = 60_000;
let fake: FakeAws;
let t: TempHome;
let work: string;
let path: string;

beforeEach(async () => {
  fake = await startFakeAws();
  t = makeTempHome('bp-claude-integration-');
  work = t.mkdir('work');
  const bin = t.mkdir('bin');
  symlinkSync(BIN, join(bin, 'bedrock-profile'));
  path = `${bin}:${process.env.PATH}`;
  writeAwsConfig(
    t,
    '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n\n' +
      `[sso-session corp]\nsso_start_url = ${fake.url}/start\nsso_region = us-east-1\n`,
  );
  t.write('.claude/settings.json', {
    env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' },
  });
  const r = await runCli(['init', '--claude-integration'], { env: { ...t.env, PATH: path } });
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(readFileSync(join(t.home, '.claude/settings.json'), 'utf8')).statusLine.command).toBe(
    `${bin}/bedrock-profile statusline`,
  );
});
afterEach(async () => {
  await fake.close();
  t.cleanup();
});

function session(ttlMs: number) {
  const tok = fake.issueToken({ ttlSeconds: Math.max(1, Math.round(ttlMs / 1000)) });
  const expiresAt = Date.now() + ttlMs;
  fake.seedAccessToken(tok.accessToken, expiresAt);
  writeSsoCache(t, 'corp', { ...tok, expiresAt, region: 'us-east-1', startUrl: `${fake.url}/start` });
  return tok;
}
const cachedExpiry = () =>
  parseRfc3339(
    JSON.parse(readFileSync(tokenCacheFile(join(t.home, '.aws/sso/cache'), 'corp'), 'utf8')).expiresAt,
  )!;
const claude = (args: string[] = [], prompt?: string) =>
  runClaude({ home: t.home, cwd: work, fake, env: { PATH: path }, args, ...(prompt ? { prompt } : {}) });
/** `claude -p --input-format stream-json`: one user message, stdin kept open until `done()` (or 60 s). */
async function claudeStreaming(done: () => boolean): Promise<{ stdout: string; requests: FakeRequest[] }> {
  const env = claudeEnv({ home: t.home, fake, env: { PATH: path } });
  const from = fake.requests.length;
  const child = spawn(
    claudeBinary(),
    ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose'],
    {
      cwd: work,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.resume();
  const closed = new Promise((r) => child.on('close', r));
  child.stdin.write(`${JSON.stringify({ type: 'user', message: { role: 'user', content: 'Say hi.' } })}\n`);
  for (let i = 0; i < 600 && !(stdout.includes('"type":"result"') && done()); i++) await sleep(100);
  child.stdin.end();
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
  await closed;
  clearTimeout(timer);
  return { stdout, requests: fake.requests.slice(from) };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const show = (reqs: readonly FakeRequest[]) =>
  reqs
    .map((r) => `${r.operation} ${r.status} ${r.grantType ?? ''} ${r.userAgent?.slice(0, 40) ?? ''}`)
    .join('\n');

describe(`the integration in Claude Code ${claudeVersion()}`, () => {
  it('claude -p, session 2 minutes from expiry: our session-start refreshes it before the first Bedrock call', async () => {
    session(2 * MIN);
    const run = await claude();
    expect(run.code, `${run.stderr}\n${show(run.requests)}`).toBe(0);
    expect(run.stdout).toContain('pong');
    const creates = run.requests.filter((r) => r.operation === 'CreateToken');
    // One CreateToken, the first request of the run, made by our hook; Claude Code's SDK never refreshed.
    expect(creates, show(run.requests)).toHaveLength(1);
    expect(run.requests[0]).toMatchObject({
      operation: 'CreateToken',
      grantType: 'refresh_token',
      status: 200,
    });
    const firstBedrock = run.requests.findIndex((r) => r.service.startsWith('bedrock'));
    expect(firstBedrock).toBeGreaterThan(0);
    expect(cachedExpiry()).toBeGreaterThan(Date.now() + 50 * MIN);

    // Control: without our hooks, Claude Code's SDK refreshes the same session itself (within its
    // 5-minute window), so the single CreateToken above was ours.
    await runCli(['init', '--claude-integration', '--remove'], { env: { ...t.env, PATH: path } });
    session(2 * MIN);
    const bare = await claude();
    expect(bare.code, bare.stderr).toBe(0);
    expect(
      bare.requests.filter((r) => r.operation === 'CreateToken'),
      show(bare.requests),
    ).toHaveLength(1);
    expect(bare.requests[0]!.operation).toBe('CreateToken');
  });

  it('with the session ended, the systemMessage reaches the output (stream-json hook_response)', async () => {
    const tok = session(-MIN);
    fake.revokeRefreshToken(tok.refreshToken);
    const run = await claude(['--output-format', 'stream-json', '--verbose']);
    const events = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const ours = events.find((e) => e.subtype === 'hook_response' && e.hook_event === 'SessionStart');
    expect(ours, run.stdout.slice(0, 2000)).toBeDefined();
    const answer = JSON.parse(String(ours!.stdout)) as {
      systemMessage: string;
      hookSpecificOutput: { additionalContext: string };
    };
    expect(answer.systemMessage).toBe(
      'bedrock-profile: the AWS SSO session of profile dev has ended, so Claude Code\'s Bedrock requests will fail; run "bedrock-profile login --profile dev" in a terminal, then send your message again',
    );
    expect(answer.hookSpecificOutput.additionalContext).toContain('has ended');
    expect(ours!.exit_code).toBe(0);
    // Claude's context got it: the transcript holds the additionalContext.
    const transcripts = join(t.home, '.claude/projects');
    const text = readdirSync(transcripts, { recursive: true })
      .filter((f) => String(f).endsWith('.jsonl'))
      .map((f) => readFileSync(join(transcripts, String(f)), 'utf8'))
      .join('\n');
    expect(text).toContain('until the user runs \\"bedrock-profile login --profile dev\\"');
  });

  it('a stop-failure after a credential failure refreshes the session (claude -p, stream-json input)', async () => {
    // In plain -p mode Claude Code exits right after the failed turn and kills the StopFailure hook
    // within ~0.1 s (measured with a probe hook); with --input-format stream-json the session stays
    // open while stdin does, as an interactive one does, so the hook runs to the end.
    // Ten minutes left: more than the SDK's own 5-minute refresh window, and above refreshBefore (5m
    // here), so nobody refreshes before the turn; then Bedrock refuses the request as expired.
    t.write('.config/bedrock-profile/config.json', { refreshBefore: '5m' });
    session(10 * MIN);
    fake.set({ bedrock: 'expiredToken' });
    const before = cachedExpiry();
    const run = await claudeStreaming(() => cachedExpiry() > before + 30 * MIN);
    expect(run.stdout).toContain('AWS authentication failed');
    const creates = run.requests.filter((r) => r.operation === 'CreateToken');
    expect(creates, show(run.requests)).toHaveLength(1);
    expect(creates[0]).toMatchObject({ grantType: 'refresh_token', status: 200 });
    const failed = run.requests.findIndex(
      (r) => r.service === 'bedrock-runtime' && r.error === 'ExpiredTokenException',
    );
    expect(failed).toBeGreaterThan(-1);
    expect(run.requests.indexOf(creates[0]!)).toBeGreaterThan(failed);
    expect(cachedExpiry()).toBeGreaterThan(before + 30 * MIN);
  });

  it('cwd-changed runs in -p mode when the agent cds into another repo, and says it once', async () => {
    session(3 * 60 * MIN);
    writeAwsConfig(
      t,
      `${readFileSync(join(t.home, '.aws/config'), 'utf8')}\n[profile prod]\nsso_session = corp\nsso_account_id = 222233334444\nsso_role_name = Admin\n`,
    );
    const other = t.mkdir('work/other');
    t.mkdir('work/other/.git');
    t.write('work/other/.claude/settings.json', { env: { AWS_PROFILE: 'prod' } });
    // A second tool call after the cd: Claude Code kills running hooks when -p exits, so the turn must
    // last long enough for ours to finish.
    fake.queueModelAnswers(
      { toolUse: { name: 'Bash', input: { command: `cd ${other} && pwd`, description: 'cd' } } },
      { toolUse: { name: 'Bash', input: { command: 'sleep 4', description: 'wait' } } },
      { text: 'moved' },
    );
    const run = await claude(['--allowedTools', 'Bash']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('moved');
    const said = readdirSync(join(t.home, '.local/state/bedrock-profile/claude-sessions'));
    expect(said).toHaveLength(1);
    expect(readFileSync(join(t.home, '.local/state/bedrock-profile/claude-sessions', said[0]!), 'utf8')).toBe(
      `${encodeURIComponent(other)}\n`,
    );
  });
});
