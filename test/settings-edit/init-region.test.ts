/**
 * `init` without --region: the settings' AWS_REGION if there is one, else the profile's own region, which
 * Claude Code (>= 2.1.172) reads itself, so init does not pin it in AWS_REGION (test/conformance checks the
 * reading against the real binary). With neither, it asks for --region.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let home: TempHome;
afterEach(() => home?.cleanup());

const settings = () => JSON.parse(readFileSync(join(home.home, '.claude', 'settings.json'), 'utf8'));

describe('init and the region', () => {
  test("the profile's region: no --region needed, AWS_REGION not written", async () => {
    home = makeTempHome();
    home.write(
      '.aws/config',
      '[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    const r = await runCli(['init', '--profile', 'dev'], { env: home.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'region: eu-west-1 from the profile (Claude Code reads it; AWS_REGION is not set)',
    );
    expect(settings()).toEqual({ env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_PROFILE: 'dev' } });
  });

  test('the shell AWS_PROFILE names the profile when --profile is not given', async () => {
    home = makeTempHome();
    home.write('.aws/config', '[profile shop]\nregion = ap-southeast-2\n');
    const r = await runCli(['init'], { env: { ...home.env, AWS_PROFILE: 'shop' } });
    expect(r.code).toBe(0);
    expect(settings()).toEqual({ env: { CLAUDE_CODE_USE_BEDROCK: '1' } });
  });

  test('an AWS_REGION already in the settings is kept', async () => {
    home = makeTempHome();
    home.write('.claude/settings.json', { env: { AWS_REGION: 'us-west-2' } });
    home.write('.aws/config', '[default]\nregion = eu-west-1\n');
    const r = await runCli(['init'], { env: home.env });
    expect(r.code).toBe(0);
    expect(settings().env).toEqual({ AWS_REGION: 'us-west-2', CLAUDE_CODE_USE_BEDROCK: '1' });
  });

  test('no region anywhere: a usage error that names --region', async () => {
    home = makeTempHome();
    const r = await runCli(['init'], { env: home.env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'no region given, none in the user settings and none in the profile; pass --region',
    );
  });
});
