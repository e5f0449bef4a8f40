/**
 * Claude Code settings resolution against real files in a throwaway HOME: every precedence rule, the
 * subdirectory case, and every kind of bad file (the others still resolve).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findGitRoot } from '../../src/claude/git-root.js';
import { resolveClaudeSettings } from '../../src/claude/resolve-settings.js';
import { resolvePaths } from '../../src/platform/paths.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let t: TempHome;
beforeEach(() => {
  t = makeTempHome('bp-claude-');
});
afterEach(() => t.cleanup());

/** A repo with a .git directory under HOME; returns its path. */
function repo(rel = 'src/acme'): string {
  const dir = t.mkdir(rel);
  mkdirSync(join(dir, '.git'));
  return dir;
}

async function resolveAt(cwd: string, env: Record<string, string> = t.env) {
  return resolveClaudeSettings({ cwd, env, paths: resolvePaths(env, 'linux') });
}

const envOf = (r: Awaited<ReturnType<typeof resolveAt>>) =>
  Object.fromEntries(Object.entries(r.env).map(([k, v]) => [k, `${v.value}@${v.scope}`]));

describe('precedence', () => {
  it('managed > local > project > user, per variable', async () => {
    const root = repo();
    t.write('.claude/settings.json', { env: { A: 'user', B: 'user', C: 'user', D: 'user' } });
    t.write(join(root, '.claude/settings.json'), { env: { A: 'project', B: 'project', C: 'project' } });
    t.write(join(root, '.claude/settings.local.json'), { env: { A: 'local', B: 'local' } });
    t.write(join(t.managedDir, 'managed-settings.json'), { env: { A: 'managed' } });
    const r = await resolveAt(root);
    expect(envOf(r)).toEqual({
      A: 'managed@managed',
      B: 'local@local',
      C: 'project@project',
      D: 'user@user',
    });
    expect(r.env.C?.file).toBe(join(root, '.claude/settings.json'));
    expect(r.env.D?.file).toBe(join(t.home, '.claude/settings.json'));
    expect(r.files.map((f) => `${f.scope}:${f.status}`)).toEqual([
      'managed:ok',
      'local:ok',
      'project:ok',
      'user:ok',
    ]);
  });

  it('managed-settings.d drop-ins: sorted, a later file overrides an earlier one and managed-settings.json', async () => {
    const root = repo();
    t.write(join(t.managedDir, 'managed-settings.json'), { env: { A: 'base', B: 'base', C: 'base' } });
    t.write(join(t.managedDir, 'managed-settings.d/20-b.json'), { env: { A: '20', B: '20' } });
    t.write(join(t.managedDir, 'managed-settings.d/10-a.json'), { env: { A: '10', B: '10' } });
    t.write(join(t.managedDir, 'managed-settings.d/30-c.json'), { env: { A: '30' } });
    t.write(join(t.managedDir, 'managed-settings.d/.hidden.json'), { env: { A: 'hidden' } });
    t.write(join(t.managedDir, 'managed-settings.d/99-notes.txt'), 'not json');
    t.write(join(root, '.claude/settings.local.json'), { env: { A: 'local', C: 'local', D: 'local' } });
    const r = await resolveAt(root);
    expect(envOf(r)).toEqual({ A: '30@managed', B: '20@managed', C: 'base@managed', D: 'local@local' });
    expect(r.env.A?.file).toBe(join(t.managedDir, 'managed-settings.d/30-c.json'));
    expect(r.files.filter((f) => f.scope === 'managed').map((f) => f.file.split('/').pop())).toEqual([
      '30-c.json',
      '20-b.json',
      '10-a.json',
      'managed-settings.json',
    ]);
  });

  it('drop-ins apply without a managed-settings.json', async () => {
    t.write(join(t.managedDir, 'managed-settings.d/a.json'), { env: { AWS_REGION: 'eu-west-1' } });
    const r = await resolveAt(t.home);
    expect(envOf(r)).toEqual({ AWS_REGION: 'eu-west-1@managed' });
  });

  it('settings.local.json is read at the git root, settings.json only in the start directory', async () => {
    const root = repo();
    const sub = t.mkdir('src/acme/packages/web');
    t.write(join(root, '.claude/settings.local.json'), { env: { LOCAL: 'root-local' } });
    t.write(join(root, '.claude/settings.json'), { env: { AWS_PROFILE: 'acme' } });
    t.write(join(sub, '.claude/settings.local.json'), { env: { LOCAL: 'sub-local' } });
    const r = await resolveAt(sub);
    expect(r.gitRoot).toBe(root);
    expect(envOf(r)).toEqual({ LOCAL: 'root-local@local' });
    expect(r.ignoredAncestorSettings).toEqual([join(root, '.claude/settings.json')]);
  });

  it('the start directory own settings.json applies in a subdirectory that has one', async () => {
    const root = repo();
    const sub = t.mkdir('src/acme/svc');
    t.write(join(root, '.claude/settings.json'), { env: { AWS_PROFILE: 'acme' } });
    t.write(join(sub, '.claude/settings.json'), { env: { AWS_PROFILE: 'svc' } });
    const r = await resolveAt(sub);
    expect(envOf(r)).toEqual({ AWS_PROFILE: 'svc@project' });
    expect(r.ignoredAncestorSettings).toEqual([join(root, '.claude/settings.json')]);
  });

  it('the user file honours CLAUDE_CONFIG_DIR (with ~)', async () => {
    t.write('.claude/settings.json', { env: { A: 'dot-claude' } });
    t.write('.config/claude/settings.json', { env: { A: 'config-dir' } });
    const env = { ...t.env, CLAUDE_CONFIG_DIR: '~/.config/claude' };
    expect(envOf(await resolveAt(t.mkdir('elsewhere'), env))).toEqual({ A: 'config-dir@user' });
    // Started in HOME, ~/.claude/settings.json is then that directory's project file, above the user file.
    expect(envOf(await resolveAt(t.home, env))).toEqual({ A: 'dot-claude@project' });
  });

  it('top-level awsAuthRefresh, awsCredentialExport and model follow the same precedence', async () => {
    const root = repo();
    t.write('.claude/settings.json', {
      awsAuthRefresh: 'aws sso login --profile u',
      model: 'user-model',
      awsCredentialExport: 'x',
    });
    t.write(join(root, '.claude/settings.json'), { awsAuthRefresh: 'aws sso login --profile p' });
    t.write(join(t.managedDir, 'managed-settings.json'), { model: 'managed-model' });
    const r = await resolveAt(root);
    expect(r.awsAuthRefresh).toMatchObject({ value: 'aws sso login --profile p', scope: 'project' });
    expect(r.model).toMatchObject({ value: 'managed-model', scope: 'managed' });
    expect(r.awsCredentialExport).toMatchObject({ value: 'x', scope: 'user' });
  });

  it('subdirEnv is what Claude Code started in a subdirectory sees: no project file', async () => {
    const root = repo();
    t.write('.claude/settings.json', { env: { AWS_REGION: 'us-east-1', AWS_PROFILE: 'personal' } });
    t.write(join(root, '.claude/settings.json'), { env: { AWS_PROFILE: 'acme' } });
    const r = await resolveAt(root);
    expect(r.env.AWS_PROFILE?.value).toBe('acme');
    expect(r.subdirEnv?.AWS_PROFILE).toMatchObject({ value: 'personal', scope: 'user' });
    expect(r.subdirEnv?.AWS_REGION?.value).toBe('us-east-1');
  });

  it('non-string env values are skipped with a note naming the file', async () => {
    const user = t.write('.claude/settings.json', {
      env: { CLAUDE_CODE_USE_BEDROCK: 1, AWS_REGION: 'us-east-1', X: null },
    });
    const r = await resolveAt(t.home);
    expect(envOf(r)).toEqual({ AWS_REGION: 'us-east-1@user' });
    expect(r.notes).toEqual([
      `${user}: env.CLAUDE_CODE_USE_BEDROCK is not a string; Claude Code skips it (write it in quotes)`,
      `${user}: env.X is not a string; Claude Code skips it (write it in quotes)`,
    ]);
  });

  it('started in HOME, ~/.claude/settings.json is the user file, reported once', async () => {
    t.write('.claude/settings.json', { env: { A: 'x' } });
    const r = await resolveAt(t.home);
    expect(r.files.map((f) => f.scope)).toEqual(['managed', 'local', 'user']);
    expect(r.env.A?.scope).toBe('user');
    expect(r.ignoredAncestorSettings).toEqual([]);
  });
});

