/**
 * The conformance table: each case builds a user's setup; the suite runs the real Claude Code in it and
 * compares with status and doctor. `who` maps each profile to the identity it signs as; the rest of the
 * expectation comes from our own JSON (harness.predict), never from the case.
 */
import { join } from 'node:path';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { ssoCacheDir } from '../support/aws-fixtures.js';
import type { FakeAwsBehaviour } from '../support/fake-aws.js';
import type { Fixture } from './harness.js';

export interface Case {
  name: string;
  setup(f: Fixture): void;
  /** How the fake AWS behaves for this case (e.g. as a gateway that accepts unsigned calls). */
  fake?: Partial<FakeAwsBehaviour>;
  /** Why this case cannot run against the real binary (shown in the table instead of a result). */
  cannotRun?: string;
}

const DEV = ['111111111111', 'Dev'] as const;
const PROD = ['222222222222', 'Prod'] as const;
const ON = { CLAUDE_CODE_USE_BEDROCK: '1' };
const BED = { ...ON, AWS_REGION: 'us-east-1' };
const EU_SONNET = 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0';
const US_SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const EU_OPUS = 'eu.anthropic.claude-opus-4-1-20250805-v1:0';
const US_OPUS = 'us.anthropic.claude-opus-4-1-20250805-v1:0';
const US_HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

/** dev and prod on one SSO session, no region in the profiles. */
function twoProfiles(f: Fixture, region?: { dev?: string; prod?: string }): void {
  f.ssoProfile('dev', ...DEV, { region: region?.dev });
  f.ssoProfile('prod', ...PROD, { region: region?.prod });
}

function pasted(f: Fixture): { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string } {
  const k = f.keys('999999999999', 'pasted');
  f.envKeys = '999999999999/pasted';
  return { AWS_ACCESS_KEY_ID: k.accessKeyId, AWS_SECRET_ACCESS_KEY: k.secretAccessKey };
}

