/**
 * The status line and the session-start message in the real Claude Code UI: the interactive `claude`
 * in a detached tmux session (120x30, TERM xterm-256color), its first-run and folder-trust screens
 * answered in ~/.claude.json as a user who has run it before, read with `tmux capture-pane`.
 * BP_CAPTURE_TO=<dir> keeps the captures (the picture in docs/claude-integration.md is one).
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { claudeBinary, claudeEnv, claudeVersion } from '../support/claude-code.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { BIN, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const MIN = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let fake: FakeAws;
let t: TempHome;
let work: string;
let path: string;
let sock: string;

beforeEach(async () => {
  fake = await startFakeAws();
  t = makeTempHome('bp-claude-tmux-');
  work = t.mkdir('acme');
  const bin = t.mkdir('bin');
  symlinkSync(BIN, join(bin, 'bedrock-profile'));
  path = `${bin}:${process.env.PATH}`;
  sock = join(t.root, 'tmux.sock');
  writeAwsConfig(
    t,
    '[profile acme-dev]\nsso_session = acme\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n\n' +
      `[sso-session acme]\nsso_start_url = ${fake.url}/start\nsso_region = us-east-1\n`,
  );
  t.write('.claude/settings.json', {
    env: {
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: 'acme-dev',
      ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    },
  });
  // Someone who has used Claude Code before and trusts this folder.
  t.write('.claude.json', {
    hasCompletedOnboarding: true,
    theme: 'dark',
    projects: { [work]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } },
  });
  const r = await runCli(['init', '--claude-integration'], { env: { ...t.env, PATH: path } });
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  // Claude Code writes into ~/.claude until it is gone: wait for the pane's process before cleaning up.
  let pid: number | undefined;
  try {
    pid = Number(execFileSync('tmux', ['-S', sock, 'display', '-p', '#{pane_pid}'], { encoding: 'utf8' }));
    execFileSync('tmux', ['-S', sock, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // already gone
  }
  for (let i = 0; pid && i < 100 && alive(pid); i++) await sleep(100);
  await fake.close();
  t.cleanup();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function startUi(): void {
  const env = claudeEnv({ home: t.home, fake, env: { PATH: path, TERM: 'xterm-256color' } });
  // `env -i`: tmux would hand the server's own environment (this test process's) to the pane.
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  execFileSync('tmux', [
    '-S',
    sock,
    'new-session',
    '-d',
    '-x',
    '120',
    '-y',
    '30',
    '-c',
    work,
    'env',
    '-i',
    ...vars,
    claudeBinary(),
  ]);
}
const capture = (escapes = false) =>
  execFileSync('tmux', ['-S', sock, 'capture-pane', '-p', ...(escapes ? ['-e'] : [])], { encoding: 'utf8' });
async function waitFor(re: RegExp, ms = 40_000): Promise<string> {
  let pane = '';
  for (let waited = 0; waited < ms; waited += 250) {
    pane = capture();
    if (re.test(pane)) return pane;
    await sleep(250);
  }
  throw new Error(`not on screen after ${ms} ms: ${re}\n${pane}`);
}
function keep(name: string, text: string): void {
  const dir = process.env.BP_CAPTURE_TO;
  if (dir) writeFileSync(join(dir, name), text);
}

describe(`the Claude Code ${claudeVersion()} UI under tmux`, () => {
  it('renders our status line: profile, account, region, pinned model, time left (in colour)', async () => {
    const tok = fake.issueToken({ ttlSeconds: 3 * 3600 });
    const expiresAt = Date.now() + 3 * 60 * MIN - 30_000;
    writeSsoCache(t, 'acme', { ...tok, expiresAt, region: 'us-east-1', startUrl: `${fake.url}/start` });
    startUi();
    const pane = await waitFor(/acme-dev 111122223333 · us-east-1 · \S.* · 2h 59m/);
    expect(pane).toContain('Amazon Bedrock');
    // Claude Code passes our ANSI colour through to the terminal.
    expect(capture(true)).toMatch(/\x1b\[32m2h 59m/);
    execFileSync('tmux', ['-S', sock, 'send-keys', '-l', 'Say hi.']);
    execFileSync('tmux', ['-S', sock, 'send-keys', 'Enter']);
    const after = await waitFor(/● pong[\s\S]*acme-dev 111122223333 · us-east-1/);
    keep('statusline.txt', after);
    keep('statusline.ansi', capture(true));
  });

  it('an ended session: the status line says so, and our session-start message is on screen', async () => {
    const tok = fake.issueToken({ ttlSeconds: 60 });
    writeSsoCache(t, 'acme', {
      ...tok,
      expiresAt: Date.now() - MIN,
      region: 'us-east-1',
      startUrl: `${fake.url}/start`,
    });
    fake.revokeRefreshToken(tok.refreshToken);
    startUi();
    // Both on screen, in either order: the status line can come before the hook's message.
    const pane = await waitFor(
      /^(?=[\s\S]*acme-dev 111122223333 · us-east-1 · Sonnet 4.5 · expired: run bedrock-profile login)(?=[\s\S]*SessionStart:startup\s+says:)/,
    );
    expect(pane.replace(/\s+/g, ' ')).toContain(
      'SessionStart:startup says: bedrock-profile: the AWS SSO session of profile acme-dev has ended',
    );
    keep('ended.txt', pane);
  });
});
