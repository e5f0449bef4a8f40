/**
 * The guide's troubleshooting table as real setups in temp homes, run as the real CLI: doctor names the
 * cause and the fix for each row. (AccessDeniedException needs AWS: see live.test.ts.)
 */
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { daemonLockFile } from '../../src/daemon/daemon-state.js';
import { tryAcquireLock } from '../../src/fs/lock.js';
import { resolvePaths } from '../../src/platform/paths.js';
import { awsBinary } from '../support/aws-cli.js';
import { runCli, runMain } from '../support/run-cli.js';
import { type GuideHome, makeGuideHome, USER_SETTINGS } from './setup-home.js';

let home: GuideHome;
afterEach(() => home?.cleanup());

interface Line {
  status: string;
  title: string;
  detail: string;
  fix?: string;
}

/** Parse doctor's text output back into lines (status, title, detail, fix). */
function parseText(out: string): Line[] {
  const lines: Line[] = [];
  for (const raw of out.split('\n')) {
    const m = /^(pass|warn|fail|skip)\s{2,}(.+?)\s{2,}(.*)$/.exec(raw);
    if (m) lines.push({ status: m[1]!, title: m[2]!, detail: m[3]! });
    const f = /^\s+fix: (.*)$/.exec(raw);
    if (f && lines.length) lines[lines.length - 1]!.fix = f[1]!;
  }
  return lines;
}

const line = (out: string, title: string) => parseText(out).find((l) => l.title === title);

async function doctor(args: string[] = [], cwd?: string) {
  return runCli(['doctor', ...args], { env: home.env, cwd: cwd ?? home.repo });
}