describe('git root and ignored ancestors', () => {
  it('a .git file (worktree, submodule) marks the root', async () => {
    const dir = t.mkdir('wt');
    writeFileSync(join(dir, '.git'), 'gitdir: /elsewhere/.git/worktrees/wt\n');
    t.mkdir('wt/a/b');
    expect(await findGitRoot(join(dir, 'a/b'))).toBe(dir);
  });

  it('outside a repo: local from the start dir; ancestors up to (not including) HOME; never the user file', async () => {
    t.write('.claude/settings.json', { env: { A: 'user' } });
    t.write('work/.claude/settings.json', { env: { AWS_PROFILE: 'work' } });
    const cwd = t.mkdir('work/notes');
    t.write('work/notes/.claude/settings.local.json', { env: { B: 'local' } });
    const r = await resolveAt(cwd);
    expect(r.gitRoot).toBeUndefined();
    expect(envOf(r)).toEqual({ A: 'user@user', B: 'local@local' });
    expect(r.ignoredAncestorSettings).toEqual([join(t.home, 'work/.claude/settings.json')]);
  });

  it('HOME itself a git repo (dotfiles): the user file is not an ignored ancestor', async () => {
    mkdirSync(join(t.home, '.git'));
    t.write('.claude/settings.json', { env: { A: 'user' } });
    const r = await resolveAt(t.mkdir('projects/x'));
    expect(r.gitRoot).toBe(t.home);
    expect(r.ignoredAncestorSettings).toEqual([]);
  });

  it('the walk stops at the git root', async () => {
    t.write('src/.claude/settings.json', { env: { A: 'outside' } });
    const root = repo('src/acme');
    const r = await resolveAt(t.mkdir('src/acme/x'));
    expect(r.gitRoot).toBe(root);
    expect(r.ignoredAncestorSettings).toEqual([]);
  });
});

