/**
 * The launcher's fast path for the hooks' `resolve`: only the exact argument forms the hooks use skip
 * commander; every other form runs the full CLI. Both reach runResolve, so their output is the same.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHookResolveArgs } from '../../src/commands/resolve-fast.js';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

describe('parseHookResolveArgs', () => {
  it.each([
    [['--', '/r'], { dir: '/r', opts: {} }],
    [['--owned', '--', '/r'], { dir: '/r', opts: { owned: true } }],
    [['--quiet', '--', '/r'], { dir: '/r', opts: { quiet: true } }],
    [['--quiet', '--owned', '--', '/r'], { dir: '/r', opts: { quiet: true, owned: true } }],
    [['--', '--owned'], { dir: '--owned', opts: {} }],
  ])('takes the hooks form %j', (args, want) => {
    expect(parseHookResolveArgs(args)).toEqual(want);
  });

  it.each([
    [[]],
    [['/r']],
    [['--help']],
    [['--', '/r', 'extra']],
    [['--owned', '--owned', '--', '/r']],
    [['-q', '--', '/r']],
    [['--']],
  ])('leaves %j to the full CLI', (args) => {
    expect(parseHookResolveArgs(args)).toBeUndefined();
  });
});

describe('resolve through the launcher', () => {
  let t: TempHome;
  let repo: string;
  beforeEach(() => {
    t = makeTempHome('bp-resolve-fast-');
    repo = join(t.home, 'r');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, '.claude'));
    writeFileSync(join(repo, '.claude', 'settings.json'), '{"env":{"AWS_PROFILE":"ui-dev"}}\n');
  });
  afterEach(() => t.cleanup());

  it('prints the same record and lines by the fast path and by the full CLI', async () => {
    const fast = await runCli(['resolve', '--', repo], { env: t.env });
    // No `--`: not the hooks' form, so commander parses it.
    const full = await runCli(['resolve', repo], { env: t.env });
    expect(fast.code).toBe(0);
    expect(full.code).toBe(0);
    const strip = (s: string) => s.replace(/^bedrock-profile-record 1 \d+$/m, 'bedrock-profile-record 1 GEN');
    expect(strip(fast.stdout)).toBe(strip(full.stdout));
    expect(fast.stderr).toBe(full.stderr);
    expect(fast.stdout).toContain('profile=ui-dev');
  });

  it('reports errors the same way (exit code and one line)', async () => {
    const fast = await runCli(['resolve', '--', 'relative'], { env: t.env });
    const full = await runCli(['resolve', 'relative'], { env: t.env });
    expect(fast).toEqual(full);
    expect(fast.code).toBe(2);
    expect(fast.stderr).toBe(
      'bedrock-profile: "relative" is not an absolute path; pass the launch directory as /abs/path\n',
    );
  });

  it('--help still goes to commander', async () => {
    const r = await runCli(['resolve', '--help'], { env: t.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: bedrock-profile resolve');
  });
});
