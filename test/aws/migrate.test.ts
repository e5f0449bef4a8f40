/**
 * `migrate` on real-world config files: the rewrite keeps every other byte (comments, order, other
 * profiles, CRLF, a missing final newline), is idempotent, and botocore (the real `aws` CLI) resolves
 * every migrated profile to the same account and role as before, through the fake's GetRoleCredentials
 * and STS: before with the legacy cache key, after with the token `migrate` carried to the new key.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyProfiles, migrateConfig } from '../../src/core/migrate-config.js';
import { unifiedDiff } from '../../src/settings-edit/unified-diff.js';
import { runAws } from '../support/aws-cli.js';
import { writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { runCli } from '../support/run-cli.js';
import { makeTempHome } from '../support/temp-home.js';

/** Config files as people have them: `aws configure sso` before CLI 2.9, hand edits, Windows, tools. */
const FILES: Record<string, string> = {
  'aws configure sso (CLI < 2.9), two accounts': [
    '[default]',
    'region = us-west-2',
    'output = json',
    '',
    '[profile my-dev-profile]',
    'sso_start_url = https://my-sso-portal.awsapps.com/start',
    'sso_region = us-east-1',
    'sso_account_id = 123456789011',
    'sso_role_name = readOnly',
    'region = us-west-2',
    'output = json',
    '',
    '[profile my-prod-profile]',
    'sso_start_url = https://my-sso-portal.awsapps.com/start',
    'sso_region = us-east-1',
    'sso_account_id = 123456789022',
    'sso_role_name = AdministratorAccess',
    'region = eu-west-1',
    '',
  ].join('\n'),
  'hand-edited: comments, nested s3 keys, keys in another order, no final newline': [
    '# managed by hand -- do not delete',
    '[profile data]',
    '; the data team account',
    'region = eu-central-1',
    'sso_account_id = 210987654321',
    's3 =',
    '    max_concurrent_requests = 20',
    'sso_role_name = DataEngineer',
    'sso_region = eu-central-1',
    'sso_start_url = https://d-90679a1b2c.awsapps.com/start/',
    '',
    '[profile static]',
    'region = us-east-1',
    '[services local-dynamo]',
    'dynamodb =',
    '  endpoint_url = http://localhost:8000',
  ].join('\n'),
  'Windows (CRLF), a legacy default profile': [
    '[default]',
    'sso_start_url = https://acme.awsapps.com/start',
    'sso_region = us-east-2',
    'sso_account_id = 333344445555',
    'sso_role_name = Developer',
    'region = us-east-2',
    '',
  ].join('\r\n'),
  'an existing sso-session for the same portal (without scopes), and a second portal in two regions': [
    '[profile modern]',
    'sso_session = acme',
    'sso_account_id = 333344445555',
    'sso_role_name = Developer',
    'region = us-east-1',
    '',
    '[sso-session acme]',
    'sso_start_url = https://acme.awsapps.com/start',
    'sso_region = us-east-1',
    '',
    '[profile old-acme]',
    'sso_start_url = https://acme.awsapps.com/start',
    'sso_region = us-east-1',
    'sso_account_id = 666677778888',
    'sso_role_name = Ops',
    'region = us-east-1',
    '',
    '[profile partner-us]',
    'sso_start_url = https://partner.awsapps.com/start',
    'sso_region = us-east-1',
    'sso_account_id = 999900001111',
    'sso_role_name = Viewer',
    'region = us-east-1',
    '',
    '[profile partner-eu]',
    'sso_start_url = https://partner.awsapps.com/start',
    'sso_region = eu-west-1',
    'sso_account_id = 999900002222',
    'sso_role_name = Viewer',
    'region = eu-west-1',
    '',
  ].join('\n'),
};

/**
 * Nothing else changed: the minimal (LCS) line diff removes only sso_start_url/sso_region lines and adds
 * only sso_session lines, the sso-session blocks and blank separators.
 */
function onlyTheMigrationChanged(before: string, after: string): void {
  const diff = unifiedDiff(before, after, 'a', 'b', 0)
    .split('\n')
    .filter((l) => /^[-+](?![-+]{2} )/.test(l));
  for (const l of diff) {
    if (l.startsWith('-')) expect(l).toMatch(/^-sso_(start_url|region) = \S+$/);
    else
      expect(l).toMatch(
        /^\+(sso_session = [\w-]+|\[sso-session [\w-]+\]|sso_start_url = \S+|sso_region = [\w-]+|sso_registration_scopes = sso:account:access|)$/,
      );
  }
  expect(diff.length).toBeGreaterThan(0);
}

