/**
 * Agreement (issue 2, "Must show"): for a table of fixture setups, what `bedrock-profile status --json` says
 * is what the real tools do.
 *
 * - Claude Code's side: the real JS SDK default chain (`fromNodeProviderChain`, what Claude Code's Bedrock
 *   client uses) in a child node process with Claude's environment (the settings `env` over the shell's,
 *   merged here by the documented rule, independently of src/claude) and the fixture HOME, against the fake
 *   SSO portal / STS on 127.0.0.1. The identity it gets must be the one of the profile status names (or of
 *   the env keys when status says auth is env-keys), and it must fail exactly when status says the session
 *   cannot work.
 * - The `aws` CLI's side: the real `aws sts get-caller-identity` with the SHELL environment. When status
 *   reports no error-level stray variable for `aws-cli`, the CLI must get the identity of status's profile;
 *   when it reports one, the CLI must really get another identity (the finding is not a false alarm).
 *
 * Each row also states, derived by hand from the rules, the profile, its source, the stray names and the
 * identities, so a failure says which side moved.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadAwsProfiles, profileInfo } from '../../src/aws/profiles.js';
import { readSsoToken, tokenCacheFile } from '../../src/aws/token-cache.js';
import { resolvePaths } from '../../src/platform/paths.js';
import { runAws } from '../support/aws-cli.js';
import { ssoCacheDir, writeAwsConfig, writeAwsCredentials, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, type IssuedKeys, startFakeAws } from '../support/fake-aws.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const SDK_SCRIPT = join(REPO_ROOT, 'test', 'agreement', 'sdk-identity.mjs');
const REGION = 'us-east-1';
const CORP_URL = 'https://corp.awsapps.com/start';
const OLD_URL = 'https://old.awsapps.com/start';

const CONFIG = `[default]
region = ${REGION}

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev
region = ${REGION}

[profile prod]
sso_session = corp
sso_account_id = 222222222222
sso_role_name = Prod
region = ${REGION}

[profile old]
sso_start_url = ${OLD_URL}
sso_region = ${REGION}
sso_account_id = 333333333333
sso_role_name = Legacy
region = ${REGION}

[profile chain]
role_arn = arn:aws:iam::555555555555:role/Chain
source_profile = dev
region = ${REGION}

[profile mixed]
sso_session = corp
sso_account_id = 666666666666
sso_role_name = Mixed
region = ${REGION}

[profile keys]
region = ${REGION}

[sso-session corp]
sso_start_url = ${CORP_URL}
sso_region = ${REGION}
sso_registration_scopes = sso:account:access
`;

/** "account/role-or-user" from an STS ARN (assumed-role session names differ between SDK and CLI). */
function who(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const m = /^arn:aws:(?:sts|iam)::(\d{12}):(?:assumed-role|user)\/([^/]+)/.exec(arn);
  return m ? `${m[1]}/${m[2]}` : arn;
}

/** Who each profile is, per consumer: they differ only for `mixed` (SDK: static keys; botocore: SSO). */
const SDK_ID: Record<string, string> = {
  dev: '111111111111/Dev',
  prod: '222222222222/Prod',
  old: '333333333333/Legacy',
  keys: '444444444444/keys-user',
  chain: '555555555555/Chain',
  mixed: '777777777777/mixed-keys',
};
const CLI_ID: Record<string, string> = { ...SDK_ID, mixed: '666666666666/Mixed' };
const PASTED = '999999999999/pasted';

type Env = Record<string, string>;
interface Settings {
  user?: Env;
  project?: Env;
  local?: Env;
  managed?: Env;
}
type ShellVar = string | 'PASTED_KEY_ID' | 'PASTED_SECRET';

interface Row {
  name: string;
  settings: Settings;
  /** The shell's AWS variables; PASTED_* stand for a pasted static key pair (identity PASTED). */
  shell?: Record<string, ShellVar>;
  /** Start Claude Code / run status in repo/sub instead of the repo root. */
  sub?: boolean;
  /** The corp session's access token lifetime (default an hour); negative = expired. */
  corpTtlSeconds?: number;
  /** Also write this config at ~/other/config (for AWS_CONFIG_FILE rows), and who its profiles are. */
  otherConfig?: { text: string; ids: Record<string, string> };
  legacyTtlSeconds?: number;
  expect: {
    profile: string;
    source: string;
    stray: string[];
    /** Identity the SDK gets under Claude's env, or 'fail'. */
    sdk: string | 'fail';
    /** Identity the aws CLI gets with the shell env, or 'fail'. */
    cli: string | 'fail';
    session?: string;
    /** Why a 'fail' fails, for each tool that fails. */
    failure?: { sdk?: RegExp; cli?: RegExp };
    auth?: string;
  };
}