export const CASES: Case[] = [
  // --- settings scopes, start directory and git root
  {
    name: 'user settings name the profile',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
    },
  },
  {
    name: 'project settings (start dir) beat user',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
      f.settings('project', { env: { AWS_PROFILE: 'prod' } });
    },
  },
  {
    name: 'local settings (git root) beat project',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: BED });
      f.settings('project', { env: { AWS_PROFILE: 'dev' } });
      f.settings('local', { env: { AWS_PROFILE: 'prod' } });
    },
  },
  {
    name: 'started in a subdirectory: the repo root .claude/settings.json is not read',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
      f.settings('project', { env: { AWS_PROFILE: 'prod' } });
      f.startIn('sub');
    },
  },
  {
    name: 'started in a subdirectory: settings.local.json at the git root still applies',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
      f.settings('local', { env: { AWS_PROFILE: 'prod' } });
      f.startIn('sub');
    },
  },
  {
    name: 'started in a subdirectory with its own .claude/settings.json',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
      f.startIn('sub');
      f.settings('project', { env: { AWS_PROFILE: 'prod' } });
    },
  },
  {
    name: 'CLAUDE_CONFIG_DIR moves the user settings file',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
      f.settings(join(f.home, 'claude-config', 'settings.json'), { env: { ...BED, AWS_PROFILE: 'prod' } });
      f.shell.CLAUDE_CONFIG_DIR = join(f.home, 'claude-config');
    },
  },
  {
    name: 'managed settings beat every other scope',
    setup() {},
    cannotRun:
      'Claude Code reads managed settings only from /etc/claude-code (its path override is empty in the released binary; CLAUDE_CODE_MANAGED_SETTINGS_PATH has no effect, see test/conformance/facts.test.ts); writing there would change every claude on the machine. The precedence is checked against the documented order in test/agreement.',
  },
  {
    name: 'settings env beats the shell (AWS_PROFILE)',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
      f.shell.AWS_PROFILE = 'prod';
    },
  },
  {
    name: "the shell's AWS_PROFILE when no settings name one",
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: BED });
      f.shell.AWS_PROFILE = 'prod';
    },
  },
  // --- region, from each source
  {
    name: 'region: settings AWS_REGION beats the shell',
    setup(f) {
      twoProfiles(f, { dev: 'eu-west-1' });
      f.settings('user', { env: { ...ON, AWS_REGION: 'eu-central-1', AWS_PROFILE: 'dev' } });
      f.shell.AWS_REGION = 'us-west-2';
    },
  },
  {
    name: 'region: shell AWS_REGION beats the profile',
    setup(f) {
      twoProfiles(f, { dev: 'eu-west-1' });
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'dev' } });
      f.shell.AWS_REGION = 'us-west-2';
    },
  },
  {
    name: "region: only the SSO profile's region (no AWS_REGION anywhere)",
    setup(f) {
      twoProfiles(f, { dev: 'eu-west-1' });
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'dev' } });
    },
  },
  {
    name: "region: shell AWS_DEFAULT_REGION beats the profile's",
    setup(f) {
      twoProfiles(f, { dev: 'eu-west-1' });
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'dev' } });
      f.shell.AWS_DEFAULT_REGION = 'ap-southeast-2';
    },
  },
  {
    name: 'region: AWS_REGION beats AWS_DEFAULT_REGION',
    setup(f) {
      twoProfiles(f, { dev: 'eu-west-1' });
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'dev' } });
      f.shell.AWS_DEFAULT_REGION = 'ap-southeast-2';
      f.shell.AWS_REGION = 'us-west-2';
    },
  },
  {
    name: 'region: AWS_DEFAULT_REGION in the settings env',
    setup(f) {
      twoProfiles(f, { dev: 'eu-west-1' });
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'dev', AWS_DEFAULT_REGION: 'eu-north-1' } });
    },
  },
  {
    name: 'region: none anywhere',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'dev' } });
    },
  },
  {
    name: 'region: the profile has none, [default] has one',
    setup(f) {
      twoProfiles(f);
      f.config('[default]\nregion = eu-west-3');
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'dev' } });
    },
  },
  {
    name: "region: a static-keys profile's region in the credentials file",
    setup(f) {
      f.staticProfile('keys', '444444444444', { region: 'eu-north-1' });
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'keys' } });
    },
  },
  // --- static keys and Bedrock API keys
  {
    name: 'static keys in the shell, no AWS_PROFILE',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: BED });
      Object.assign(f.shell, pasted(f));
    },
  },
  {
    name: 'static keys in the shell next to AWS_PROFILE from settings',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
      Object.assign(f.shell, pasted(f));
    },
  },
  {
    name: 'static keys in the settings env, no AWS_PROFILE',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, ...pasted(f) } });
    },
  },
  {
    name: 'AWS_BEARER_TOKEN_BEDROCK in the settings env',
    setup(f) {
      twoProfiles(f);
      f.fake.seedBedrockApiKey('bedrock-api-key-settings', '123412341234');
      f.settings('user', {
        env: { ...BED, AWS_PROFILE: 'dev', AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-settings' },
      });
    },
  },
  {
    name: 'AWS_BEARER_TOKEN_BEDROCK in the shell',
    setup(f) {
      twoProfiles(f);
      f.fake.seedBedrockApiKey('bedrock-api-key-shell', '123412341234');
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
      f.shell.AWS_BEARER_TOKEN_BEDROCK = 'bedrock-api-key-shell';
    },
  },
  // --- CLAUDE_CODE_USE_BEDROCK values
  {
    name: 'CLAUDE_CODE_USE_BEDROCK=true',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: { CLAUDE_CODE_USE_BEDROCK: 'true', AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' },
      });
    },
  },
  {
    name: 'CLAUDE_CODE_USE_BEDROCK=0',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: { CLAUDE_CODE_USE_BEDROCK: '0', AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' },
      });
    },
  },
  {
    name: 'CLAUDE_CODE_USE_BEDROCK unset',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' } });
    },
  },
  // --- model pins, fitting and not fitting the region
  {
    name: 'ANTHROPIC_MODEL fits the region',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: { ...ON, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev', ANTHROPIC_MODEL: EU_SONNET },
      });
      f.turnModelVar = 'ANTHROPIC_MODEL';
    },
  },
  {
    name: 'ANTHROPIC_MODEL does not fit the region',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: { ...ON, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev', ANTHROPIC_MODEL: US_SONNET },
      });
      f.turnModelVar = 'ANTHROPIC_MODEL';
    },
  },
  {
    name: '`model` setting fits the region',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { model: EU_OPUS, env: { ...ON, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev' } });
      f.turnModelVar = 'model';
    },
  },
  {
    name: '`model` setting does not fit the region',
    setup(f) {
      twoProfiles(f);
      f.settings('user', { model: US_OPUS, env: { ...ON, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev' } });
      f.turnModelVar = 'model';
    },
  },
  {
    name: 'ANTHROPIC_DEFAULT_OPUS_MODEL does not fit the region',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: { ...ON, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev', ANTHROPIC_DEFAULT_OPUS_MODEL: US_OPUS },
      });
    },
  },
  {
    name: 'ANTHROPIC_DEFAULT_SONNET_MODEL fits, `model` sonnet',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        model: 'sonnet',
        env: {
          ...ON,
          AWS_REGION: 'eu-west-1',
          AWS_PROFILE: 'dev',
          ANTHROPIC_DEFAULT_SONNET_MODEL: EU_SONNET,
        },
      });
    },
  },
  {
    name: 'ANTHROPIC_DEFAULT_HAIKU_MODEL does not fit the region',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: { ...ON, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev', ANTHROPIC_DEFAULT_HAIKU_MODEL: US_HAIKU },
      });
    },
  },
  {
    name: 'ANTHROPIC_BEDROCK_REGION_PREFIX=global in eu-west-1',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: {
          ...ON,
          AWS_REGION: 'eu-west-1',
          AWS_PROFILE: 'dev',
          ANTHROPIC_BEDROCK_REGION_PREFIX: 'global',
        },
      });
    },
  },
  {
    name: 'ANTHROPIC_BEDROCK_REGION_PREFIX=us in eu-west-1 (does not serve the region)',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: { ...ON, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev', ANTHROPIC_BEDROCK_REGION_PREFIX: 'us' },
      });
    },
  },
  // --- awsAuthRefresh and awsCredentialExport
  {
    name: 'awsAuthRefresh, the session works: not run',
    setup(f) {
      twoProfiles(f);
      const cmd = f.script('bin/refresh', `echo ran >> ${f.marker('auth-refresh')}`);
      f.settings('user', { awsAuthRefresh: cmd, env: { ...BED, AWS_PROFILE: 'dev' } });
    },
  },
  {
    name: 'awsAuthRefresh, the session ended: it runs and signs in',
    setup(f) {
      f.ssoProfile('dev', ...DEV, { ttlSeconds: -600, refreshable: false });
      // What `aws sso login` would write: a fresh token, staged now, copied into the cache by the command.
      const fresh = f.fake.issueToken({ ttlSeconds: 3600 });
      const staged = f.t.write('staged-token.json', {
        startUrl: 'https://corp.awsapps.com/start',
        region: 'us-east-1',
        accessToken: fresh.accessToken,
        expiresAt: new Date(fresh.expiresAt).toISOString(),
      });
      const cache = tokenCacheFile(ssoCacheDir(f.t), 'corp');
      const cmd = f.script('bin/refresh', `echo ran >> ${f.marker('auth-refresh')}\ncp ${staged} ${cache}`);
      f.settings('user', { awsAuthRefresh: cmd, env: { ...BED, AWS_PROFILE: 'dev' } });
    },
  },
  {
    name: 'awsCredentialExport hands out the credentials',
    setup(f) {
      twoProfiles(f);
      const creds = f.fake.issueRoleCredentials('888888888888', 'Exported');
      f.exportIdentity = '888888888888/Exported';
      const json = JSON.stringify({
        Credentials: {
          AccessKeyId: creds.accessKeyId,
          SecretAccessKey: creds.secretAccessKey,
          SessionToken: creds.sessionToken,
          Expiration: new Date(creds.expiresAt!).toISOString(),
        },
      });
      const cmd = f.script(
        'bin/export',
        `echo ran >> ${f.marker('credential-export')}\nprintf '%s' '${json}'`,
      );
      f.settings('user', { awsCredentialExport: cmd, env: { ...BED, AWS_PROFILE: 'dev' } });
    },
  },
  {
    name: 'CLAUDE_CODE_SKIP_BEDROCK_AUTH behind a gateway (ANTHROPIC_BEDROCK_BASE_URL)',
    fake: { acceptUnsigned: true },
    setup(f) {
      twoProfiles(f);
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev', CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1' } });
    },
  },
  {
    name: 'modelOverrides maps the default model to a Bedrock id',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        modelOverrides: { 'claude-opus-5-5': EU_OPUS },
        env: { ...ON, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev' },
      });
      f.turnModelVar = 'modelOverrides.claude-opus-5-5';
    },
  },
  // --- Mantle
  {
    name: 'CLAUDE_CODE_USE_MANTLE=1 (without CLAUDE_CODE_USE_BEDROCK)',
    setup(f) {
      twoProfiles(f);
      f.settings('user', {
        env: { CLAUDE_CODE_USE_MANTLE: '1', AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' },
      });
    },
  },
  // --- every profile kind
  {
    name: 'legacy SSO profile (sso_start_url in the profile)',
    setup(f) {
      f.legacySsoProfile('old', '333333333333', 'Legacy');
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'old' } });
    },
  },
  {
    name: 'static keys profile',
    setup(f) {
      f.staticProfile('keys', '444444444444');
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'keys' } });
    },
  },
  {
    name: 'credential_process profile',
    setup(f) {
      f.processProfile('proc', '666666666666');
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'proc' } });
    },
  },
  {
    name: 'role chain (role_arn + source_profile on SSO)',
    setup(f) {
      twoProfiles(f);
      f.roleChain('chain', '555555555555', 'Chain', 'dev');
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'chain' } });
    },
  },
  {
    name: '`aws login` profile (login_session, cached console credentials)',
    setup(f) {
      f.loginProfile('console', '777777777777', 'ConsoleUser', 'eu-west-1');
      f.settings('user', { env: { ...ON, AWS_PROFILE: 'console' } });
    },
  },
  {
    name: 'SSO access token expired, refresh token valid',
    setup(f) {
      f.ssoProfile('dev', ...DEV, { ttlSeconds: -600 });
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
    },
  },
  {
    name: 'SSO session ended (expired, not refreshable), no awsAuthRefresh',
    setup(f) {
      f.ssoProfile('dev', ...DEV, { ttlSeconds: -600, refreshable: false });
      f.settings('user', { env: { ...BED, AWS_PROFILE: 'dev' } });
    },
  },
];
