/**
 * `init --claude-integration [--dry-run] [--force] [--remove]` through the built CLI, on real settings
 * files: what it adds, that the user's own entries and bytes are kept, that a second run changes nothing
 * and that removal gives the file back byte for byte; and doctor's check of the result.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let t: TempHome;
let file: string;
beforeEach(() => {
  t = makeTempHome('bp-init-claude-');
  file = join(t.home, '.claude/settings.json');
});
afterEach(() => t.cleanup());

const init = (...args: string[]) => runCli(['init', '--claude-integration', ...args], { env: t.env });
const read = () => readFileSync(file, 'utf8');

// A user's file with its own hooks, statusLine, odd indentation and an unknown key.
const USER = `{
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
    "env": { "CLAUDE_CODE_USE_BEDROCK": "1" },
    "statusLine": {"type": "command", "command": "~/.claude/my-line.sh"},
    "hooks": {
        "SessionStart": [
            { "matcher": "startup", "hooks": [ { "type": "command", "command": "echo hello" } ] }
        ]
    },
    "futureKey": [1, 2, 3]
}
`;

describe('init --claude-integration', () => {
  it('into a new file: the statusLine and three hooks; twice changes nothing; --remove takes them out', async () => {
    const r = await init();
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(read());
    expect(data.statusLine).toEqual({ type: 'command', command: `${BIN} statusline`, padding: 0 });
    expect(data.hooks.SessionStart).toEqual([
      { hooks: [{ type: 'command', command: `${BIN} claude-hook session-start`, timeout: 30 }] },
    ]);
    expect(data.hooks.StopFailure).toEqual([
      {
        matcher: 'authentication_failed|cloud_credential_error',
        hooks: [{ type: 'command', command: `${BIN} claude-hook stop-failure`, timeout: 30 }],
      },
    ]);
    expect(data.hooks.CwdChanged[0].hooks[0].command).toBe(`${BIN} claude-hook cwd-changed`);
    const once = read();
    const again = await init();
    expect(again.stdout).toContain('already up to date; nothing written');
    expect(read()).toBe(once);
    const removed = await init('--remove');
    expect(removed.stdout).toContain('(created by the integration, empty now)');
    // The file did not exist before: it is gone again, backup included.
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  it("keeps the user's statusLine, hooks and bytes; removal gives the file back byte for byte", async () => {
    t.write(file, USER);
    const r = await init();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'kept your statusLine (~/.claude/my-line.sh); to show ours instead run "bedrock-profile init --claude-integration --force"',
    );
    const after = read();
    const data = JSON.parse(after);
    expect(data.statusLine).toEqual({ type: 'command', command: '~/.claude/my-line.sh' });
    expect(data.hooks.SessionStart).toHaveLength(2);
    expect(data.hooks.SessionStart[0]).toEqual({
      matcher: 'startup',
      hooks: [{ type: 'command', command: 'echo hello' }],
    });
    expect(data.futureKey).toEqual([1, 2, 3]);
    // Untouched lines stay as they were, in the file's own 4-space indentation.
    expect(after).toContain('    "env": { "CLAUDE_CODE_USE_BEDROCK": "1" },\n');
    expect(after).toContain(`            {\n                "hooks": [\n`);
    expect((await init()).stdout).toContain('already up to date');
    expect((await init('--remove')).code).toBe(0);
    expect(read()).toBe(USER);
  });

  it("--force replaces the statusLine; --remove puts the user's back", async () => {
    t.write(file, USER);
    const r = await init('--force');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(read()).statusLine.command).toBe(`${BIN} statusline`);
    await init('--remove');
    expect(JSON.parse(read())).toEqual(JSON.parse(USER));
  });

  it('--dry-run prints the diff and writes nothing; invalid JSON is refused with file:line:col', async () => {
    t.write(file, USER);
    const dry = await init('--dry-run');
    expect(dry.stdout).toContain('+            {');
    expect(dry.stdout).toContain('claude-hook session-start');
    expect(dry.stdout).toContain('dry run: nothing written');
    expect(read()).toBe(USER);
    writeFileSync(file, '{\n  "hooks": {\n');
    const bad = await init();
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(`${file}:3:1`);
    expect(read()).toBe('{\n  "hooks": {\n');
  });
});

describe('doctor: claude-integration', () => {
  const check = async (cwd = t.home) => {
    const r = await runCli(['doctor', '--json'], { env: t.env, cwd });
    return JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'claude-integration');
  };

  it('not installed, installed, pointing at a missing command, switched off, shadowed', async () => {
    expect(await check()).toMatchObject({ status: 'warn', fix: 'bedrock-profile init --claude-integration' });
    await init();
    expect(await check()).toMatchObject({
      status: 'pass',
      detail: `status line and hooks installed (${BIN})`,
    });

    const repo = t.mkdir('repo');
    t.mkdir('repo/.git');
    t.write('repo/.claude/settings.json', { statusLine: { type: 'command', command: 'echo team' } });
    const shadowed = await check(repo);
    expect(shadowed.status).toBe('warn');
    expect(shadowed.detail).toBe(
      'the statusLine in ~/repo/.claude/settings.json replaces ours when Claude Code starts here',
    );
    expect(shadowed.fix).toContain('| bedrock-profile statusline');
    t.write('repo/.claude/settings.local.json', { disableAllHooks: true });
    expect((await check(repo)).detail).toContain(
      'disableAllHooks is true in ~/repo/.claude/settings.local.json',
    );

    writeFileSync(file, read().replaceAll(BIN, '/gone/bedrock-profile'));
    expect(await check()).toMatchObject({
      status: 'fail',
      detail:
        'the statusLine and hooks run /gone/bedrock-profile, which does not exist (moved or uninstalled): every hook fails',
    });
  });
});