describe('migrateConfig (pure) on real-world files', () => {
  it.each(Object.keys(FILES))('%s: every other byte kept, idempotent', (name) => {
    const before = FILES[name]!;
    const plan = migrateConfig(before);
    expect(plan.migrated.length).toBe(legacyProfiles(before).length);
    expect(legacyProfiles(plan.text)).toEqual([]);
    expect(migrateConfig(plan.text).text).toBe(plan.text);
    onlyTheMigrationChanged(before, plan.text);
    // Line endings: CRLF files stay CRLF throughout; LF files get no CR.
    if (before.includes('\r\n')) expect(plan.text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    else expect(plan.text).not.toContain('\r');
    expect(plan.text.endsWith('\n')).toBe(before.endsWith('\n'));
    for (const m of plan.migrated) expect(plan.text).toContain(`[sso-session ${m.session}]`);
    expect(plan.text).toContain('sso_registration_scopes = sso:account:access');
  });

  it('one sso-session per start URL and region; an existing one is reused (and given its scopes)', () => {
    const plan = migrateConfig(
      FILES[
        'an existing sso-session for the same portal (without scopes), and a second portal in two regions'
      ]!,
    );
    expect(plan.migrated.map((m) => [m.profile, m.session, m.created])).toEqual([
      ['old-acme', 'acme', false],
      ['partner-us', 'partner', true],
      ['partner-eu', 'partner-eu-west-1', true],
    ]);
    expect(plan.text).toContain(
      '[sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
    );
  });

  it('named profiles only; a name that is not legacy is skipped with the reason', () => {
    const text = FILES['aws configure sso (CLI < 2.9), two accounts']!;
    const plan = migrateConfig(text, ['my-dev-profile', 'default', 'nope']);
    expect(plan.migrated.map((m) => m.profile)).toEqual(['my-dev-profile']);
    expect(plan.text).toContain(
      '[profile my-prod-profile]\nsso_start_url = https://my-sso-portal.awsapps.com/start',
    );
    expect(plan.skipped).toEqual([
      { profile: 'default', why: 'not an SSO profile with sso_start_url and sso_region' },
      { profile: 'nope', why: 'no such profile in the config file' },
    ]);
  });
});

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws();
});
afterAll(async () => {
  await fake.close();
});

describe('migrate (the CLI) with botocore reading the result', () => {
  it.each(Object.keys(FILES))(
    '%s: every migrated profile resolves to the same account and role as before',
    async (name) => {
      const home = makeTempHome('bp-migrate-');
      const before = FILES[name]!;
      const configFile = home.write('.aws/config', before, 0o640);
      const env = {
        ...home.env,
        ...fake.endpointEnv(),
        XDG_STATE_HOME: join(home.root, 'state'),
      };
      // Signed in the legacy way: one token per start URL (botocore's legacy cache key).
      const legacy = legacyProfiles(before);
      for (const url of new Set(legacy.map((p) => p.startUrl))) {
        const t = fake.issueToken({ ttlSeconds: 3600 });
        const region = legacy.find((p) => p.startUrl === url)!.region;
        writeSsoCache(home, url, {
          accessToken: t.accessToken,
          expiresAt: t.expiresAt,
          region,
          startUrl: url,
        });
      }
      const who = async (profile: string) => {
        const r = await runAws(['sts', 'get-caller-identity', '--profile', profile, '--output', 'json'], env);
        expect(r.stderr).toBe('');
        return JSON.parse(r.stdout).Arn as string;
      };
      const beforeArns = await Promise.all(legacy.map((p) => who(p.name)));

      const dry = await runCli(['migrate', '--dry-run'], { env });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`--- ${configFile}`);
      expect(dry.stdout).toMatch(/^\+sso_session = /m);
      expect(readFileSync(configFile, 'utf8')).toBe(before);

      const r = await runCli(['migrate'], { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const after = readFileSync(configFile, 'utf8');
      expect(after).toBe(migrateConfig(before).text);
      expect(statSync(configFile).mode & 0o777).toBe(0o640);
      const backup = /backup of the previous file: (\S+)/.exec(r.stdout)![1]!;
      expect(readFileSync(backup, 'utf8')).toBe(before);

      const afterArns = await Promise.all(legacy.map((p) => who(p.name)));
      expect(afterArns).toEqual(beforeArns);
      // And it is the profile's own account and role (read by botocore from the migrated file).
      const get = async (key: string, profile: string) =>
        (await runAws(['configure', 'get', key, '--profile', profile], env)).stdout.trim();
      const expected = await Promise.all(
        legacy.map(
          async (p) =>
            `::${await get('sso_account_id', p.name)}:assumed-role/${await get('sso_role_name', p.name)}/`,
        ),
      );
      for (const [i, arn] of afterArns.entries()) expect(arn).toContain(expected[i]);
      home.cleanup();
    },
    60_000,
  );
});

describe('migrateConfig: odd files', () => {
  it('a profile section that appears twice, an empty file, a file with only comments', () => {
    const twice =
      '[profile a]\nregion = us-east-1\n\n[profile a]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = R\n';
    const plan = migrateConfig(twice);
    expect(plan.text).toBe(
      '[profile a]\nregion = us-east-1\n\n[profile a]\nsso_session = x\nsso_account_id = 111122223333\nsso_role_name = R\n\n[sso-session x]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
    );
    expect(migrateConfig('').text).toBe('');
    expect(migrateConfig('# nothing here\n').text).toBe('# nothing here\n');
  });
});
