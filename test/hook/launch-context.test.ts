/**
 * The launch context, TypeScript side, and the shells' builtin walk agree on it (the record names the
 * shells compute must be the ones resolve writes).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLaunchContext } from '../../src/hook/launch-context.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let t: TempHome;
beforeEach(() => {
  t = makeTempHome('bp-ctx-');
  mkdirSync(join(t.home, 'repo/.git'), { recursive: true });
  t.write('repo/.claude/settings.json', {});
  t.write('repo/pkg/.claude/settings.json', {});
  t.mkdir('repo/pkg/src');
  t.mkdir('repo/docs');
  mkdirSync(join(t.home, 'bare-repo/.git'), { recursive: true });
  t.mkdir('bare-repo/a');
  t.write('nogit/proj/.claude/settings.json', {});
  t.mkdir('nogit/proj/sub');
  t.write('.claude/settings.json', {});
  t.mkdir('plain');
});
afterEach(() => t.cleanup());

function shellContext(shell: 'zsh' | 'bash' | 'fish', dir: string): string {
  const src = join(REPO_ROOT, 'shell', `hook.${shell}`);
  const print =
    shell === 'fish' ? 'printf "%s|%s" "$_bp_dir" "$_bp_root"' : 'printf "%s|%s" "$_bp_dir" "$_bp_root"';
  const script =
    shell === 'fish'
      ? `source '${src}'; cd '${dir}'; _bp_find; ${print}`
      : `source '${src}'; builtin cd '${dir}'; _bp_find; ${print}`;
  const args =
    shell === 'zsh'
      ? ['-f', '-i', '-c', script]
      : shell === 'bash'
        ? ['--norc', '-i', '-c', script]
        : ['-i', '--no-config', '-c', script];
  return execFileSync(shell, args, {
    env: { ...t.env, BEDROCK_PROFILE_BIN: '/nonexistent' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

describe('launch context', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['repo', 'repo', 'repo'],
    ['repo/docs', 'repo', 'repo'],
    ['repo/pkg/src', 'repo/pkg', 'repo'],
    ['bare-repo/a', 'bare-repo', 'bare-repo'],
    ['nogit/proj/sub', 'nogit/proj', undefined],
    ['plain', undefined, undefined],
    ['', undefined, undefined],
  ];
  it.each(cases)('%s', async (rel, dir, root) => {
    const start = rel ? join(t.home, rel) : t.home;
    const ctx = await findLaunchContext(start, t.home);
    expect(ctx?.dir).toBe(dir === undefined ? undefined : join(t.home, dir));
    expect(ctx?.gitRoot).toBe(root === undefined ? undefined : join(t.home, root));
    const want = `${dir ? join(t.home, dir) : ''}|${root ? join(t.home, root) : ''}`;
    for (const shell of ['zsh', 'bash', 'fish'] as const)
      expect(shellContext(shell, start), shell).toBe(want);
  });
});
