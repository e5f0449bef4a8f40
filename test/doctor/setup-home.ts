/**
 * A temp HOME set up the way the Bedrock guide says, as real files: SSO profiles in ~/.aws/config, a
 * signed-in token cache, the user settings, a repo naming its profile, and stand-in `claude` and `aws`
 * (v2) programs on PATH. Tests then break one thing and run the real CLI.
 */
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

export const AWS_CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = us-east-1

[profile prod]
sso_session = corp-prod
sso_account_id = 222222222222
sso_role_name = Admin
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[sso-session corp-prod]
sso_start_url = https://corp-prod.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

export const USER_SETTINGS = {
  $schema: 'https://json.schemastore.org/claude-code-settings.json',
  env: {
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: 'us-east-1',
    ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6',
  },
  awsAuthRefresh: 'bedrock-profile login',
  permissions: { allow: ['Bash(npm test)'] },
};

export interface GuideHome extends TempHome {
  repo: string;
  binDir: string;
  /** Write an SSO cache entry for a session; `ageMs` back-dates its mtime (the sign-in time). */
  signIn(
    session: string,
    expiresInMs: number,
    opts?: {
      ageMs?: number;
      refreshable?: boolean;
      accessToken?: string;
      refreshToken?: string;
      clientId?: string;
      clientSecret?: string;
    },
  ): string;
}

export function makeGuideHome(now = Date.now()): GuideHome {
  const home = makeTempHome('bp-doctor-');
  const binDir = join(home.root, 'bin');
  home.write(join(binDir, 'claude'), '#!/bin/sh\necho "2.1.328 (Claude Code)"\n', 0o755);
  home.write(
    join(binDir, 'aws'),
    '#!/bin/sh\necho "aws-cli/2.27.50 Python/3.13.4 Linux/6.1 exe/x86_64.debian.12"\n',
    0o755,
  );
  home.env.PATH = `${binDir}:/usr/bin:/bin`;
  home.env.SHELL = '/bin/zsh';
  writeAwsConfig(home, AWS_CONFIG);
  home.write('.claude/settings.json', USER_SETTINGS);
  const repo = home.mkdir('src/shop');
  home.mkdir('src/shop/.git');
  home.write('src/shop/.claude/settings.json', { env: { AWS_PROFILE: 'dev' } });
  const signIn: GuideHome['signIn'] = (session, expiresInMs, opts = {}) => {
    const refreshable = opts.refreshable ?? true;
    const file = writeSsoCache(home, session, {
      accessToken: opts.accessToken ?? `access-${session}`,
      expiresAt: now + expiresInMs,
      region: 'us-east-1',
      startUrl: `https://${session}.awsapps.com/start`,
      ...(refreshable
        ? {
            refreshToken: opts.refreshToken ?? `refresh-${session}`,
            clientId: opts.clientId ?? `client-${session}`,
            clientSecret: opts.clientSecret ?? `secret-${session}`,
            registrationExpiresAt: now + 60 * 86_400_000,
          }
        : {}),
    });
    const t = (now - (opts.ageMs ?? 0)) / 1000;
    utimesSync(file, t, t);
    return file;
  };
  return { ...home, repo, binDir, signIn };
}