describe('doctor as the real CLI', () => {
  test('the guide followed: every check passes or warns, exit 0; --json has the documented shape', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    home.env.BEDROCK_PROFILE_HOOK = 'zsh';
    const r = await doctor();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = parseText(r.stdout);
    expect(lines.filter((l) => l.status === 'fail')).toEqual([]);
    expect(line(r.stdout, 'Claude Code installed')?.detail).toBe('claude 2.1.328');
    expect(line(r.stdout, 'AWS CLI v2')?.detail).toBe('aws-cli 2.27.50');
    expect(line(r.stdout, 'AWS profile')?.detail).toBe(
      'dev from ~/src/shop/.claude/settings.json (sso, sso-session corp)',
    );
    expect(line(r.stdout, 'SSO session')?.detail).toMatch(
      /^corp: session end unknown \(signed in before bedrock-profile was watching; known from the next sign-in\), refreshable$/,
    );
    expect(line(r.stdout, 'daemon')?.status).toBe('warn');
    // Aligned: every detail starts in the same column.
    const statusLines = r.stdout.split('\n').filter((l) => /^(pass|warn|fail|skip) /.test(l));
    const starts = statusLines.map((raw, i) => raw.lastIndexOf(lines[i]!.detail));
    expect(new Set(starts).size).toBe(1);
    expect(r.stdout).toMatch(/\n\d+ passed, \d+ warnings, 0 failed, \d+ skipped\n$/);
    expect(r.stdout).not.toContain('\x1b[');

    const j = await doctor(['--json']);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout);
    expect(doc.schema).toBe(1);
    expect(doc.ok).toBe(true);
    expect(doc.live).toBe(false);
    expect(doc.counts.fail).toBe(0);
    const ids = doc.checks.map((c: { id: string }) => c.id);
    expect(ids).toEqual([
      'claude',
      'aws-cli',
      'settings-files',
      'use-bedrock',
      'region',
      'profile',
      'auth-method',
      'sso-session',
      'legacy-sso',
      'last-sign-in',
      'stray-variables',
      'ignored-settings',
      'auth-refresh',
      'claude-login',
      'model:ANTHROPIC_MODEL',
      'daemon',
      'hook',
      'claude-integration',
    ]);
    for (const c of doc.checks) {
      expect(Object.keys(c)).toEqual(['id', 'title', 'status', 'detail', 'fix']);
      expect(['pass', 'warn', 'fail', 'skip']).toContain(c.status);
    }
  });

  test('row 1a: SSO login works but Claude fails: signed in to another profile (profile mismatch)', async () => {
    home = makeGuideHome();
    home.signIn('corp', -30 * 60_000, { refreshable: false, ageMs: 9 * 3_600_000 });
    home.signIn('corp-prod', 8 * 3_600_000, { ageMs: 60_000 });
    const r = await doctor();
    expect(r.code).toBe(1);
    const l = line(r.stdout, 'last sign-in');
    expect(l?.status).toBe('fail');
    expect(l?.detail).toBe(
      'you last signed in to corp-prod (profile prod), but Claude Code here uses profile dev, session corp, whose token is expired: profile mismatch',
    );
    expect(l?.fix).toBe(
      'aws sso login --profile dev   (or make the repo use the other profile: bedrock-profile use prod)',
    );
    expect(line(r.stdout, 'SSO session')?.fix).toBe('aws sso login --profile dev');
  });

  test('row 1b: SSO login works but Claude fails: stale keys in the environment override it', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    // Pasted temporary keys, exported in the shell; Claude started in a subdirectory falls back to them.
    Object.assign(home.env, {
      AWS_ACCESS_KEY_ID: 'ASIASTALEKEY00000000',
      AWS_SECRET_ACCESS_KEY: 'stale-secret-value',
      AWS_SESSION_TOKEN: 'stale-session-token',
    });
    const r = await doctor();
    // Claude Code still starts (with the keys): a warning; `doctor --live` tells whether they still work.
    const l = line(r.stdout, 'stray AWS variables');
    expect(l?.status).toBe('warn');
    expect(l?.detail).toContain('AWS_ACCESS_KEY_ID replaces profile');
    expect(l?.fix).toBe('unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN');
    for (const secret of [
      'ASIASTALEKEY00000000',
      'stale-secret-value',
      'stale-session-token',
      'access-corp',
      'refresh-corp',
      'secret-corp',
    ]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  test('row 2: no AWS_REGION in the settings: Claude Code (>= 2.1.172) signs for AWS_DEFAULT_REGION', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    home.write('.claude/settings.json', { ...USER_SETTINGS, env: { CLAUDE_CODE_USE_BEDROCK: '1' } });
    home.env.AWS_DEFAULT_REGION = 'us-west-2';
    const r = await doctor();
    const l = line(r.stdout, 'region');
    expect(l?.status).toBe('warn');
    expect(l?.detail).toBe(
      'us-west-2 from AWS_DEFAULT_REGION in this shell only: Claude Code started elsewhere (an IDE, another terminal) uses another region',
    );
    expect(l?.fix).toBe('bedrock-profile init --region us-west-2');
    // Without it, the profile's region (us-east-1 here) is what Claude Code signs for.
    delete home.env.AWS_DEFAULT_REGION;
    const r2 = await doctor();
    expect(line(r2.stdout, 'region')?.status).toBe('pass');
    expect(line(r2.stdout, 'region')?.detail).toMatch(
      /^us-east-1 from profile \S+'s region in ~\/\.aws\/config/,
    );
  });

  test('row 4: every message fails: ANTHROPIC_MODEL is not a Bedrock id, or does not fit the region', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    home.write('.claude/settings.json', {
      ...USER_SETTINGS,
      env: { ...USER_SETTINGS.env, ANTHROPIC_MODEL: 'claude-sonnet-4-6' },
    });
    const r = await doctor();
    expect(r.code).toBe(1);
    const l = line(r.stdout, 'ANTHROPIC_MODEL');
    expect(l?.status).toBe('fail');
    expect(l?.detail).toContain('it is an Anthropic API model name');
    expect(l?.detail).toContain('every message fails');
    expect(l?.fix).toMatch(/^bedrock-profile models --pin us\.anthropic\.claude-sonnet-4-6 /);

    home.write('.claude/settings.json', {
      ...USER_SETTINGS,
      env: { ...USER_SETTINGS.env, AWS_REGION: 'eu-central-1' },
    });
    const r2 = await doctor();
    const l2 = line(r2.stdout, 'ANTHROPIC_MODEL');
    expect(l2?.status).toBe('fail');
    expect(l2?.detail).toContain('a us. inference profile cannot be called from eu-central-1');
    expect(l2?.fix).toMatch(/^bedrock-profile models --pin eu\.anthropic\.claude-sonnet-4-6 /);
  });

  test('row 5: /login does not behave: Bedrock is not switched on, and an Anthropic login lingers', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    home.write('.claude/settings.json', { env: { AWS_REGION: 'us-east-1' } });
    // ~/.claude.json also holds project history: several MiB for heavy users.
    const projects = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [`/home/ana/p${i}`, { history: 'x'.repeat(1000) }]),
    );
    home.write('.claude.json', { oauthAccount: { emailAddress: 'ana@example.com' }, projects });
    const r = await doctor();
    expect(r.code).toBe(1);
    const login = line(r.stdout, 'sign-in method');
    expect(login?.status).toBe('fail');
    expect(login?.detail).toBe(
      'without CLAUDE_CODE_USE_BEDROCK=1, /login signs in to an Anthropic account, not to AWS',
    );
    // The profile has a region: init needs no --region.
    expect(login?.fix).toBe('bedrock-profile init');
    expect(line(r.stdout, 'CLAUDE_CODE_USE_BEDROCK')?.status).toBe('fail');

    // Switched on, the leftover Anthropic login is named with the AWS way to sign in.
    home.write('.claude/settings.json', USER_SETTINGS);
    const r2 = await doctor();
    const l2 = line(r2.stdout, 'sign-in method');
    expect(l2?.status).toBe('warn');
    expect(l2?.detail).toContain('on Bedrock /login is not used: sign in with aws sso login --profile dev');
  });

  test('awsAuthRefresh misplaced in ~/.claude.json; invalid JSON in a settings file named with file:line:col', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    const { awsAuthRefresh: _, ...withoutRefresh } = USER_SETTINGS;
    home.write('.claude/settings.json', withoutRefresh);
    home.write('.claude.json', { awsAuthRefresh: 'aws sso login --profile dev' });
    home.write('src/shop/.claude/settings.local.json', '{\n  "env": {\n    "AWS_PROFILE": "dev"\n  \n');
    const r = await doctor();
    expect(r.code).toBe(1);
    const ar = line(r.stdout, 'awsAuthRefresh');
    expect(ar?.status).toBe('fail');
    expect(ar?.detail).toBe(
      'awsAuthRefresh is in ~/.claude.json, which Claude Code does not read settings from',
    );
    const sf = line(r.stdout, 'settings files valid');
    expect(sf?.status).toBe('fail');
    expect(sf?.detail).toContain(`${join(home.repo, '.claude', 'settings.local.json')}:5:1: invalid JSON`);
    // The other files still count: the profile still resolves from the project file.
    expect(line(r.stdout, 'AWS profile')?.status).toBe('pass');
  });

  test('the real aws CLI here is v1: the check fails with "install AWS CLI v2"; the version is cached per binary', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    rmSync(join(home.binDir, 'aws'));
    home.env.PATH = `${home.binDir}:${dirname(awsBinary())}:/usr/bin:/bin`;
    const r = await doctor();
    const l = line(r.stdout, 'AWS CLI v2');
    expect(l?.status).toBe('fail');
    expect(l?.detail).toMatch(/^aws-cli 1\.\d+\.\d+ is v1, which has no `aws sso login`$/);
    expect(l?.fix).toContain('install AWS CLI v2');
    const cache = join(home.home, '.cache', 'bedrock-profile', 'tool-versions.json');
    expect(readFileSync(cache, 'utf8')).toMatch(/"version": "1\.\d+\.\d+"/);
    // The second run reads the cache: same answer without starting Python.
    const again = await doctor();
    expect(line(again.stdout, 'AWS CLI v2')?.detail).toBe(l?.detail);
  });

  test('the tool-version cache is keyed on the binary: same file, same answer; a changed file is probed again', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    const aws = join(home.binDir, 'aws');
    // Whole seconds: utimes takes float seconds, and a restored millisecond mtime can come back 1 ms off.
    const t0 = Math.floor(Date.now() / 1000) - 60;
    utimesSync(aws, t0, t0);
    const first = await doctor();
    expect(line(first.stdout, 'AWS CLI v2')?.detail).toBe('aws-cli 2.27.50');
    // Same size and mtime: the cached answer stands (the program is not started).
    writeFileSync(aws, readFileSync(aws, 'utf8').replace('2.27.50', '2.31.99'));
    utimesSync(aws, t0, t0);
    expect(line((await doctor()).stdout, 'AWS CLI v2')?.detail).toBe('aws-cli 2.27.50');
    // An upgrade changes the mtime: probed again.
    utimesSync(aws, t0 + 30, t0 + 30);
    expect(line((await doctor()).stdout, 'AWS CLI v2')?.detail).toBe('aws-cli 2.31.99');
  });

  test('colour only on a TTY with NO_COLOR unset; usage errors exit 2', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    const { NO_COLOR: _, ...env } = home.env;
    const tty = await runMain(['doctor'], { env, cwd: home.repo, tty: true });
    expect(tty.stdout).toContain('\x1b[32mpass\x1b[0m');
    const noColor = await runMain(['doctor'], { env: home.env, cwd: home.repo, tty: true });
    expect(noColor.stdout).not.toContain('\x1b[');
    const pipe = await runMain(['doctor'], { env, cwd: home.repo, tty: false });
    expect(pipe.stdout).not.toContain('\x1b[');
    const bad = await doctor(['--frobnicate']);
    expect(bad.code).toBe(2);
  });

  test('the hook: active when its marker is exported; else found in ~/.zshrc, or not installed', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    const none = await doctor();
    expect(line(none.stdout, 'shell hook')?.fix).toBe(
      'add `eval "$(bedrock-profile hook zsh)"` to ~/.zshrc (or run bedrock-profile install), then open a new shell',
    );
    home.write('.zshrc', 'export EDITOR=vim\neval "$(bedrock-profile hook zsh)"\n');
    const installed = await doctor();
    expect(line(installed.stdout, 'shell hook')?.detail).toBe(
      'loaded by ~/.zshrc, but not seen in this shell (no BEDROCK_PROFILE_HOOK exported)',
    );
    home.env.BEDROCK_PROFILE_HOOK = 'zsh';
    const active = await doctor();
    expect(line(active.stdout, 'shell hook')).toMatchObject({ status: 'pass', detail: 'active (zsh)' });
  });

  test('the daemon: running when a live process holds its lock', async () => {
    home = makeGuideHome();
    home.signIn('corp', 6 * 3_600_000);
    const off = await doctor();
    expect(line(off.stdout, 'daemon')?.status).toBe('warn');
    const paths = resolvePaths(home.env);
    mkdirSync(paths.stateDir, { recursive: true });
    const got = await tryAcquireLock(daemonLockFile(paths), 'daemon', Date.now());
    expect(got.acquired).toBe(true);
    const on = await doctor();
    expect(line(on.stdout, 'daemon')).toMatchObject({
      status: 'pass',
      detail: `running (pid ${process.pid})`,
    });
  });

  test('a Bedrock API key is recognised by name, its value never printed', async () => {
    home = makeGuideHome();
    home.write('.claude/settings.json', {
      ...USER_SETTINGS,
      env: { ...USER_SETTINGS.env, AWS_BEARER_TOKEN_BEDROCK: 'ABSKbedrockkeyvalue1234' },
    });
    const r = await doctor(['--json']);
    const doc = JSON.parse(r.stdout);
    const auth = doc.checks.find((c: { id: string }) => c.id === 'auth-method');
    expect(auth.detail).toContain('Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)');
    expect(doc.checks.find((c: { id: string }) => c.id === 'sso-session').status).toBe('skip');
    expect(r.stdout).not.toContain('ABSKbedrockkeyvalue1234');
  });
});
