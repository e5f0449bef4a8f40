/**
 * The table of cases: one changed fact per row, and the check that must name the cause and the fix.
 * The checks are pure, so this runs in-process on plain facts; test/doctor/doctor-cli.test.ts builds
 * the guide's troubleshooting rows as real files and runs the real CLI.
 */
import { describe, expect, test } from 'vitest';
import { exitCodeFor } from '../../src/doctor/check.js';
import type { DoctorFacts } from '../../src/doctor/facts.js';
import { offlineChecks } from '../../src/doctor/offline-checks.js';
import {
  HOME,
  healthyFacts,
  NOW,
  PROJECT_FILE,
  setEnv,
  setShell,
  USER_FILE,
  userEnv,
} from './facts-builder.js';

interface Row {
  name: string;
  change: (f: DoctorFacts) => void;
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: RegExp;
  fix?: RegExp;
}

const ROWS: Row[] = [
  // --- tools -------------------------------------------------------------------------------------------
  {
    name: 'claude not on PATH',
    change: (f) => (f.claude = { found: false }),
    id: 'claude',
    status: 'fail',
    detail: /not on PATH/,
    fix: /npm install -g @anthropic-ai\/claude-code/,
  },
  {
    name: 'claude --version hangs',
    change: (f) => (f.claude = { found: true, error: 'no answer within 4000 ms' }),
    id: 'claude',
    status: 'warn',
    detail: /no version \(no answer within 4000 ms\)/,
  },
  {
    name: 'AWS CLI v1 with an SSO profile',
    change: (f) => (f.awsCli = { found: true, version: '1.45.11' }),
    id: 'aws-cli',
    status: 'fail',
    detail: /1\.45\.11 is v1, which has no `aws sso login`/,
    fix: /install AWS CLI v2/,
  },
  {
    name: 'no aws at all',
    change: (f) => (f.awsCli = { found: false }),
    id: 'aws-cli',
    status: 'fail',
    detail: /not on PATH/,
    fix: /install AWS CLI v2/,
  },
  {
    name: 'AWS CLI v1 with a Bedrock API key is only a warning',
    change: (f) => {
      f.awsCli = { found: true, version: '1.45.11' };
      f.profileInfo = { name: 'shop-dev', kind: 'static-keys', definedIn: [] };
      delete f.session;
    },
    id: 'aws-cli',
    status: 'warn',
    detail: /v1/,
  },
  // --- settings files -----------------------------------------------------------------------------------
  {
    name: 'invalid JSON in the project settings',
    change: (f) => {
      f.files[2] = {
        scope: 'project',
        file: PROJECT_FILE,
        status: 'invalid',
        error: `${PROJECT_FILE}:3:5: invalid JSON: a comma was expected`,
      };
    },
    id: 'settings-files',
    status: 'fail',
    detail: /settings\.json:3:5: invalid JSON: a comma was expected/,
    fix: /fix the JSON at the position shown in ~\/src\/shop\/\.claude\/settings\.json/,
  },
  {
    name: 'an env value that is not a string',
    change: (f) => {
      f.files[3]!.data = { env: { CLAUDE_CODE_USE_BEDROCK: 1, AWS_REGION: 'us-east-1' } };
    },
    id: 'settings-files',
    status: 'fail',
    detail: /~\/\.claude\/settings\.json: env\.CLAUDE_CODE_USE_BEDROCK is number, not a string/,
    fix: /"CLAUDE_CODE_USE_BEDROCK": "1"/,
  },
  {
    // Claude Code reads "true" as on (test/conformance); use-bedrock warns about the spelling.
    name: 'CLAUDE_CODE_USE_BEDROCK "true" is a valid settings file',
    change: (f) => {
      f.files[3]!.data = { env: { CLAUDE_CODE_USE_BEDROCK: 'true' } };
    },
    id: 'settings-files',
    status: 'pass',
    detail: /all valid/,
  },
  // --- Bedrock switched on --------------------------------------------------------------------------------
  {
    name: 'CLAUDE_CODE_USE_BEDROCK missing',
    change: (f) => setEnv(f, 'CLAUDE_CODE_USE_BEDROCK', undefined),
    id: 'use-bedrock',
    status: 'fail',
    detail: /not set: Claude Code talks to the Anthropic API/,
    fix: /bedrock-profile init --region us-east-1/,
  },
  {
    name: 'CLAUDE_CODE_USE_BEDROCK only in the shell',
    change: (f) => {
      setEnv(f, 'CLAUDE_CODE_USE_BEDROCK', undefined);
      setShell(f, 'CLAUDE_CODE_USE_BEDROCK', '1');
    },
    id: 'use-bedrock',
    status: 'warn',
    detail: /from this shell only/,
    fix: /bedrock-profile init/,
  },
  {
    name: 'CLAUDE_CODE_USE_BEDROCK "true" works but is not the documented value',
    change: (f) => setEnv(f, 'CLAUDE_CODE_USE_BEDROCK', userEnv('true')),
    id: 'use-bedrock',
    status: 'warn',
    detail:
      /"true" from ~\/\.claude\/settings\.json: Claude Code accepts it, but the documented value is "1"/,
  },
  // --- region (the guide's "region error on start-up") ----------------------------------------------------
  {
    // Claude Code 2.1.170 (run by test/conformance with BP_CLAUDE_CODE_VERSION=2.1.170) signs for us-east-1.
    name: 'a Claude Code before 2.1.172 skips the profile region',
    change: (f) => {
      setEnv(f, 'AWS_REGION', undefined);
      f.region = { value: 'us-east-1', source: { scope: 'claude-default' } };
      f.claude = { ...f.claude, version: '2.1.170' };
      f.profileInfo = { ...f.profileInfo!, region: 'eu-west-1' };
    },
    id: 'region',
    status: 'warn',
    detail:
      /^us-east-1: Claude Code 2\.1\.170 \(before 2\.1\.172\) does not read profile shop-dev's region eu-west-1, so it uses its default$/,
    fix: /^bedrock-profile init --region eu-west-1 {3}\(or update Claude Code: `claude update`\)$/,
  },
  {
    name: "the profile's region (no AWS_REGION)",
    change: (f) => {
      f.region = { value: 'eu-west-1', source: { scope: 'aws-config', file: `${HOME}/.aws/config` } };
    },
    id: 'region',
    status: 'pass',
    detail:
      /eu-west-1 from profile shop-dev's region in ~\/\.aws\/config \(no AWS_REGION or AWS_DEFAULT_REGION; Claude Code reads it since 2\.1\.172\)/,
  },
  {
    name: 'no region anywhere: Claude Code uses us-east-1',
    change: (f) => {
      f.region = { value: 'us-east-1', source: { scope: 'claude-default' } };
    },
    id: 'region',
    status: 'warn',
    detail:
      /us-east-1: no AWS_REGION, AWS_DEFAULT_REGION or profile region is set, so Claude Code uses its default/,
  },
  {
    name: 'AWS_DEFAULT_REGION from the shell decides',
    change: (f) => {
      f.region = { value: 'ap-southeast-2', source: { scope: 'shell', variable: 'AWS_DEFAULT_REGION' } };
    },
    id: 'region',
    status: 'warn',
    detail: /ap-southeast-2 from AWS_DEFAULT_REGION in this shell only/,
  },
  {
    name: 'AWS_REGION garbage',
    change: (f) => (f.region = { value: 'virginia', source: { scope: 'user', file: USER_FILE } }),
    id: 'region',
    status: 'fail',
    detail: /"virginia" from ~\/\.claude\/settings\.json is not an AWS region/,
  },
  {
    name: 'AWS_REGION from the shell only',
    change: (f) => (f.region = { value: 'us-west-2', source: { scope: 'shell' } }),
    id: 'region',
    status: 'warn',
    detail: /us-west-2 from AWS_REGION in this shell only/,
    fix: /bedrock-profile init --region us-west-2/,
  },
  // --- profile ---------------------------------------------------------------------------------------------
  {
    name: 'the profile named in the repo does not exist',
    change: (f) => {
      f.profileInfo = { name: 'shop-dev', kind: 'missing', definedIn: [] };
      delete f.session;
    },
    id: 'profile',
    status: 'fail',
    detail:
      /shop-dev from ~\/src\/shop\/\.claude\/settings\.json is not in ~\/\.aws\/config or ~\/\.aws\/credentials; defined: shop-prod/,
    fix: /aws configure sso --profile shop-dev/,
  },
  {
    name: 'the AWS config cannot be read',
    change: (f) => {
      delete f.profileInfo;
      f.awsConfigError = `${HOME}/.aws/config: permission denied`;
    },
    id: 'profile',
    status: 'fail',
    detail: /permission denied/,
    fix: /fix ~\/\.aws\/config/,
  },
  {
    name: 'a legacy SSO profile missing a setting',
    change: (f) => {
      f.profileInfo = {
        name: 'shop-dev',
        kind: 'legacy-sso',
        definedIn: [`${HOME}/.aws/config`],
        problems: ['missing sso_role_name (a legacy SSO profile needs all four, or an sso_session)'],
      };
    },
    id: 'profile',
    status: 'warn',
    detail: /shop-dev .*\(legacy-sso\): missing sso_role_name/,
    fix: /fix the \[profile shop-dev\] section of ~\/\.aws\/config/,
  },
  {
    name: 'signed in elsewhere while the profile here is static keys: fine',
    change: (f) => {
      f.profileInfo = { name: 'shop-dev', kind: 'static-keys', definedIn: [] };
      delete f.session;
      f.lastSignIn = { id: 'corp-prod', profiles: ['shop-prod'], mtimeMs: NOW - 60_000 };
    },
    id: 'last-sign-in',
    status: 'pass',
    detail: /corp-prod \(profile shop-prod\); Claude Code here uses profile shop-dev, which is not SSO/,
  },
  // --- auth methods -------------------------------------------------------------------------------------------
  {
    name: 'Bedrock API key',
    change: (f) => setEnv(f, 'AWS_BEARER_TOKEN_BEDROCK', userEnv('ABSKsecretvalue')),
    id: 'auth-method',
    status: 'pass',
    detail: /Bedrock API key \(AWS_BEARER_TOKEN_BEDROCK\): its expiry is not stored locally/,
  },
  {
    name: 'pasted temporary keys',
    change: (f) => {
      setEnv(f, 'AWS_PROFILE', undefined);
      setShell(f, 'AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
      setShell(f, 'AWS_SECRET_ACCESS_KEY', 'secret');
      setShell(f, 'AWS_SESSION_TOKEN', 'token');
    },
    id: 'auth-method',
    status: 'warn',
    detail: /pasted temporary keys .* nothing records when they expire/,
    fix: /doctor --live/,
  },
  {
    name: 'static keys in the environment',
    change: (f) => {
      setEnv(f, 'AWS_PROFILE', undefined);
      setShell(f, 'AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE');
      setShell(f, 'AWS_SECRET_ACCESS_KEY', 'secret');
    },
    id: 'auth-method',
    status: 'pass',
    detail: /static IAM keys in the environment/,
  },
  {
    name: 'legacy SSO profile',
    change: (f) =>
      (f.profileInfo = { name: 'shop-dev', kind: 'legacy-sso', definedIn: [], ssoStartUrl: 'https://x' }),
    id: 'auth-method',
    status: 'pass',
    detail: /legacy SSO .* no refresh token/,
  },
  {
    name: 'static keys in the credentials file',
    change: (f) => {
      f.profileInfo = { name: 'shop-dev', kind: 'static-keys', definedIn: [] };
      delete f.session;
    },
    id: 'auth-method',
    status: 'pass',
    detail: /do not expire/,
  },
  // --- SSO session ----------------------------------------------------------------------------------------------
  {
    name: 'never signed in',
    change: (f) => {
      delete f.settings.awsAuthRefresh;
      f.session = {
        profile: 'shop-dev',
        id: 'corp',
        cacheFile: `${HOME}/.aws/sso/cache/0123.json`,
        status: 'missing',
        reason: 'no file',
      };
    },
    id: 'sso-session',
    status: 'fail',
    detail: /corp: not signed in: no cached token/,
    fix: /^aws sso login --profile shop-dev$/,
  },
  {
    name: 'never signed in, with AWS CLI v1: install v2 first (v1 has no sso login)',
    change: (f) => {
      f.awsCli = { found: true, path: '/usr/bin/aws', version: '1.45.11' };
      f.session = {
        profile: 'shop-dev',
        id: 'corp',
        cacheFile: `${HOME}/.aws/sso/cache/0123.json`,
        status: 'missing',
        reason: 'no file',
      };
    },
    id: 'sso-session',
    status: 'fail',
    detail: /corp: not signed in/,
    fix: /^install AWS CLI v2 \(see aws-cli above\), then: aws sso login --profile shop-dev$/,
  },
  {
    name: 'legacy token expired',
    change: (f) => {
      delete f.settings.awsAuthRefresh;
      f.session = { ...f.session!, expiresAt: NOW - 10 * 60_000, refreshable: false };
    },
    id: 'sso-session',
    status: 'fail',
    detail: /expired 10m ago, not refreshable/,
    fix: /aws sso login --profile shop-dev/,
  },
  {
    // Claude Code's start-up credentials check fails and it runs awsAuthRefresh (test/conformance).
    name: 'token expired, not refreshable, awsAuthRefresh set: Claude Code signs in itself',
    change: (f) => {
      f.session = { ...f.session!, expiresAt: NOW - 10 * 60_000, refreshable: false };
    },
    id: 'sso-session',
    status: 'warn',
    detail: /expired 10m ago, not refreshable; Claude Code runs awsAuthRefresh at start to sign in again/,
  },
  {
    name: 'access token expired but refreshable',
    change: (f) => {
      f.session = { ...f.session!, expiresAt: NOW - 2 * 60_000 };
    },
    id: 'sso-session',
    status: 'warn',
    detail: /refreshable: the next AWS call refreshes it/,
    fix: /bedrock-profile refresh --profile shop-dev/,
  },
  {
    name: 'legacy token about to end',
    change: (f) => {
      f.session = { ...f.session!, expiresAt: NOW + 7 * 60_000, refreshable: false };
    },
    id: 'sso-session',
    status: 'warn',
    detail: /7m left, not refreshable/,
  },
  {
    name: 'client registration expired',
    change: (f) => {
      delete f.settings.awsAuthRefresh;
      f.session = { ...f.session!, expiresAt: NOW - 60_000, registrationExpiresAt: NOW - 1 };
    },
    id: 'sso-session',
    status: 'fail',
    detail: /not refreshable/,
  },
  // --- the guide's first row: signed in, but to another profile ----------------------------------------------------
  {
    name: 'signed in to the prod session while the repo uses dev',
    change: (f) => {
      f.session = { ...f.session!, expiresAt: NOW - 3_600_000, refreshable: false };
      f.lastSignIn = {
        id: 'corp-prod',
        profiles: ['shop-prod'],
        mtimeMs: NOW - 60_000,
        expiresAt: NOW + 8 * 3_600_000,
      };
    },
    id: 'last-sign-in',
    status: 'fail',
    detail:
      /you last signed in to corp-prod \(profile shop-prod\), but Claude Code here uses profile shop-dev, session corp, whose token is expired: profile mismatch/,
    fix: /aws sso login --profile shop-dev .*bedrock-profile use shop-prod/,
  },
  {
    name: 'stale keys in the shell override the profile',
    change: (f) => {
      setShell(f, 'AWS_ACCESS_KEY_ID', 'ASIAOLD');
      setShell(f, 'AWS_SECRET_ACCESS_KEY', 'old');
      setShell(f, 'AWS_SESSION_TOKEN', 'old');
    },
    id: 'stray-variables',
    status: 'warn',
    detail:
      /AWS_ACCESS_KEY_ID replaces profile 'default' with static keys for Claude Code started in a subdirectory and aws commands in this shell/,
    fix: /unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN/,
  },
  {
    name: 'an old AWS_PROFILE in the shell',
    change: (f) => setShell(f, 'AWS_PROFILE', 'shop-prod'),
    id: 'stray-variables',
    status: 'warn',
    detail:
      /AWS_PROFILE='shop-prod' in this shell selects another account than the repo's profile 'shop-dev'/,
    fix: /export AWS_PROFILE=shop-dev/,
  },
  {
    name: 'started in a subdirectory: the ancestor settings are ignored',
    change: (f) => {
      f.settings.ignoredAncestorSettings = [PROJECT_FILE];
      f.ignoredProfile = 'shop-dev';
    },
    id: 'ignored-settings',
    status: 'warn',
    detail: /ignores ~\/src\/shop\/\.claude\/settings\.json/,
    fix: /start claude in ~\/src\/shop, or run `bedrock-profile use shop-dev --local`/,
  },
  // --- awsAuthRefresh ---------------------------------------------------------------------------------------------------
  {
    name: 'awsAuthRefresh misplaced in ~/.claude.json',
    change: (f) => {
      delete f.settings.awsAuthRefresh;
      f.claudeState.misplacedKeys = ['awsAuthRefresh'];
    },
    id: 'auth-refresh',
    status: 'fail',
    detail: /awsAuthRefresh is in ~\/\.claude\.json, which Claude Code does not read settings from/,
    fix: /bedrock-profile init --auth-refresh/,
  },
  {
    name: 'awsAuthRefresh missing with an SSO profile',
    change: (f) => delete f.settings.awsAuthRefresh,
    id: 'auth-refresh',
    status: 'warn',
    detail: /not set: when the SSO session ends Claude Code fails/,
    fix: /^bedrock-profile init --auth-refresh$/,
  },
  {
    name: 'awsAuthRefresh signs in to another profile',
    change: (f) =>
      (f.settings.awsAuthRefresh = {
        value: 'aws sso login --profile shop-prod',
        scope: 'user',
        file: USER_FILE,
      }),
    id: 'auth-refresh',
    status: 'fail',
    detail: /signs in to profile shop-prod but Claude Code here uses shop-dev/,
    fix: /bedrock-profile init --auth-refresh/,
  },
  {
    name: 'awsAuthRefresh is the bare aws sso login: a hint',
    change: (f) =>
      (f.settings.awsAuthRefresh = {
        value: 'aws sso login --profile $AWS_PROFILE',
        scope: 'user',
        file: USER_FILE,
      }),
    id: 'auth-refresh',
    status: 'pass',
    detail:
      /hint: `bedrock-profile init --auth-refresh` uses bedrock-profile login, which refreshes silently/,
  },
  // --- the guide's "/login does not behave" row --------------------------------------------------------------------------
  {
    name: '/login: Bedrock is off, so /login goes to Anthropic',
    change: (f) => setEnv(f, 'CLAUDE_CODE_USE_BEDROCK', userEnv('0')),
    id: 'claude-login',
    status: 'fail',
    detail: /\/login signs in to an Anthropic account, not to AWS/,
    fix: /bedrock-profile init --region us-east-1/,
  },
  {
    name: '/login: an Anthropic account signed in while on Bedrock',
    change: (f) => (f.claudeState.oauthAccount = true),
    id: 'claude-login',
    status: 'warn',
    detail: /on Bedrock \/login is not used: sign in with aws sso login --profile shop-dev/,
  },
  {
    name: '/login: ANTHROPIC_API_KEY exported',
    change: (f) => setShell(f, 'ANTHROPIC_API_KEY', 'sk-ant-secret'),
    id: 'claude-login',
    status: 'warn',
    detail: /ANTHROPIC_API_KEY set: Bedrock ignores Anthropic credentials/,
    fix: /unset ANTHROPIC_API_KEY/,
  },
  // --- the guide's "every message fails" row: models ----------------------------------------------------------------------
  {
    name: 'ANTHROPIC_MODEL is an Anthropic API name',
    change: (f) => setEnv(f, 'ANTHROPIC_MODEL', userEnv('claude-sonnet-4-6')),
    id: 'model:ANTHROPIC_MODEL',
    status: 'fail',
    detail:
      /claude-sonnet-4-6 \(~\/\.claude\/settings\.json\): it is an Anthropic API model name.*every message fails/,
    fix: /bedrock-profile models --pin us\.anthropic\.claude-sonnet-4-6/,
  },
  {
    name: 'a us. profile with an EU region',
    change: (f) => {
      f.region = { value: 'eu-west-1', source: { scope: 'user', file: USER_FILE } };
      setEnv(f, 'AWS_REGION', userEnv('eu-west-1'));
    },
    id: 'model:ANTHROPIC_MODEL',
    status: 'fail',
    detail:
      /a us\. inference profile cannot be called from eu-west-1 \(from eu-west-1 use a eu\. or global\. profile\); every message fails/,
    fix: /bedrock-profile models --pin eu\.anthropic\.claude-sonnet-4-6/,
  },
  {
    name: 'an ARN from another region',
    change: (f) =>
      setEnv(
        f,
        'ANTHROPIC_DEFAULT_HAIKU_MODEL',
        userEnv('arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-haiku-4-5'),
      ),
    // Haiku serves background calls only; Claude Code still answers (test/conformance).
    id: 'model:ANTHROPIC_DEFAULT_HAIKU_MODEL',
    status: 'warn',
    detail:
      /the ARN is in us-west-2 but the region in effect is us-east-1; the background calls that use it fail/,
    fix: /bedrock-profile models --haiku/,
  },
  {
    name: 'ANTHROPIC_BEDROCK_REGION_PREFIX global',
    change: (f) => setEnv(f, 'ANTHROPIC_BEDROCK_REGION_PREFIX', userEnv('global')),
    id: 'region-prefix',
    status: 'pass',
    detail: /^global \(~\/\.claude\/settings\.json\): the default models use global\. profiles$/,
  },
  {
    // test/conformance: Claude Code falls back to a model of the region and still answers.
    name: 'ANTHROPIC_BEDROCK_REGION_PREFIX that does not serve the region',
    change: (f) => setEnv(f, 'ANTHROPIC_BEDROCK_REGION_PREFIX', userEnv('eu')),
    id: 'region-prefix',
    status: 'warn',
    detail:
      /a eu\. inference profile cannot be called from us-east-1.*falls back to another model of the region/,
  },
  {
    name: 'ANTHROPIC_BEDROCK_REGION_PREFIX not one Claude Code accepts',
    change: (f) => setEnv(f, 'ANTHROPIC_BEDROCK_REGION_PREFIX', userEnv('mars')),
    id: 'region-prefix',
    status: 'warn',
    detail: /"mars" .* is not one Claude Code accepts \(us, eu, apac, jp, au, global\)/,
  },
  {
    name: 'a foundation model id',
    change: (f) => setEnv(f, 'ANTHROPIC_DEFAULT_SONNET_MODEL', userEnv('anthropic.claude-sonnet-4-6')),
    id: 'model:ANTHROPIC_DEFAULT_SONNET_MODEL',
    status: 'warn',
    detail: /foundation model id/,
    fix: /bedrock-profile models --sonnet us\.anthropic\.claude-sonnet-4-6/,
  },
  {
    name: 'jp. fits Tokyo',
    change: (f) => {
      f.region = { value: 'ap-northeast-1', source: { scope: 'user', file: USER_FILE } };
      setEnv(f, 'ANTHROPIC_MODEL', userEnv('jp.anthropic.claude-sonnet-4-6'));
    },
    id: 'model:ANTHROPIC_MODEL',
    status: 'pass',
    detail: /fits ap-northeast-1/,
  },
  // --- our own parts -------------------------------------------------------------------------------------------------
  {
    name: 'daemon not running',
    change: (f) => (f.daemon = { running: false }),
    id: 'daemon',
    status: 'warn',
    detail: /not running/,
    fix: /bedrock-profile install/,
  },
  {
    name: 'hook not active in a bash shell',
    change: (f) => {
      f.hook = { active: false };
      setShell(f, 'SHELL', '/bin/bash');
    },
    id: 'hook',
    status: 'warn',
    detail: /not active in this shell/,
    fix: /eval "\$\(bedrock-profile hook bash\)"` to ~\/\.bashrc/,
  },
  {
    name: 'Claude Code integration not installed',
    change: (f) =>
      (f.integration = {
        statusLine: false,
        userStatusLine: false,
        hooks: [],
        shadowedBy: [],
        disabledBy: [],
      }),
    id: 'claude-integration',
    status: 'warn',
    detail: /^not installed/,
    fix: /^bedrock-profile init --claude-integration$/,
  },
  {
    name: 'Claude Code integration: the user keeps their own statusLine',
    change: (f) => {
      f.integration = { ...f.integration!, statusLine: false, userStatusLine: true };
    },
    id: 'claude-integration',
    status: 'warn',
    detail: /your own statusLine is kept/,
    fix: /\| YOUR-COMMAND\)" "\$\(printf '%s' "\$input" \| bedrock-profile statusline\)"/,
  },
  {
    name: 'Claude Code integration: two hooks missing',
    change: (f) => {
      f.integration = { ...f.integration!, hooks: ['SessionStart'] };
    },
    id: 'claude-integration',
    status: 'warn',
    detail: /^2 of our 3 hooks are missing/,
  },
  {
    name: 'hook in ~/.zshrc but not seen in this shell',
    change: (f) => (f.hook = { active: false, shell: 'zsh', installedIn: `${HOME}/.zshrc` }),
    id: 'hook',
    status: 'warn',
    detail: /loaded by ~\/\.zshrc, but not seen in this shell/,
    fix: /open a new shell/,
  },
];

describe('doctor checks', () => {
  test('the healthy setup passes every check, exit 0', () => {
    const results = offlineChecks(healthyFacts());
    const notPass = results.filter((r) => r.status !== 'pass');
    expect(notPass).toEqual([]);
    expect(exitCodeFor(results)).toBe(0);
    expect(results.map((r) => r.id)).toEqual([
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
  });

  test.each(ROWS)('$name → $id $status', (row) => {
    const facts = healthyFacts();
    row.change(facts);
    const results = offlineChecks(facts);
    const r = results.find((x) => x.id === row.id);
    expect(r, `no check ${row.id}`).toBeDefined();
    expect(r!.status).toBe(row.status);
    expect(r!.detail).toMatch(row.detail);
    if (row.fix) expect(r!.fix).toMatch(row.fix);
    if (row.status === 'fail') {
      expect(r!.fix, 'every failure carries its fix').toBeTruthy();
      expect(exitCodeFor(results)).toBe(1);
    }
    // No secret value ever reaches a check.
    const text = JSON.stringify(results);
    for (const secret of ['ABSKsecretvalue', 'sk-ant-secret', 'ASIAOLD', 'ASIAEXAMPLE', 'AKIAEXAMPLE']) {
      expect(text).not.toContain(secret);
    }
  });
});