const BEDROCK_USER: Env = { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: REGION };

const ROWS: Row[] = [
  {
    name: 'project settings name the profile, clean shell',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev' } },
    expect: {
      profile: 'dev',
      source: 'project',
      stray: [],
      sdk: SDK_ID.dev!,
      // No AWS_PROFILE in the shell (the hook exports it; here there is none) and no default credentials.
      cli: 'fail',
      session: 'valid',
      failure: { cli: /Unable to locate credentials/ },
    },
  },
  {
    name: 'project beats user',
    settings: { user: { ...BEDROCK_USER, AWS_PROFILE: 'prod' }, project: { AWS_PROFILE: 'dev' } },
    shell: { AWS_PROFILE: 'dev' },
    expect: { profile: 'dev', source: 'project', stray: [], sdk: SDK_ID.dev!, cli: CLI_ID.dev! },
  },
  {
    name: 'local (git root) beats project',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev' }, local: { AWS_PROFILE: 'prod' } },
    shell: { AWS_PROFILE: 'prod' },
    expect: { profile: 'prod', source: 'local', stray: [], sdk: SDK_ID.prod!, cli: CLI_ID.prod! },
  },
  {
    name: 'managed beats local: a legacy SSO profile',
    settings: { user: BEDROCK_USER, local: { AWS_PROFILE: 'prod' }, managed: { AWS_PROFILE: 'old' } },
    shell: { AWS_PROFILE: 'old' },
    expect: {
      profile: 'old',
      source: 'managed',
      stray: [],
      sdk: SDK_ID.old!,
      cli: CLI_ID.old!,
      session: 'valid',
    },
  },
  {
    name: 'settings beat the shell for Claude; the shell AWS_PROFILE still rules aws commands',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev' } },
    shell: { AWS_PROFILE: 'prod' },
    expect: {
      profile: 'dev',
      source: 'project',
      stray: ['AWS_PROFILE'],
      sdk: SDK_ID.dev!,
      cli: CLI_ID.prod!,
    },
  },
  {
    name: 'pasted keys next to the repo profile: the SDK keeps the profile, botocore takes the keys',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev' } },
    shell: { AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: 'PASTED_KEY_ID', AWS_SECRET_ACCESS_KEY: 'PASTED_SECRET' },
    expect: {
      profile: 'dev',
      source: 'project',
      stray: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
      sdk: SDK_ID.dev!,
      cli: PASTED,
    },
  },
  {
    name: 'no profile anywhere, pasted keys: both use the keys',
    settings: { user: BEDROCK_USER },
    shell: { AWS_ACCESS_KEY_ID: 'PASTED_KEY_ID', AWS_SECRET_ACCESS_KEY: 'PASTED_SECRET' },
    expect: {
      profile: 'default',
      source: 'default',
      stray: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
      sdk: PASTED,
      cli: PASTED,
    },
  },
  {
    name: 'shell AWS_PROFILE with no settings profile: a static-keys profile for both',
    settings: { user: BEDROCK_USER },
    shell: { AWS_PROFILE: 'keys' },
    expect: {
      profile: 'keys',
      source: 'shell',
      stray: [],
      sdk: SDK_ID.keys!,
      cli: CLI_ID.keys!,
      session: 'not-sso',
    },
  },
  {
    name: 'role chain over an SSO profile',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'chain' } },
    shell: { AWS_PROFILE: 'chain' },
    expect: {
      profile: 'chain',
      source: 'project',
      stray: [],
      sdk: SDK_ID.chain!,
      cli: CLI_ID.chain!,
      session: 'valid',
    },
  },
  {
    name: 'AWS_DEFAULT_PROFILE beats AWS_PROFILE in botocore; the SDK ignores it',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev' } },
    shell: { AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: 'prod' },
    expect: {
      profile: 'dev',
      source: 'project',
      stray: ['AWS_DEFAULT_PROFILE'],
      sdk: SDK_ID.dev!,
      cli: CLI_ID.prod!,
    },
  },
  {
    name: 'SSO keys plus static keys in one profile: the SDK takes the keys, botocore the SSO role',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'mixed' } },
    shell: { AWS_PROFILE: 'mixed' },
    expect: { profile: 'mixed', source: 'project', stray: [], sdk: SDK_ID.mixed!, cli: CLI_ID.mixed! },
  },
  {
    name: 'a session 3 minutes from its end: status says expiring, the SDK refreshes it through SSO-OIDC',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev' } },
    shell: { AWS_PROFILE: 'dev' },
    corpTtlSeconds: 180,
    expect: {
      profile: 'dev',
      source: 'project',
      stray: [],
      sdk: SDK_ID.dev!,
      cli: CLI_ID.dev!,
      session: 'expiring',
    },
  },
  {
    name: 'an expired legacy session: status says expired, the SDK and the CLI both fail',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'old' } },
    shell: { AWS_PROFILE: 'old' },
    legacyTtlSeconds: -60,
    expect: {
      profile: 'old',
      source: 'project',
      stray: [],
      sdk: 'fail',
      cli: 'fail',
      session: 'expired',
      failure: {
        sdk: /SSO session associated with this profile has expired/,
        cli: /has expired or is otherwise invalid/,
      },
    },
  },
  {
    name: 'static keys in the settings env (no profile): Claude uses them, the shell does not see them',
    settings: {
      user: { ...BEDROCK_USER, AWS_ACCESS_KEY_ID: 'PASTED_KEY_ID', AWS_SECRET_ACCESS_KEY: 'PASTED_SECRET' },
    },
    shell: { AWS_PROFILE: 'dev' },
    expect: {
      profile: 'dev',
      source: 'shell',
      stray: [],
      // AWS_PROFILE from the shell reaches Claude too: the SDK skips the settings keys (with its warning).
      sdk: SDK_ID.dev!,
      cli: CLI_ID.dev!,
      auth: 'profile',
    },
  },
  {
    name: 'a Bedrock API key in the shell: Claude skips the credential chain',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev' } },
    shell: { AWS_PROFILE: 'dev', AWS_BEARER_TOKEN_BEDROCK: 'ABSK-fake' },
    expect: {
      profile: 'dev',
      source: 'project',
      stray: ['AWS_BEARER_TOKEN_BEDROCK'],
      sdk: SDK_ID.dev!,
      cli: CLI_ID.dev!,
      auth: 'bearer-token',
    },
  },
  {
    name: 'AWS_CONFIG_FILE in the shell redirects every consumer: status reads the same file',
    settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev' } },
    shell: { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: 'HOME/other/config' },
    otherConfig: {
      text: `[profile dev]\nsso_session = corp\nsso_account_id = 888888888888\nsso_role_name = Elsewhere\nregion = ${REGION}\n\n[sso-session corp]\nsso_start_url = ${CORP_URL}\nsso_region = ${REGION}\n`,
      ids: { dev: '888888888888/Elsewhere' },
    },
    expect: {
      profile: 'dev',
      source: 'project',
      stray: ['AWS_CONFIG_FILE'],
      sdk: '888888888888/Elsewhere',
      cli: '888888888888/Elsewhere',
      session: 'valid',
    },
  },
  {
    name: 'started in a subdirectory: the project file is not read, the user profile applies',
    settings: { user: { ...BEDROCK_USER, AWS_PROFILE: 'prod' }, project: { AWS_PROFILE: 'dev' } },
    shell: { AWS_PROFILE: 'prod' },
    sub: true,
    expect: { profile: 'prod', source: 'user', stray: [], sdk: SDK_ID.prod!, cli: CLI_ID.prod! },
  },
];