describe('bad files: a clear reason, and the other files still resolve', () => {
  const cases: Array<[string, (file: string) => void, RegExp]> = [
    [
      'invalid JSON',
      (f) => writeFileSync(f, '{\n  "env": {\n    "A": "x",,\n  }\n}\n'),
      /:3:14: invalid JSON: /,
    ],
    ['an empty file', (f) => writeFileSync(f, ''), /:1:1: invalid JSON: /],
    ['a directory instead of a file', (f) => mkdirSync(f), /is not a regular file/],
    ['a FIFO', (f) => execFileSync('mkfifo', [f]), /is not a regular file/],
    ['a symlink loop', (f) => symlinkSync(f, f), /symbolic link loop/],
    ['invalid UTF-8', (f) => writeFileSync(f, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /is not valid UTF-8/],
  ];
  for (const [what, make, message] of cases) {
    for (const scope of ['managed', 'local', 'project', 'user'] as const) {
      it(`${what} as the ${scope} file`, async () => {
        const root = repo();
        const files = {
          managed: join(t.managedDir, 'managed-settings.json'),
          local: join(root, '.claude/settings.local.json'),
          project: join(root, '.claude/settings.json'),
          user: join(t.home, '.claude/settings.json'),
        };
        for (const [s, f] of Object.entries(files)) {
          mkdirSync(join(f, '..'), { recursive: true });
          if (s === scope) make(f);
          else writeFileSync(f, JSON.stringify({ env: { [`FROM_${s.toUpperCase()}`]: s } }));
        }
        const r = await resolveAt(root);
        const bad = r.files.find((f) => f.scope === scope)!;
        expect(bad.status).toBe('invalid');
        expect(bad.error).toContain(files[scope]);
        expect(bad.error).toMatch(message);
        const expected = Object.fromEntries(
          Object.keys(files)
            .filter((s) => s !== scope)
            .map((s) => [`FROM_${s.toUpperCase()}`, `${s}@${s}`]),
        );
        expect(envOf(r)).toEqual(expected);
      });
    }
  }

  it.skipIf(process.getuid?.() === 0)('an unreadable file (permission denied)', async () => {
    const f = t.write('.claude/settings.json', { env: { A: 'x' } });
    chmodSync(f, 0o000);
    const r = await resolveAt(t.home);
    expect(r.files.find((x) => x.scope === 'user')).toMatchObject({ status: 'invalid' });
    expect(r.files.find((x) => x.scope === 'user')?.error).toMatch(/permission denied/);
  });

  it('a top level that is not an object, and env that is not an object: noted, the rest resolves', async () => {
    const root = repo();
    const p = t.write(join(root, '.claude/settings.json'), '[1,2]');
    const u = t.write('.claude/settings.json', { env: 'AWS_PROFILE=x', model: 'm' });
    t.write(join(root, '.claude/settings.local.json'), { env: { A: 'local' } });
    const r = await resolveAt(root);
    expect(envOf(r)).toEqual({ A: 'local@local' });
    expect(r.model?.value).toBe('m');
    expect(r.notes).toEqual([
      `${p}: the top level is not a JSON object; Claude Code ignores this file`,
      `${u}: "env" is not an object; its variables are ignored`,
    ]);
  });
});
