/**
 * The AWS configuration model against real files in a temp HOME: every kind, the credentials file winning
 * per key (as the SDK merges), AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, broken files that must not
 * hang or crash, and agreement of the parsed settings with the SDK's own `parseKnownFiles`.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { externalDataInterceptor, parseKnownFiles } from '@smithy/shared-ini-file-loader';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { allProfiles, loadAwsProfiles, profileInfo, profileNames } from '../../src/aws/profiles.js';
import { resolvePaths } from '../../src/platform/paths.js';
import { writeAwsConfig, writeAwsCredentials } from '../support/aws-fixtures.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const CONFIG = `# a comment
[default]
region = us-west-2

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Dev
region = eu-west-1

[profile old]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222233334444
sso_role_name = ReadOnly

[profile chain]
role_arn = arn:aws:iam::333344445555:role/Admin
source_profile = dev

[profile envrole]
role_arn = arn:aws:iam::333344445555:role/Admin
credential_source = Environment

[profile proc]
credential_process = /bin/echo {}

[profile web]
role_arn = arn:aws:iam::333344445555:role/Web
web_identity_token_file = /tmp/web-token

[profile mixed]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Dev

[profile ghost]
sso_session = nowhere
sso_account_id = 111122223333
sso_role_name = Dev

[profile half]
sso_start_url = https://half.awsapps.com/start

[profile both]
role_arn = arn:aws:iam::333344445555:role/Admin
source_profile = dev
credential_source = Environment

[profile dangling]
role_arn = arn:aws:iam::333344445555:role/Admin
source_profile = nobody

[profile empty]
output = json

[notaprofile]
region = ignored-by-the-sdk

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

const CREDENTIALS = `[keys]
aws_access_key_id = AKIAEXAMPLEKEYS
aws_secret_access_key = secret-keys

[mixed]
aws_access_key_id = AKIAEXAMPLEMIXED
aws_secret_access_key = secret-mixed

[dev]
region = ap-southeast-2
`;

let home: TempHome;
beforeEach(() => {
  home = makeTempHome();
});
afterEach(() => home.cleanup());

const load = (env: Record<string, string> = home.env) => loadAwsProfiles(resolvePaths(env));

describe('profiles and kinds', () => {
  test('every kind, with its SSO and role settings', async () => {
    const config = writeAwsConfig(home, CONFIG);
    const creds = writeAwsCredentials(home, CREDENTIALS);
    const model = await load();
    expect(model.problems).toEqual([]);
    expect(profileNames(model)).toEqual(
      [
        'both',
        'chain',
        'dangling',
        'default',
        'dev',
        'empty',
        'envrole',
        'ghost',
        'half',
        'keys',
        'mixed',
        'old',
        'proc',
        'web',
      ].sort(),
    );
    expect(profileInfo(model, 'dev')).toEqual({
      name: 'dev',
      kind: 'sso',
      definedIn: [config, creds],
      // The credentials file wins per key, as in the SDK's mergeConfigFiles.
      region: 'ap-southeast-2',
      ssoSession: 'corp',
      ssoStartUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'us-east-1',
      ssoAccountId: '111122223333',
      ssoRoleName: 'Dev',
    });
    expect(profileInfo(model, 'old')).toEqual({
      name: 'old',
      kind: 'legacy-sso',
      definedIn: [config],
      ssoStartUrl: 'https://old.awsapps.com/start',
      ssoRegion: 'us-east-1',
      ssoAccountId: '222233334444',
      ssoRoleName: 'ReadOnly',
    });
    expect(profileInfo(model, 'chain')).toMatchObject({
      kind: 'role-chain',
      roleArn: 'arn:aws:iam::333344445555:role/Admin',
      sourceProfile: 'dev',
    });
    expect(profileInfo(model, 'chain').problems).toBeUndefined();
    expect(profileInfo(model, 'envrole')).toMatchObject({
      kind: 'role-chain',
      credentialSource: 'Environment',
    });
    expect(profileInfo(model, 'proc').kind).toBe('credential-process');
    expect(profileInfo(model, 'web').kind).toBe('web-identity');
    expect(profileInfo(model, 'web').cliKind).toBeUndefined();
    expect(profileInfo(model, 'keys')).toEqual({ name: 'keys', kind: 'static-keys', definedIn: [creds] });
    expect(profileInfo(model, 'default')).toMatchObject({ kind: 'unknown', region: 'us-west-2' });
    expect(profileInfo(model, 'nobody')).toEqual({ name: 'nobody', kind: 'missing', definedIn: [] });
    // `[notaprofile]` has no `profile ` prefix: neither SDK reads it from the config file.
    expect(profileInfo(model, 'notaprofile').kind).toBe('missing');
    expect([...model.ssoSessions.values()]).toEqual([
      {
        name: 'corp',
        startUrl: 'https://corp.awsapps.com/start',
        region: 'us-east-1',
        registrationScopes: 'sso:account:access',
      },
    ]);
    expect(allProfiles(model).map((p) => p.name)).toEqual(profileNames(model));
  });

  test('where the JS SDK and botocore choose differently, cliKind says so', async () => {
    writeAwsConfig(home, CONFIG);
    writeAwsCredentials(home, CREDENTIALS);
    const model = await load();
    // SSO keys in config plus static keys in credentials: the SDK (fromIni) takes the keys, botocore SSO.
    expect(profileInfo(model, 'mixed')).toMatchObject({ kind: 'static-keys', cliKind: 'sso' });
    // role_arn with both sources: the SDK does not see a role profile; botocore does (and then errors).
    expect(profileInfo(model, 'both')).toMatchObject({
      kind: 'unknown',
      cliKind: 'role-chain',
      problems: ['both source_profile and credential_source are set; use one'],
    });
  });

  test('problems in words', async () => {
    writeAwsConfig(home, CONFIG);
    const model = await load();
    expect(profileInfo(model, 'ghost').problems).toEqual([
      `sso_session 'nowhere' has no [sso-session nowhere] section in ${model.configFile}`,
    ]);
    expect(profileInfo(model, 'half')).toMatchObject({
      kind: 'legacy-sso',
      problems: [
        'missing sso_region, sso_account_id, sso_role_name (a legacy SSO profile needs all four, or an sso_session)',
      ],
    });
    expect(profileInfo(model, 'dangling').problems).toEqual(["source_profile 'nobody' is not defined"]);
    expect(profileInfo(model, 'empty').problems?.[0]).toMatch(/no credential settings/);
  });

  test('AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are honoured (and ~ expands)', async () => {
    writeAwsConfig(home, '[profile ignored]\nregion = x\n');
    const config = home.write(
      'elsewhere/cfg',
      '[profile moved]\nsso_session = s\n\n[sso-session s]\nsso_start_url = https://s\nsso_region = us-east-1\n',
    );
    const creds = home.write('elsewhere/creds', '[k]\naws_access_key_id = A\naws_secret_access_key = B\n');
    const model = await load({
      ...home.env,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: '~/elsewhere/creds',
    });
    expect(model.configFile).toBe(config);
    expect(model.credentialsFile).toBe(creds);
    expect(profileNames(model)).toEqual(['k', 'moved']);
    expect(profileInfo(model, 'moved')).toMatchObject({ kind: 'sso', ssoStartUrl: 'https://s' });
  });

  test('no files at all: an empty model, no problem', async () => {
    const model = await load();
    expect(profileNames(model)).toEqual([]);
    expect(model.problems).toEqual([]);
    expect(profileInfo(model, 'default').kind).toBe('missing');
  });

  test('edits are seen on the next load (no stale cache), and nothing is left intercepted', async () => {
    writeAwsConfig(home, '[profile a]\nregion = us-east-1\n');
    expect(profileNames(await load())).toEqual(['a']);
    writeAwsConfig(home, '[profile b]\nregion = us-east-1\n');
    const model = await load();
    expect(profileNames(model)).toEqual(['b']);
    const record = externalDataInterceptor.getFileRecord();
    expect(record[model.configFile]).toBeUndefined();
    expect(record[model.credentialsFile]).toBeUndefined();
  });
});

describe('broken files never hang or crash', () => {
  test('a FIFO config file, a directory as credentials file', async () => {
    mkdirSync(join(home.home, '.aws'), { recursive: true });
    execFileSync('mkfifo', [join(home.home, '.aws', 'config')]);
    mkdirSync(join(home.home, '.aws', 'credentials'));
    const model = await load();
    expect(model.problems).toEqual([
      `${join(home.home, '.aws', 'config')}: is not a regular file`,
      `${join(home.home, '.aws', 'credentials')}: is not a regular file`,
    ]);
    expect(profileNames(model)).toEqual([]);
  });

  test('a huge file and invalid UTF-8: a problem, the other file still read', async () => {
    writeAwsConfig(home, `[profile a]\n${'x = y\n'.repeat(300_000)}`);
    writeFileSync(
      join(home.home, '.aws', 'credentials'),
      Buffer.from('[k]\naws_access_key_id = \xff\n', 'latin1'),
    );
    let model = await load();
    expect(model.problems).toEqual([
      expect.stringMatching(/config: is \d+ bytes, larger than/),
      expect.stringMatching(/credentials: is not valid UTF-8/),
    ]);
    writeAwsCredentials(home, '[k]\naws_access_key_id = A\naws_secret_access_key = B\n');
    model = await load();
    expect(profileNames(model)).toEqual(['k']);
  });

  test('an unreadable file (permission denied) when not running as root', async () => {
    const file = writeAwsConfig(home, '[profile a]\nregion = us-east-1\n');
    chmodSync(file, 0o000);
    const model = await load();
    if (process.getuid?.() === 0) {
      expect(profileNames(model)).toEqual(['a']); // root reads it anyway
    } else {
      expect(model.problems).toEqual([`${file}: permission denied`]);
    }
  });

  test('a section the SDK rejects ([profile __proto__]) drops the whole file, as in the SDK, and says so', async () => {
    writeAwsConfig(home, '[profile a]\nregion = us-east-1\n\n[profile __proto__]\nregion = x\n');
    const model = await load();
    expect(profileNames(model)).toEqual([]);
    expect(model.problems[0]).toMatch(/the AWS SDK finds no profile in it/);
  });
});

test('the parsed settings are exactly what the SDK parses (parseKnownFiles)', async () => {
  writeAwsConfig(home, CONFIG);
  writeAwsCredentials(home, CREDENTIALS);
  const paths = resolvePaths(home.env);
  const model = await loadAwsProfiles(paths);
  const sdk = await parseKnownFiles({
    filepath: paths.awsCredentialsFile,
    configFilepath: paths.awsConfigFile,
    ignoreCache: true,
  });
  const sdkProfiles = Object.fromEntries(Object.entries(sdk).filter(([k]) => !k.startsWith('sso-session.')));
  expect(Object.fromEntries(model.settings)).toEqual(sdkProfiles);
});