interface SdkResult {
  ok: boolean;
  account?: string;
  arn?: string;
  error?: string;
  message?: string;
  warnings: string[];
}

function runSdk(env: Env, cwd: string): Promise<SdkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SDK_SCRIPT], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as SdkResult);
      } catch {
        reject(new Error(`sdk-identity printed no result: ${out} ${err}`));
      }
    });
  });
}

let fake: FakeAws;
let pasted: IssuedKeys;
let keysUser: IssuedKeys;
let mixedKeys: IssuedKeys;

beforeAll(async () => {
  fake = await startFakeAws();
  pasted = fake.seedStaticKeys({ account: '999999999999', userName: 'pasted' });
  keysUser = fake.seedStaticKeys({ account: '444444444444', userName: 'keys-user' });
  mixedKeys = fake.seedStaticKeys({ account: '777777777777', userName: 'mixed-keys' });
});
afterAll(async () => {
  await fake.close();
});

interface Fixture {
  home: TempHome;
  repo: string;
  cwd: string;
  shell: Env;
  claudeEnv: Env;
}

function setUp(row: Row): Fixture {
  const home = makeTempHome('bp-agree-');
  writeAwsConfig(home, CONFIG);
  if (row.otherConfig) home.write('other/config', row.otherConfig.text);
  writeAwsCredentials(
    home,
    `[keys]\naws_access_key_id = ${keysUser.accessKeyId}\naws_secret_access_key = ${keysUser.secretAccessKey}\n\n` +
      `[mixed]\naws_access_key_id = ${mixedKeys.accessKeyId}\naws_secret_access_key = ${mixedKeys.secretAccessKey}\n`,
  );
  const corp = fake.issueToken({ ttlSeconds: row.corpTtlSeconds ?? 3600 });
  writeSsoCache(home, 'corp', { ...corp, region: REGION, startUrl: CORP_URL });
  const legacyTtl = row.legacyTtlSeconds ?? 3600;
  const legacy = `legacy-${Math.random().toString(36).slice(2)}`;
  fake.seedAccessToken(legacy, Date.now() + legacyTtl * 1000);
  writeSsoCache(home, OLD_URL, {
    accessToken: legacy,
    expiresAt: Date.now() + legacyTtl * 1000,
    region: REGION,
    startUrl: OLD_URL,
  });

  const repo = home.mkdir('work/repo');
  execFileSync('git', ['init', '-q', repo]);
  const cwd = row.sub ? home.mkdir('work/repo/sub') : repo;
  const s = row.settings;
  if (s.user) home.write('.claude/settings.json', { env: s.user });
  if (s.project) home.write(join(repo, '.claude', 'settings.json'), { env: s.project });
  if (s.local) home.write(join(repo, '.claude', 'settings.local.json'), { env: s.local });
  if (s.managed) home.write(join(home.managedDir, 'managed-settings.json'), { env: s.managed });

  const shellVars: Env = {};
  for (const [k, v] of Object.entries(row.shell ?? {})) {
    shellVars[k] =
      v === 'PASTED_KEY_ID'
        ? pasted.accessKeyId
        : v === 'PASTED_SECRET'
          ? pasted.secretAccessKey
          : v.replace(/^HOME\//, `${home.home}/`);
  }
  const shell: Env = { ...home.env, ...fake.endpointEnv(), ...shellVars };
  // Claude Code's environment: the shell's, with the settings env on top, per variable managed > local >
  // project (start directory only) > user.
  const project = row.sub ? undefined : s.project;
  const claudeEnv: Env = { ...shell, ...s.user, ...project, ...s.local, ...s.managed };
  return { home, repo, cwd, shell, claudeEnv };
}

describe('status agrees with the JS SDK (Claude Code) and the aws CLI', () => {
  test.each(ROWS)('$name', async (row) => {
    const fx = setUp(row);
    try {
      const status = await runCli(['status', '--json'], { env: fx.shell, cwd: fx.cwd });
      expect(status.stderr).toBe('');
      const report = JSON.parse(status.stdout);
      const [sdk, cli] = await Promise.all([
        runSdk(fx.claudeEnv, fx.cwd),
        runAws(['sts', 'get-caller-identity', '--output', 'json'], fx.shell),
      ]);
      const sdkId = sdk.ok ? who(sdk.arn) : 'fail';
      // Who the profiles are in the config files each consumer reads.
      const ids = {
        sdk: fx.claudeEnv.AWS_CONFIG_FILE ? { ...SDK_ID, ...row.otherConfig?.ids } : SDK_ID,
        cli: fx.shell.AWS_CONFIG_FILE ? { ...CLI_ID, ...row.otherConfig?.ids } : CLI_ID,
      };
      const cliId = cli.code === 0 ? who(JSON.parse(cli.stdout).Arn) : 'fail';
      if (cliId === 'fail' && row.expect.cli !== 'fail') console.error(`aws: ${cli.stderr}`);
      if (process.env.BP_AGREEMENT_DEBUG) console.error(`sdk: ${JSON.stringify(sdk)}\naws: ${cli.stderr}`);
      if (sdkId === 'fail' && row.expect.sdk !== 'fail') console.error(`sdk: ${sdk.error}: ${sdk.message}`);

      // What status says, against the rules worked out by hand.
      expect({
        profile: report.profile.name,
        source: report.profile.source.scope,
        stray: report.stray.map((f: { name: string }) => f.name).sort(),
      }).toEqual({
        profile: row.expect.profile,
        source: row.expect.source,
        stray: [...row.expect.stray].sort(),
      });
      if (row.expect.session) expect(report.session.status).toBe(row.expect.session);
      if (row.expect.auth) expect(report.auth.kind).toBe(row.expect.auth);
      if (row.expect.failure?.sdk) expect(sdk.message).toMatch(row.expect.failure.sdk);
      if (row.expect.failure?.cli) expect(cli.stderr).toMatch(row.expect.failure.cli);
      // What the real tools do, against the same hand-worked rules.
      expect({ sdk: sdkId, cli: cliId }).toEqual({ sdk: row.expect.sdk, cli: row.expect.cli });

      // The agreement itself. Claude Code's side:
      const sessionUnusable =
        ['expired', 'missing', 'invalid'].includes(report.session.status) && !report.session.refreshable;
      if (report.auth.kind === 'bearer-token') {
        // Claude Code does not run the chain at all; nothing to compare.
      } else if (report.auth.kind === 'env-keys') {
        expect(sdkId).toBe(PASTED);
      } else if (sessionUnusable) {
        expect(sdk.ok).toBe(false);
      } else {
        expect(sdkId).toBe(ids.sdk[report.profile.name]);
      }
      // The aws CLI's side: an error-level finding for aws-cli means it really gets someone else.
      const cliFindings = report.stray.filter(
        (f: { consumers: string[]; severity: string }) =>
          f.consumers.includes('aws-cli') && f.severity === 'error',
      );
      const cliProfileId = ids.cli[report.profile.name];
      if (cliFindings.length === 0 && fx.shell.AWS_PROFILE === report.profile.name && !sessionUnusable) {
        expect(cliId).toBe(cliProfileId);
      }
      if (cliFindings.length > 0) expect(cliId).not.toBe(cliProfileId);

      // Pasted keys with AWS_PROFILE: the SDK warns and keeps the profile (DESIGN.md fact, checked live).
      if (fx.claudeEnv.AWS_PROFILE && fx.claudeEnv.AWS_ACCESS_KEY_ID) {
        expect(sdk.warnings.join('\n')).toMatch(/Multiple credential sources detected/);
      }
    } finally {
      fx.home.cleanup();
    }
  });

  test('AWS_CONFIG_FILE=~/...: the SDK misses the [sso-session] sections, botocore does not; our model says so', async () => {
    const other = ROWS.find((r) => r.otherConfig)!;
    const fx = setUp({
      ...other,
      name: 'tilde',
      settings: { user: BEDROCK_USER, project: { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: '~/other/config' } },
      shell: { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: '~/other/config' },
    });
    try {
      const [sdk, cli] = await Promise.all([
        runSdk(fx.claudeEnv, fx.cwd),
        runAws(['sts', 'get-caller-identity', '--output', 'json'], fx.shell),
      ]);
      // loadSharedConfigFiles expands ~/ (the profile is found), loadSsoSessionData does not (its section is not).
      expect(sdk).toMatchObject({ ok: false, message: expect.stringMatching(/sso_region/) });
      expect(cli.code).toBe(0);
      expect(who(JSON.parse(cli.stdout).Arn)).toBe('888888888888/Elsewhere');
      const model = await loadAwsProfiles(resolvePaths(fx.claudeEnv), fx.claudeEnv);
      expect(profileInfo(model, 'dev').problems).toEqual([
        expect.stringMatching(/starts with ~, which the AWS SDK does not expand/),
      ]);
      const absolute = await loadAwsProfiles(resolvePaths(fx.shell), {
        ...fx.shell,
        AWS_CONFIG_FILE: `${fx.home.home}/other/config`,
      });
      expect(profileInfo(absolute, 'dev').problems).toBeUndefined();
    } finally {
      fx.home.cleanup();
    }
  });

  test('the session the SDK refreshed is written back in its own date form and reads as valid', async () => {
    const row = ROWS.find((r) => r.corpTtlSeconds === 180)!;
    const fx = setUp(row);
    try {
      fake.clearRequests();
      const before = await runCli(['status', '--json'], { env: fx.shell, cwd: fx.cwd });
      expect(JSON.parse(before.stdout).session).toMatchObject({ status: 'expiring', refreshable: true });
      const sdk = await runSdk(fx.claudeEnv, fx.cwd);
      expect(sdk.ok).toBe(true);
      expect(fake.requestsOf('sso-oidc', 'CreateToken').map((r) => r.status)).toEqual([200]);
      const read = await readSsoToken(tokenCacheFile(ssoCacheDir(fx.home), 'corp'));
      expect(read.status).toBe('ok');
      if (read.status === 'ok') {
        expect(read.raw.expiresAt).toMatch(/\.\d{3}Z$/); // the JS SDK's toISOString()
        expect(read.token.expiresAt).toBeGreaterThan(Date.now() + 50 * 60_000);
      }
      const after = await runCli(['status', '--json'], { env: fx.shell, cwd: fx.cwd });
      expect(JSON.parse(after.stdout).session).toMatchObject({ status: 'valid', refreshable: true });
    } finally {
      fx.home.cleanup();
    }
  });
});
