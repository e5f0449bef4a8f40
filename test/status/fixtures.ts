/**
 * Fixture setups for the status tests: an AWS config with one profile of each kind, an SSO token cache
 * entry, and a repo with Claude Code settings, all in a throwaway HOME.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TempHome } from '../support/temp-home.js';

export const AWS_CONFIG = `[profile acme]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = Old

[profile chained]
role_arn = arn:aws:iam::333333333333:role/Deploy
source_profile = acme

[profile personal]
region = eu-west-1
`;

export const AWS_CREDENTIALS = `[personal]
aws_access_key_id = AKIAPERSONALEXAMPLE
aws_secret_access_key = personal-secret-value
`;

/** Secret values a test asserts never appear in any output. */
export const SECRETS = [
  'ACCESS-TOKEN-SECRET',
  'REFRESH-TOKEN-SECRET',
  'CLIENT-SECRET-VALUE',
  'personal-secret-value',
];

export function cacheFileFor(home: string, id: string): string {
  return join(home, '.aws/sso/cache', `${createHash('sha1').update(id).digest('hex')}.json`);
}

/** An SSO token for the `corp` session expiring at `expiresAt` (ms), refreshable. */
export function writeCorpToken(t: TempHome, expiresAt: number, refreshable = true): string {
  const token: Record<string, string> = {
    startUrl: 'https://corp.awsapps.com/start',
    region: 'us-east-1',
    accessToken: 'ACCESS-TOKEN-SECRET',
    expiresAt: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  if (refreshable) {
    Object.assign(token, {
      refreshToken: 'REFRESH-TOKEN-SECRET',
      clientId: 'client-id',
      clientSecret: 'CLIENT-SECRET-VALUE',
      registrationExpiresAt: new Date(expiresAt + 80 * 86_400_000).toISOString(),
    });
  }
  return t.write(cacheFileFor(t.home, 'corp'), token, 0o600);
}

/**
 * The everyday setup: the user file turns Bedrock on with a region, the repo `~/src/acme` names its
 * profile in .claude/settings.json. Returns the repo path.
 */
export function everydaySetup(t: TempHome): string {
  t.write('.aws/config', AWS_CONFIG);
  t.write('.aws/credentials', AWS_CREDENTIALS, 0o600);
  t.write('.claude/settings.json', { env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' } });
  const repo = t.mkdir('src/acme');
  mkdirSync(join(repo, '.git'));
  t.write(join(repo, '.claude/settings.json'), { env: { AWS_PROFILE: 'acme' } });
  return repo;
}
