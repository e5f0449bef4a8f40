/**
 * `use <work-profile> --bedrock <bedrock-profile>` and `use --bedrock <profile>` as the real CLI: the two
 * keys written with the byte-preserving editor (tabs, CRLF, unknown keys kept; backup; mode; dry run),
 * and the written awsCredentialExport run the way Claude Code runs it (through a shell, bedrock-profile
 * found on PATH) prints the Bedrock profile's credentials.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { backupPath } from '../../src/settings-edit/edit-settings-file.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { BIN, runCli, runProcess } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'settings');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const CONFIG = [
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = Dev',
  'region = us-east-1',
  '[profile ai-platform]',
  'sso_session = corp',
  'sso_account_id = 444455556666',
  'sso_role_name = Bedrock',
  'region = us-east-1',
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  'sso_region = us-east-1',
  '',
].join('\n');

let home: TempHome;
let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws();
});
afterAll(async () => fake.close());
afterEach(() => home?.cleanup());

function setup(): string {
  home = makeTempHome('bp-use-bedrock-');
  writeAwsConfig(home, CONFIG);
  home.mkdir('repo/.git');
  return join(home.home, 'repo');
}

describe('use --bedrock', () => {
  test('writes env.AWS_PROFILE and awsCredentialExport into the repo file, every other byte kept', async () => {
    const repo = setup();
    const original = fixture('project-settings-tabs-crlf.json');
    const file = home.write('repo/.claude/settings.json', original);
    chmodSync(file, 0o640);
    const r = await runCli(['use', 'dev', '--bedrock', 'ai-platform'], { env: home.env, cwd: repo });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      '{\r\n\t"permissions": {\r\n\t\t"allow": ["Bash(make:*)"]\r\n\t},\r\n\t"env": {\r\n\t\t"AWS_PROFILE": "dev"\r\n\t},\r\n\t"awsCredentialExport": "bedrock-profile export --profile ai-platform"\r\n}\r\n',
    );
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // The backup is in our state directory, never in the repo (docs/messages.md).
    expect(existsSync(`${file}.bak`)).toBe(false);
    expect(
      readFileSync(backupPath(file, join(home.home, '.local/state/bedrock-profile/backups')), 'utf8'),
    ).toBe(original);
    expect(r.stdout).toContain(
      `Claude Code started in ${repo} now signs Bedrock with AWS profile ai-platform; the agent's AWS commands use dev`,
    );
    // Again: nothing changes.
    const again = await runCli(['use', 'dev', '--bedrock', 'ai-platform'], { env: home.env, cwd: repo });
    expect(again.stdout).toContain('already up to date; nothing written');
  });

  test('--local and --dry-run: the diff of both keys, nothing written', async () => {
    const repo = setup();
    const r = await runCli(['use', 'dev', '--bedrock', 'ai-platform', '--local', '--dry-run'], {
      env: home.env,
      cwd: repo,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+  "awsCredentialExport": "bedrock-profile export --profile ai-platform"');
    expect(r.stdout).toContain('+    "AWS_PROFILE": "dev"');
    expect(r.stdout).toContain('dry run: nothing written');
    expect(existsSync(join(repo, '.claude'))).toBe(false);
  });

  test('--bedrock alone: the user settings (unknown keys kept), the default for every repo', async () => {
    setup();
    const original = fixture('user-settings.json');
    const file = home.write('.claude/settings.json', original);
    const r = await runCli(['use', '--bedrock', 'ai-platform'], { env: home.env, cwd: home.home });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(JSON.parse(after)).toEqual({
      ...JSON.parse(original),
      awsCredentialExport: 'bedrock-profile export --profile ai-platform',
    });
    // Byte for byte the old file, plus the one inserted property.
    expect(after.replace(/,\n\s*"awsCredentialExport": "[^"]*"/, '')).toBe(original);
    expect(r.stdout).toContain('now signs Bedrock with AWS profile ai-platform in every repo');
  });

  test('bad input: no profile at all, an invalid --bedrock name, --bedrock alone with --local; nothing written', async () => {
    const repo = setup();
    const none = await runCli(['use'], { env: home.env, cwd: repo });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name the profile: `bedrock-profile use <profile>`');
    const bad = await runCli(['use', 'dev', '--bedrock', '$(touch pwned)'], { env: home.env, cwd: repo });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a valid profile name');
    const local = await runCli(['use', '--bedrock', 'ai-platform', '--local'], { env: home.env, cwd: repo });
    expect(local.code).toBe(2);
    expect(existsSync(join(repo, '.claude'))).toBe(false);
    expect(existsSync(join(home.home, '.claude'))).toBe(false);
    expect(existsSync(join(repo, 'pwned'))).toBe(false);
    const unknown = await runCli(['use', 'dev', '--bedrock', 'nosuch'], { env: home.env, cwd: repo });
    expect(unknown.code).toBe(0);
    expect(unknown.stderr).toContain('warning: profile nosuch is not in');
  });

  test('the written command, run through a shell as Claude Code runs it, prints the Bedrock credentials', async () => {
    const repo = setup();
    const t = fake.issueToken({ ttlSeconds: 3600 });
    writeSsoCache(home, 'corp', { ...t, region: 'us-east-1', startUrl: 'https://corp.awsapps.com/start' });
    await runCli(['use', 'dev', '--bedrock', 'ai-platform'], { env: home.env, cwd: repo });
    const cmd = JSON.parse(readFileSync(join(repo, '.claude', 'settings.json'), 'utf8')).awsCredentialExport;
    const bin = join(home.root, 'bin');
    mkdirSync(bin);
    symlinkSync(BIN, join(bin, 'bedrock-profile'));
    const r = await runProcess('sh', ['-c', cmd], {
      env: { ...home.env, ...fake.endpointEnv(), PATH: `${bin}:${process.env.PATH}`, AWS_PROFILE: 'dev' },
      cwd: repo,
    });
    expect(r.stderr).toBe('');
    const c = JSON.parse(r.stdout);
    expect(fake.identityOf(c.AccessKeyId)?.account).toBe('444455556666');
  });
});
