/**
 * A healthy setup as doctor facts (the guide followed to the letter), for the table of check cases:
 * each case changes one thing and expects one check to name it.
 */
import type { Sourced } from '../../src/core/types.js';
import type { DoctorFacts } from '../../src/doctor/facts.js';

export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
export const HOME = '/home/ana';
export const USER_FILE = `${HOME}/.claude/settings.json`;
export const REPO = `${HOME}/src/shop`;
export const PROJECT_FILE = `${REPO}/.claude/settings.json`;

export function userEnv(value: string): Sourced<string> {
  return { value, scope: 'user', file: USER_FILE };
}
export function projectEnv(value: string): Sourced<string> {
  return { value, scope: 'project', file: PROJECT_FILE };
}

export function healthyFacts(): DoctorFacts {
  const env: Record<string, Sourced<string>> = {
    CLAUDE_CODE_USE_BEDROCK: userEnv('1'),
    AWS_REGION: userEnv('us-east-1'),
    ANTHROPIC_MODEL: userEnv('us.anthropic.claude-sonnet-4-6'),
    AWS_PROFILE: projectEnv('shop-dev'),
  };
  const shellEnv = { HOME, PATH: '/usr/bin:/bin', SHELL: '/bin/zsh', BEDROCK_PROFILE_HOOK: 'zsh' };
  const claudeEnv: Record<string, string> = { ...shellEnv };
  for (const [k, v] of Object.entries(env)) claudeEnv[k] = v.value;
  return {
    now: NOW,
    cwd: REPO,
    shellEnv,
    claudeEnv,
    claudeUserSettings: USER_FILE,
    awsConfigFile: `${HOME}/.aws/config`,
    awsCredentialsFile: `${HOME}/.aws/credentials`,
    claude: { found: true, path: '/usr/local/bin/claude', version: '2.1.328' },
    awsCli: { found: true, path: '/usr/local/bin/aws', version: '2.27.50' },
    settings: {
      cwd: REPO,
      gitRoot: REPO,
      files: [
        { scope: 'managed', file: '/etc/claude-code/managed-settings.json', status: 'missing' },
        { scope: 'local', file: `${REPO}/.claude/settings.local.json`, status: 'missing' },
        { scope: 'project', file: PROJECT_FILE, status: 'ok' },
        { scope: 'user', file: USER_FILE, status: 'ok' },
      ],
      env,
      subdirEnv: Object.fromEntries(Object.entries(env).filter(([, v]) => v.scope !== 'project')),
      awsAuthRefresh: { value: 'bedrock-profile login', scope: 'user', file: USER_FILE },
      ignoredAncestorSettings: [],
      notes: [],
    },
    files: [
      { scope: 'managed', file: '/etc/claude-code/managed-settings.json', status: 'missing' },
      { scope: 'local', file: `${REPO}/.claude/settings.local.json`, status: 'missing' },
      { scope: 'project', file: PROJECT_FILE, status: 'ok', data: { env: { AWS_PROFILE: 'shop-dev' } } },
      {
        scope: 'user',
        file: USER_FILE,
        status: 'ok',
        data: {
          env: {
            CLAUDE_CODE_USE_BEDROCK: '1',
            AWS_REGION: 'us-east-1',
            ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6',
          },
          awsAuthRefresh: 'bedrock-profile login',
        },
      },
    ],
    claudeState: { status: 'ok', file: `${HOME}/.claude.json`, misplacedKeys: [], oauthAccount: false },
    profile: { value: 'shop-dev', source: { scope: 'project', file: PROJECT_FILE } },
    region: { value: 'us-east-1', source: { scope: 'user', file: USER_FILE } },
    profileInfo: {
      name: 'shop-dev',
      kind: 'sso',
      definedIn: [`${HOME}/.aws/config`],
      ssoSession: 'corp',
      ssoStartUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'us-east-1',
    },
    profiles: [
      { name: 'shop-dev', kind: 'sso', definedIn: [`${HOME}/.aws/config`], ssoSession: 'corp' },
      { name: 'shop-prod', kind: 'sso', definedIn: [`${HOME}/.aws/config`], ssoSession: 'corp-prod' },
    ],
    session: {
      profile: 'shop-dev',
      id: 'corp',
      cacheFile: `${HOME}/.aws/sso/cache/0123.json`,
      status: 'ok',
      expiresAt: NOW + 6 * 3_600_000,
      refreshable: true,
      registrationExpiresAt: NOW + 60 * 86_400_000,
      mtimeMs: NOW - 3_600_000,
    },
    lastSignIn: {
      id: 'corp',
      profiles: ['shop-dev'],
      mtimeMs: NOW - 3_600_000,
      expiresAt: NOW + 6 * 3_600_000,
    },
    daemon: { running: true, pid: 4242 },
    hook: { active: true, shell: 'zsh' },
    integration: {
      statusLine: true,
      userStatusLine: false,
      hooks: ['SessionStart', 'StopFailure', 'CwdChanged'],
      command: 'bedrock-profile',
      commandFound: true,
      shadowedBy: [],
      disabledBy: [],
    },
  };
}

/** Set a settings env variable (and the claude env that follows from it). */
export function setEnv(f: DoctorFacts, name: string, value: Sourced<string> | undefined): void {
  if (value) {
    f.settings.env[name] = value;
    f.claudeEnv[name] = value.value;
  } else {
    delete f.settings.env[name];
    const shell = f.shellEnv[name];
    if (shell === undefined) delete f.claudeEnv[name];
    else f.claudeEnv[name] = shell;
  }
}

export function setShell(f: DoctorFacts, name: string, value: string | undefined): void {
  const shell = { ...f.shellEnv } as Record<string, string | undefined>;
  if (value === undefined) delete shell[name];
  else shell[name] = value;
  f.shellEnv = shell;
  if (!(name in f.settings.env)) {
    if (value === undefined) delete f.claudeEnv[name];
    else f.claudeEnv[name] = value;
  }
}
