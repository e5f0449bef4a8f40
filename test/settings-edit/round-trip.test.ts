/**
 * Every settings edit, run as the real CLI on real-world settings files (permissions, hooks, plugins,
 * `$schema`, unknown keys, tabs, CRLF, one-line JSON): only the intended keys change, byte for byte.
 */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'settings');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let home: TempHome;
afterEach(() => home?.cleanup());

beforeAll(async () => {
  // The CLI tests run the built bin: make sure dist/ exists (npm test builds first).
  expect(existsSync(join(import.meta.dirname, '..', '..', 'dist', 'cli.js'))).toBe(true);
});

describe('init', () => {
  test('adds env and awsAuthRefresh at the end of a file full of other settings; backup and mode kept', async () => {
    home = makeTempHome();
    const original = fixture('user-settings.json');
    const file = home.write('.claude/settings.json', original);
    chmodSync(file, 0o600);
    home.write('.aws/credentials', '[dev]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
    const r = await runCli(
      [
        'init',
        '--region',
        'us-east-1',
        '--profile',
        'dev',
        '--model',
        'us.anthropic.claude-sonnet-4-6',
        '--auth-refresh',
      ],
      { env: home.env },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = original.replace(
      '"x-team-note": "managed by dotfiles; keep keys sorted by hand"\n}',
      [
        '"x-team-note": "managed by dotfiles; keep keys sorted by hand",',
        '  "env": {',
        '    "CLAUDE_CODE_USE_BEDROCK": "1",',
        '    "AWS_REGION": "us-east-1",',
        '    "AWS_PROFILE": "dev",',
        '    "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-6"',
        '  },',
        '  "awsAuthRefresh": "bedrock-profile login"',
        '}',
      ].join('\n'),
    );
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(original);
    expect(statSync(`${file}.bak`).mode & 0o777).toBe(0o600);
    expect(r.stdout).toContain(`wrote ${file} (previous version saved as ${file}.bak)`);

    // Again with the same values: nothing to do, nothing written, the backup still holds the original.
    const again = await runCli(['init', '--region', 'us-east-1', '--profile', 'dev', '--auth-refresh'], {
      env: home.env,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already up to date; nothing written');
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(original);
  });

  test('replaces values in place in a 4-space file and appends the missing variable to env', async () => {
    home = makeTempHome();
    const original = fixture('user-settings-with-env.json');
    const file = home.write('.claude/settings.json', original);
    const r = await runCli(['init', '--region', 'eu-west-1', '--auth-refresh'], { env: home.env });
    expect(r.code).toBe(0);
    const expected = original
      .replace('"AWS_REGION": "us-west-2"', '"AWS_REGION": "eu-west-1"')
      .replace(
        '"BASH_DEFAULT_TIMEOUT_MS": "300000"',
        '"BASH_DEFAULT_TIMEOUT_MS": "300000",\n        "CLAUDE_CODE_USE_BEDROCK": "1"',
      )
      .replace('"aws sso login --profile $AWS_PROFILE"', '"bedrock-profile login"');
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  test('keeps the region already in the file when --region is not given; creates ~/.claude with 0700', async () => {
    home = makeTempHome();
    const r0 = await runCli(['init'], { env: home.env });
    expect(r0.code).toBe(2);
    expect(r0.stderr).toContain('pass --region');
    const r1 = await runCli(['init', '--region', 'ap-northeast-1'], { env: home.env });
    expect(r1.code).toBe(0);
    const file = join(home.home, '.claude', 'settings.json');
    expect(statSync(join(home.home, '.claude')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toBe(
      '{\n  "env": {\n    "CLAUDE_CODE_USE_BEDROCK": "1",\n    "AWS_REGION": "ap-northeast-1"\n  }\n}\n',
    );
    expect(existsSync(`${file}.bak`)).toBe(false);
    const r2 = await runCli(['init', '--profile', 'ops'], { env: home.env });
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain(`warning: profile ops is not in ${join(home.home, '.aws', 'config')}`);
    expect(readFileSync(file, 'utf8')).toContain('"AWS_REGION": "ap-northeast-1",\n    "AWS_PROFILE": "ops"');
  });

  test('--dry-run prints the unified diff and writes nothing', async () => {
    home = makeTempHome();
    const original = fixture('user-settings-with-env.json');
    const file = home.write('.claude/settings.json', original);
    const before = statSync(file).mtimeMs;
    const r = await runCli(['init', '--region', 'eu-west-1', '--dry-run'], { env: home.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `--- ${file}`,
        `+++ ${file}`,
        '@@ -2,8 +2,9 @@',
        '     "$schema": "https://json.schemastore.org/claude-code-settings.json",',
        '     "env": {',
        '         "DISABLE_TELEMETRY": "1",',
        '-        "AWS_REGION": "us-west-2",',
        '-        "BASH_DEFAULT_TIMEOUT_MS": "300000"',
        '+        "AWS_REGION": "eu-west-1",',
        '+        "BASH_DEFAULT_TIMEOUT_MS": "300000",',
        '+        "CLAUDE_CODE_USE_BEDROCK": "1"',
        '     },',
        '     "permissions": {',
        '         "allow": [',
        'dry run: nothing written',
        '',
      ].join('\n'),
    );
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(statSync(file).mtimeMs).toBe(before);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  test('invalid JSON is refused with file:line:col and nothing is touched', async () => {
    home = makeTempHome();
    const broken = '{\n  "env": {\n    "AWS_REGION": "us-east-1",\n  }\n}\n';
    const file = home.write('.claude/settings.json', broken);
    const r = await runCli(['init', '--region', 'us-east-1'], { env: home.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${file}:4:3: invalid JSON`);
    expect(r.stderr).not.toContain('    at ');
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  test('a non-object env is refused with the key named', async () => {
    home = makeTempHome();
    const file = home.write('.claude/settings.json', '{"env": "CLAUDE_CODE_USE_BEDROCK=1"}\n');
    const r = await runCli(['init', '--region', 'us-east-1'], { env: home.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${file}: env: is not a JSON object`);
    expect(readFileSync(file, 'utf8')).toBe('{"env": "CLAUDE_CODE_USE_BEDROCK=1"}\n');
  });

  test('a symlinked settings file (dotfiles) is edited at its target and stays a link', async () => {
    home = makeTempHome();
    const target = home.write('dotfiles/claude/settings.json', fixture('user-settings-with-env.json'));
    mkdirSync(join(home.home, '.claude'));
    const link = join(home.home, '.claude', 'settings.json');
    symlinkSync(target, link);
    const r = await runCli(['init', '--region', 'us-east-2'], { env: home.env });
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toContain('"AWS_REGION": "us-east-2"');
    expect(readFileSync(`${target}.bak`, 'utf8')).toBe(fixture('user-settings-with-env.json'));
  });

  test('a settings directory that cannot be created: exit 4 with the file named, no stack', async () => {
    home = makeTempHome();
    const notADir = home.write('claude-config', 'a file, not a directory\n');
    const r = await runCli(['init', '--region', 'us-east-1'], {
      env: { ...home.env, CLAUDE_CONFIG_DIR: notADir },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      new RegExp(`^bedrock-profile: ${notADir}/settings\\.json: cannot be written \\(`),
    );
    expect(r.stderr).toContain('the file is unchanged');
    expect(r.stderr).not.toContain('    at ');
    expect(readFileSync(notADir, 'utf8')).toBe('a file, not a directory\n');
  });

  test('bad arguments are usage errors (exit 2) that name the fix', async () => {
    home = makeTempHome();
    const bad = await runCli(['init', '--region', 'mars-1'], { env: home.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an AWS region');
    const geo = await runCli(['init', '--region', 'eu-west-1', '--model', 'us.anthropic.claude-sonnet-4-6'], {
      env: home.env,
    });
    expect(geo.code).toBe(2);
    expect(geo.stderr).toContain('use --model eu.anthropic.claude-sonnet-4-6');
    const name = await runCli(['init', '--region', 'eu-west-1', '--model', 'claude-sonnet-4-6'], {
      env: home.env,
    });
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('Anthropic API model name');
    const prof = await runCli(['init', '--region', 'eu-west-1', '--profile', 'a;rm -rf ~'], {
      env: home.env,
    });
    expect(prof.code).toBe(2);
    expect(existsSync(join(home.home, '.claude', 'settings.json'))).toBe(false);
  });
});

describe('use', () => {
  test('writes AWS_PROFILE into .claude/settings.json of the current directory (tabs, CRLF kept)', async () => {
    home = makeTempHome();
    home.mkdir('repo/.git');
    home.write(
      '.aws/config',
      '[profile dev]\nregion = us-east-1\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    const original = fixture('project-settings-tabs-crlf.json');
    const file = home.write('repo/.claude/settings.json', original);
    const r = await runCli(['use', 'dev'], { env: home.env, cwd: join(home.home, 'repo') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      '{\r\n\t"permissions": {\r\n\t\t"allow": ["Bash(make:*)"]\r\n\t},\r\n\t"env": {\r\n\t\t"AWS_PROFILE": "dev"\r\n\t}\r\n}\r\n',
    );
    expect(r.stdout).toContain('next: run `bedrock-profile allow`');
    // The backup is ours, in the state directory: never a `.bak` in the repo to be committed by accident.
    expect(existsSync(`${file}.bak`)).toBe(false);
    const backup = join(
      home.home,
      '.local/state/bedrock-profile/backups',
      `${file.replace(/\//g, '%2F')}.bak`,
    );
    expect(readFileSync(backup, 'utf8')).toBe(original);
    expect(r.stdout).toContain(`(previous version saved as ${backup})`);
  });

  test('--local writes settings.local.json at the git root, one-line JSON stays one line; unknown profile warns', async () => {
    home = makeTempHome();
    home.mkdir('repo/.git');
    home.mkdir('repo/src/deep');
    const original = fixture('project-settings-compact.json');
    const file = home.write('repo/.claude/settings.local.json', original);
    const r = await runCli(['use', 'prod-admin', '--local'], {
      env: home.env,
      cwd: join(home.home, 'repo', 'src', 'deep'),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: profile prod-admin is not in');
    expect(r.stderr).toContain('aws configure sso --profile prod-admin');
    expect(readFileSync(file, 'utf8')).toBe(
      original.replace(
        '"env": {"NODE_ENV": "development"}',
        '"env": {"NODE_ENV": "development", "AWS_PROFILE": "prod-admin"}',
      ),
    );
  });

  test('use in the home directory refuses to turn the user settings into repo settings', async () => {
    home = makeTempHome();
    const r = await runCli(['use', 'dev'], { env: home.env, cwd: home.home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'is your user-level settings file; for a default profile everywhere run `bedrock-profile init --profile dev`',
    );
    expect(existsSync(join(home.home, '.claude', 'settings.json'))).toBe(false);
  });

  test('use without --local in a subdirectory says where Claude Code reads it; --local outside a repo is a usage error', async () => {
    home = makeTempHome();
    home.mkdir('repo/.git');
    home.mkdir('repo/pkg');
    const r = await runCli(['use', 'dev'], { env: home.env, cwd: join(home.home, 'repo', 'pkg') });
    expect(r.code).toBe(0);
    expect(readFileSync(join(home.home, 'repo', 'pkg', '.claude', 'settings.json'), 'utf8')).toBe(
      '{\n  "env": {\n    "AWS_PROFILE": "dev"\n  }\n}\n',
    );
    expect(r.stdout).toContain('reads .claude/settings.json only from the directory it is started in');
    home.mkdir('plain');
    const l = await runCli(['use', 'dev', '--local'], { env: home.env, cwd: join(home.home, 'plain') });
    expect(l.code).toBe(2);
    expect(l.stderr).toContain('not in a git repository');
    const bad = await runCli(['use', '$(touch pwned)'], { env: home.env, cwd: join(home.home, 'plain') });
    expect(bad.code).toBe(2);
    expect(existsSync(join(home.home, 'plain', '.claude'))).toBe(false);
  });
});
