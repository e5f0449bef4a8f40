/**
 * `bedrock-profile status` as users run it: the built binary, a fixture HOME per case, every precedence
 * rule and every stray rule, bad input, colour rules, and no secret in any output.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli, runMain } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { everydaySetup, SECRETS, writeCorpToken } from './fixtures.js';

let t: TempHome;
beforeEach(() => {
  t = makeTempHome('bp-status-');
});
afterEach(() => t.cleanup());

async function statusJson(cwd: string, extraEnv: Record<string, string> = {}) {
  const r = await runCli(['status', '--json'], { env: { ...t.env, ...extraEnv }, cwd });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  for (const s of SECRETS) expect(r.stdout).not.toContain(s);
  return JSON.parse(r.stdout);
}

describe('status: the everyday setup', () => {
  it('reports profile, region, bedrock, auth and session with their sources (JSON)', async () => {
    const repo = everydaySetup(t);
    const expiresAt = Date.now() + 2 * 3_600_000;
    const cache = writeCorpToken(t, expiresAt);
    const s = await statusJson(repo);
    expect(s.schema).toBe(1);
    expect(s.cwd).toBe(repo);
    expect(s.gitRoot).toBe(repo);
    expect(s.profile).toEqual({
      name: 'acme',
      source: { scope: 'project', file: join(repo, '.claude/settings.json') },
      kind: 'sso',
      definedIn: [join(t.home, '.aws/config')],
    });
    expect(s.region).toEqual({
      value: 'us-east-1',
      source: { scope: 'user', file: join(t.home, '.claude/settings.json') },
    });
    expect(s.bedrock).toMatchObject({ enabled: true, value: '1', source: { scope: 'user' } });
    expect(s.auth.kind).toBe('profile');
    expect(s.session).toMatchObject({
      status: 'valid',
      profile: 'acme',
      refreshable: true,
      cacheFile: cache,
    });
    expect(s.session.expiresAt).toBe(new Date(Math.floor(expiresAt / 1000) * 1000).toISOString());
    expect(s.stray).toEqual([]);
    expect(s.ignoredAncestorSettings).toEqual([]);
    expect(s.subdirectory.profile).toEqual({ name: 'default', source: { scope: 'default', file: null } });
    expect(s.notes).toEqual([]);
  });

  it('human output: aligned rows, time left in words, no colour without a TTY', async () => {
    const repo = everydaySetup(t);
    writeCorpToken(t, Date.now() + 65 * 60_000 + 30_000);
    const r = await runCli(['status'], { env: t.env, cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^profile {3}acme {2}from project settings ~\/src\/acme\/\.claude\/settings\.json$/m,
    );
    expect(r.stdout).toMatch(/^region {4}us-east-1 {2}from user settings ~\/\.claude\/settings\.json$/m);
    expect(r.stdout).toMatch(
      /^session {3}valid, session end unknown \(signed in before bedrock-profile was watching; known from the next sign-in\), refreshable$/m,
    );
    expect(r.stdout).toMatch(/^subdir {4}Claude Code started in a subdirectory would use profile default/m);
    expect(r.stdout).not.toContain('\u001b[');
    for (const s of SECRETS) expect(r.stdout).not.toContain(s);
  });

  it('an expired legacy session, a missing cache file, a role chain to an SSO profile', async () => {
    const repo = everydaySetup(t);
    const now = Date.parse('2026-11-24T12:00:00Z');
    writeCorpToken(t, now - 3 * 60_000, false);
    let r = await runMain(['status'], { env: t.env, cwd: repo, now });
    expect(r.stdout).toMatch(
      /^session {3}expired 3m ago \(2026-11-24 11:57 UTC\); sign in: bedrock-profile login --profile acme$/m,
    );
    // Role chain: the session shown is the SSO source profile's.
    writeFileSync(join(repo, '.claude/settings.json'), JSON.stringify({ env: { AWS_PROFILE: 'chained' } }));
    r = await runMain(['status', '--json'], { env: t.env, cwd: repo, now });
    const chained = JSON.parse(r.stdout);
    expect(chained.profile.kind).toBe('role-chain');
    expect(chained.session).toMatchObject({ status: 'expired', profile: 'acme' });
    // Legacy SSO profile with no cache file yet.
    writeFileSync(join(repo, '.claude/settings.json'), JSON.stringify({ env: { AWS_PROFILE: 'legacy' } }));
    r = await runMain(['status'], { env: t.env, cwd: repo, now });
    expect(r.stdout).toMatch(/^session {3}not signed in: .*; run aws sso login --profile legacy$/m);
  });

  it('colour on a TTY, none with NO_COLOR', async () => {
    const repo = everydaySetup(t);
    writeCorpToken(t, Date.now() + 3_600_000);
    const { NO_COLOR: _, ...colourEnv } = t.env;
    expect((await runMain(['status'], { env: colourEnv, cwd: repo, tty: true })).stdout).toContain(
      '\u001b[32mvalid\u001b[0m',
    );
    expect((await runMain(['status'], { env: t.env, cwd: repo, tty: true })).stdout).not.toContain('\u001b[');
  });
});

describe('status: every precedence rule, through the binary', () => {
  it('AWS_PROFILE: managed > local > project > user > shell > default', async () => {
    const repo = everydaySetup(t);
    const layers: Array<[string, string, string]> = [
      ['managed', join(t.managedDir, 'managed-settings.json'), 'managed-profile'],
      ['local', join(repo, '.claude/settings.local.json'), 'local-profile'],
      ['project', join(repo, '.claude/settings.json'), 'project-profile'],
      ['user', join(t.home, '.claude/settings.json'), 'user-profile'],
    ];
    for (const [, file, value] of layers) {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, JSON.stringify({ env: { AWS_PROFILE: value } }));
    }
    const shell = { AWS_PROFILE: 'shell-profile' };
    for (const [scope, file, value] of layers) {
      const s = await statusJson(repo, shell);
      expect(s.profile).toMatchObject({ name: value, source: { scope, file }, kind: 'missing' });
      writeFileSync(file, '{}');
    }
    expect((await statusJson(repo, shell)).profile).toMatchObject({
      name: 'shell-profile',
      source: { scope: 'shell', file: null },
    });
    expect((await statusJson(repo)).profile).toMatchObject({
      name: 'default',
      source: { scope: 'default', file: null },
    });
  });

  it('a managed-settings.d drop-in beats managed-settings.json; region from settings beats the shell', async () => {
    const repo = everydaySetup(t);
    t.write(join(t.managedDir, 'managed-settings.json'), { env: { AWS_REGION: 'eu-west-1' } });
    t.write(join(t.managedDir, 'managed-settings.d/50-region.json'), { env: { AWS_REGION: 'eu-central-1' } });
    const s = await statusJson(repo, { AWS_REGION: 'ap-south-1' });
    expect(s.region).toEqual({
      value: 'eu-central-1',
      source: { scope: 'managed', file: join(t.managedDir, 'managed-settings.d/50-region.json') },
    });
  });

  it('the subdirectory case: ancestor settings ignored, the shell profile applies', async () => {
    const repo = everydaySetup(t);
    const sub = t.mkdir('src/acme/packages/web');
    const s = await statusJson(sub, { AWS_PROFILE: 'personal' });
    expect(s.gitRoot).toBe(repo);
    expect(s.ignoredAncestorSettings).toEqual([join(repo, '.claude/settings.json')]);
    expect(s.profile).toMatchObject({ name: 'personal', source: { scope: 'shell' }, kind: 'static-keys' });
    const human = await runCli(['status'], { env: { ...t.env, AWS_PROFILE: 'personal' }, cwd: sub });
    expect(human.stdout).toMatch(/^ignored {3}~\/src\/acme\/\.claude\/settings\.json$/m);
  });

  it('auth kind: bearer token, env keys', async () => {
    const repo = everydaySetup(t);
    expect((await statusJson(repo, { AWS_BEARER_TOKEN_BEDROCK: 'bk-SECRET' })).auth.kind).toBe(
      'bearer-token',
    );
    writeFileSync(join(repo, '.claude/settings.json'), '{}');
    const s = await statusJson(repo, { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'sk-SECRET' });
    expect(s.auth.kind).toBe('env-keys');
  });
});

describe('status: every stray rule, through the binary', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['consistent', { AWS_PROFILE: 'acme', AWS_REGION: 'us-east-1' }, []],
    [
      'static keys',
      { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'sk-SECRET', AWS_SESSION_TOKEN: 'st-SECRET' },
      ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
    ],
    [
      'security token',
      { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'sk-SECRET', AWS_SECURITY_TOKEN: 'st-SECRET' },
      ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECURITY_TOKEN'],
    ],
    ['another AWS_PROFILE', { AWS_PROFILE: 'personal' }, ['AWS_PROFILE']],
    ['AWS_DEFAULT_PROFILE', { AWS_DEFAULT_PROFILE: 'personal' }, ['AWS_DEFAULT_PROFILE']],
    ['bearer token', { AWS_BEARER_TOKEN_BEDROCK: 'bk-SECRET' }, ['AWS_BEARER_TOKEN_BEDROCK']],
    ['config file', { AWS_CONFIG_FILE: '/nonexistent/config' }, ['AWS_CONFIG_FILE']],
    [
      'credentials file',
      { AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' },
      ['AWS_SHARED_CREDENTIALS_FILE'],
    ],
    ['region', { AWS_REGION: 'eu-west-1' }, ['AWS_REGION']],
    ['default region', { AWS_DEFAULT_REGION: 'eu-west-1' }, ['AWS_DEFAULT_REGION']],
  ];
  it.each(cases)('%s', async (_what, shell, names) => {
    const repo = everydaySetup(t);
    const s = await statusJson(repo, shell);
    expect(s.stray.map((f: { name: string }) => f.name)).toEqual(names);
    for (const f of s.stray) {
      expect(f.fix).toMatch(/^(unset|export) /);
      expect(f.consumers.length).toBeGreaterThan(0);
      for (const v of Object.values(shell)) if (v.includes('SECRET')) expect(f.explanation).not.toContain(v);
    }
  });

  it('human output lists each finding and one combined fix', async () => {
    const repo = everydaySetup(t);
    const r = await runCli(['status'], {
      env: {
        ...t.env,
        AWS_ACCESS_KEY_ID: 'AKIAX',
        AWS_SECRET_ACCESS_KEY: 'sk-SECRET',
        AWS_PROFILE: 'personal',
      },
      cwd: repo,
    });
    expect(r.stdout).toMatch(
      /^stray {5}! AWS_ACCESS_KEY_ID replaces profile 'personal' with static keys for /m,
    );
    expect(r.stdout).toMatch(/^fix {7}unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY$/m);
    expect(r.stdout).toMatch(/^ {10}export AWS_PROFILE=acme$/m);
    expect(r.stdout).not.toContain('sk-SECRET');
  });
});

describe('status: bad input', () => {
  it('invalid JSON in a settings file: file:line:col, the other files still resolve, exit 0', async () => {
    const repo = everydaySetup(t);
    const bad = join(repo, '.claude/settings.json');
    writeFileSync(bad, '{\n  "env": { "AWS_PROFILE": "acme" \n}\n');
    const s = await statusJson(repo);
    const file = s.settingsFiles.find((f: { file: string }) => f.file === bad);
    expect(file.status).toBe('invalid');
    expect(file.error).toMatch(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:4:1: invalid JSON: `));
    expect(s.region.value).toBe('us-east-1');
    expect(s.bedrock.enabled).toBe(true);
    const human = await runCli(['status'], { env: t.env, cwd: repo });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^invalid {3}.*settings\.json:4:1: invalid JSON: /m);
  });

  it('a directory instead of the user settings file: reported, exit 0', async () => {
    t.mkdir('.claude/settings.json');
    const s = await statusJson(t.mkdir('x'));
    expect(s.settingsFiles.find((f: { scope: string }) => f.scope === 'user')).toMatchObject({
      status: 'invalid',
    });
    expect(s.settingsFiles.find((f: { scope: string }) => f.scope === 'user').error).toMatch(
      /is not a regular file/,
    );
  });

  it('HOME missing: one line, exit 4, no stack trace', async () => {
    const { HOME: _, ...env } = t.env;
    const r = await runCli(['status'], { env, cwd: t.root });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'bedrock-profile: HOME is not set; set HOME to your home directory and run the command again\n',
    );
  });

  it('a working directory that does not exist: exit 4 with the fix', async () => {
    const r = await runMain(['status'], { env: t.env, cwd: join(t.root, 'gone') });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/gone: does not exist; run the command from an existing directory\n$/);
  });

  it('an unreadable AWS config: a note, the rest still reported', async () => {
    const repo = everydaySetup(t);
    t.mkdir('elsewhere/config');
    const s = await statusJson(repo, { AWS_CONFIG_FILE: join(t.home, 'elsewhere/config') });
    expect(s.profile.name).toBe('acme');
    expect(s.notes.join('\n')).toMatch(/elsewhere\/config/);
  });
});

describe('status: start-up', () => {
  it('loads no AWS SDK client (only @smithy/shared-ini-file-loader and its helpers)', () => {
    const repo = everydaySetup(t);
    writeCorpToken(t, Date.now() + 3_600_000);
    // A preload that dumps the CommonJS module cache on exit (ESM imports of CJS packages land there too).
    const preload = t.write(
      join(t.root, 'dump.cjs'),
      "process.on('exit', () => require('fs').writeFileSync(process.env.DUMP, Object.keys(require.cache).join('\\n')));",
    );
    const dump = join(t.root, 'modules.txt');
    const r = spawnSync(process.execPath, ['--require', preload, BIN, 'status'], {
      env: { ...t.env, DUMP: dump },
      cwd: repo,
    });
    expect(r.status).toBe(0);
    const modules = readFileSync(dump, 'utf8').split('\n');
    expect(modules.some((m) => m.includes('shared-ini-file-loader'))).toBe(true);
    expect(modules.filter((m) => m.includes('@aws-sdk/'))).toEqual([]);
  });
});
