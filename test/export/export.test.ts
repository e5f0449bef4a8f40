/**
 * `bedrock-profile export`, run as the built CLI against the fake AWS for every profile kind fromIni
 * resolves (SSO, legacy SSO, role chain, static keys, credential_process) and every format, each answer
 * checked by USING it: the fake says whose keys they are, the real aws CLI takes the process format as a
 * `credential_process`, and real bash and fish evaluate the env format and call STS with it. Also: the
 * silent refresh before exporting, a session that is over (one line, no browser), the terminal refusal
 * under a real pty (`script`), and the default profile in a two-identity repo.
 */
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { awsBinary } from '../support/aws-cli.js';
import { writeAwsConfig, writeAwsCredentials, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, type IssuedKeys, startFakeAws } from '../support/fake-aws.js';
import { BIN, REPO_ROOT, runCli, runProcess } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const REGION = 'us-east-1';
const START_URL = 'https://corp.awsapps.com/start';
const LEGACY_URL = 'https://old.awsapps.com/start';
const AWS_V2_BIN = join(REPO_ROOT, 'test', 'support', 'bin-aws-v2');
const MIN = 60_000;
const BEDROCK_ACCOUNT = '444455556666';
const DEV_ACCOUNT = '111122223333';

let fake: FakeAws;
let home: TempHome;
let env: Record<string, string>;
let staticKeys: IssuedKeys;
let processKeys: IssuedKeys;
let standinLog: string;

function config(): string {
  return [
    '[profile dev]',
    'sso_session = corp',
    `sso_account_id = ${DEV_ACCOUNT}`,
    'sso_role_name = Dev',
    `region = ${REGION}`,
    '',
    '[profile ai-platform]',
    'sso_session = corp',
    `sso_account_id = ${BEDROCK_ACCOUNT}`,
    'sso_role_name = BedrockUser',
    `region = ${REGION}`,
    '',
    '[profile old]',
    `sso_start_url = ${LEGACY_URL}`,
    `sso_region = ${REGION}`,
    `sso_account_id = ${BEDROCK_ACCOUNT}`,
    'sso_role_name = Old',
    `region = ${REGION}`,
    '',
    '[profile chained]',
    'role_arn = arn:aws:iam::777788889999:role/Bedrock',
    'source_profile = dev',
    `region = ${REGION}`,
    '',
    '[profile keys]',
    `region = ${REGION}`,
    '',
    '[profile proc]',
    `credential_process = ${join(home.home, 'bin', 'creds')}`,
    `region = ${REGION}`,
    '',
    '[profile via-export]',
    `credential_process = ${process.execPath} ${BIN} export --profile ai-platform`,
    `region = ${REGION}`,
    '',
    '[sso-session corp]',
    `sso_start_url = ${START_URL}`,
    `sso_region = ${REGION}`,
    '',
  ].join('\n');
}

function signIn(ttlMs: number): { refreshToken: string; file: string } {
  const t = fake.issueToken({ ttlSeconds: Math.round(ttlMs / 1000) });
  const file = writeSsoCache(home, 'corp', { ...t, region: REGION, startUrl: START_URL });
  return { refreshToken: t.refreshToken, file };
}

beforeAll(async () => {
  fake = await startFakeAws();
  home = makeTempHome('bp-export-');
  writeAwsConfig(home, config());
  staticKeys = fake.seedStaticKeys({ account: '222233334444', userName: 'ci' });
  writeAwsCredentials(
    home,
    `[keys]\naws_access_key_id = ${staticKeys.accessKeyId}\naws_secret_access_key = ${staticKeys.secretAccessKey}\n`,
  );
  processKeys = fake.issueRoleCredentials('555566667777', 'Proc');
  const script = home.write(
    'bin/creds',
    `#!/bin/sh\nprintf '%s' '${JSON.stringify({
      Version: 1,
      AccessKeyId: processKeys.accessKeyId,
      SecretAccessKey: processKeys.secretAccessKey,
      SessionToken: processKeys.sessionToken,
      Expiration: new Date(processKeys.expiresAt!).toISOString(),
    })}'\n`,
  );
  chmodSync(script, 0o755);
  standinLog = join(home.root, 'aws-standin.log');
  env = {
    ...home.env,
    ...fake.endpointEnv(),
    // A recording `aws` v2 first on PATH: export must never run `aws sso login`.
    PATH: `${AWS_V2_BIN}:${home.env.PATH}`,
    AWS_STANDIN_LOG: standinLog,
    XDG_STATE_HOME: join(home.root, 'state'),
  };
  signIn(60 * MIN);
});
afterAll(async () => {
  await fake.close();
  home.cleanup();
});

async function exportJson(args: string[], extra: Record<string, string> = {}) {
  const r = await runCli(['export', ...args], { env: { ...env, ...extra }, timeoutMs: 30_000 });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function accountOf(accessKeyId: unknown): string | undefined {
  return fake.identityOf(String(accessKeyId))?.account;
}

describe('export: formats', () => {
  it('process: the aws configure export-credentials shape, temporary keys of the profile', async () => {
    const r = await runCli(['export', '--profile', 'ai-platform'], { env });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual([
      'Version',
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
    ]);
    expect(j.Version).toBe(1);
    expect(accountOf(j.AccessKeyId)).toBe(BEDROCK_ACCOUNT);
    expect(String(j.Expiration)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(Date.parse(String(j.Expiration))).toBeGreaterThan(Date.now());
    // json.dumps(indent=2), as the AWS CLI prints it.
    expect(r.stdout).toBe(`${JSON.stringify(j, null, 2)}\n`);
  });

  it('process: the real aws CLI uses it as a credential_process and lands in the Bedrock account', async () => {
    const r = await runProcess(
      awsBinary(),
      ['sts', 'get-caller-identity', '--profile', 'via-export', '--output', 'json'],
      { env, timeoutMs: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).Account).toBe(BEDROCK_ACCOUNT);
  });

  it('claude: the {"Credentials": ...} object every Claude Code with awsCredentialExport reads', async () => {
    const j = await exportJson(['--profile', 'ai-platform', '--format', 'claude']);
    expect(Object.keys(j)).toEqual(['Credentials']);
    const c = j.Credentials as Record<string, unknown>;
    expect(Object.keys(c)).toEqual(['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(accountOf(c.AccessKeyId)).toBe(BEDROCK_ACCOUNT);
  });

  it('env: a real bash evaluates the lines and the aws CLI signs with them', async () => {
    const r = await runProcess(
      'bash',
      [
        '-c',
        `export AWS_SESSION_TOKEN=stale; eval "$("${process.execPath}" "${BIN}" export --profile ai-platform --format env)" && "${awsBinary()}" sts get-caller-identity --output json --region ${REGION}`,
      ],
      { env: { ...env, SHELL: '/bin/bash' }, timeoutMs: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).Account).toBe(BEDROCK_ACCOUNT);
  });

  it("env: fish syntax for fish (from $SHELL or the hook's marker), evaluated by a real fish", async () => {
    const lines = await runCli(['export', '--profile', 'ai-platform', '--format', 'env'], {
      env: { ...env, SHELL: '/usr/bin/fish' },
    });
    expect(lines.stdout).toMatch(/^set -gx AWS_ACCESS_KEY_ID '/);
    const marked = await runCli(['export', '--profile', 'ai-platform', '--format', 'env'], {
      env: { ...env, SHELL: '/bin/bash', BEDROCK_PROFILE_HOOK: 'fish' },
    });
    expect(marked.stdout).toMatch(/^set -gx AWS_ACCESS_KEY_ID '/);
    const r = await runProcess(
      'fish',
      [
        '--no-config',
        '-c',
        `"${process.execPath}" "${BIN}" export --profile ai-platform --format env | source; and "${awsBinary()}" sts get-caller-identity --output json --region ${REGION}`,
      ],
      { env: { ...env, SHELL: '/usr/bin/fish' }, timeoutMs: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).Account).toBe(BEDROCK_ACCOUNT);
  });
});

describe('export: profile kinds', () => {
  it('role chain: the assumed role of the chained profile, through its SSO source', async () => {
    const j = await exportJson(['--profile', 'chained']);
    expect(accountOf(j.AccessKeyId)).toBe('777788889999');
    expect(j.SessionToken).toEqual(expect.any(String));
  });

  it('static keys: no SessionToken, no Expiration (process); lines unset them (env); claude refuses', async () => {
    const j = await exportJson(['--profile', 'keys']);
    expect(j).toEqual({
      Version: 1,
      AccessKeyId: staticKeys.accessKeyId,
      SecretAccessKey: staticKeys.secretAccessKey,
    });
    const e = await runCli(['export', '--profile', 'keys', '--format', 'env', '--shell', 'zsh'], { env });
    expect(e.stdout.split('\n')).toEqual([
      `export AWS_ACCESS_KEY_ID='${staticKeys.accessKeyId}'`,
      `export AWS_SECRET_ACCESS_KEY='${staticKeys.secretAccessKey}'`,
      'unset AWS_SESSION_TOKEN',
      'unset AWS_CREDENTIAL_EXPIRATION',
      '',
    ]);
    const c = await runCli(['export', '--profile', 'keys', '--format', 'claude'], { env });
    expect(c.code).toBe(1);
    expect(c.stdout).toBe('');
    expect(c.stderr).toMatch(/long-lived keys without a session token.*--format process/);
    expect(c.stderr).not.toContain(staticKeys.secretAccessKey);
  });

  it('credential_process: what the process prints, passed through', async () => {
    const j = await exportJson(['--profile', 'proc', '--format', 'claude']);
    const c = j.Credentials as Record<string, unknown>;
    expect(c.AccessKeyId).toBe(processKeys.accessKeyId);
    expect(c.SessionToken).toBe(processKeys.sessionToken);
  });

  it('legacy SSO: works while its token lasts, then says the session is over', async () => {
    const cache = join(home.home, '.aws', 'sso', 'cache');
    const at = `legacy-at-${Date.now()}`;
    fake.seedAccessToken(at, Date.now() + 30 * MIN);
    writeSsoCache(home, LEGACY_URL, {
      accessToken: at,
      expiresAt: Date.now() + 30 * MIN,
      region: REGION,
      startUrl: LEGACY_URL,
    });
    const j = await exportJson(['--profile', 'old']);
    expect(accountOf(j.AccessKeyId)).toBe(BEDROCK_ACCOUNT);
    writeSsoCache(home, LEGACY_URL, {
      accessToken: at,
      expiresAt: Date.now() - MIN,
      region: REGION,
      startUrl: LEGACY_URL,
    });
    const r = await runCli(['export', '--profile', 'old'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^bedrock-profile: the AWS SSO session of profile old is over \(it ended at .* UTC; a legacy SSO profile has no refresh token\); sign in with "bedrock-profile login --profile old"/,
    );
    expect(existsSync(tokenCacheFile(cache, LEGACY_URL))).toBe(true);
  });
});

describe('export: the session behind the profile', () => {
  it('refreshes silently first when the session ends within 15 minutes', async () => {
    const { file } = signIn(5 * MIN);
    const before = JSON.parse(readFileSync(file, 'utf8')).expiresAt;
    fake.clearRequests();
    const j = await exportJson(['--profile', 'ai-platform']);
    expect(accountOf(j.AccessKeyId)).toBe(BEDROCK_ACCOUNT);
    expect(fake.requestsOf('sso-oidc', 'CreateToken').map((q) => q.grantType)).toEqual(['refresh_token']);
    expect(Date.parse(JSON.parse(readFileSync(file, 'utf8')).expiresAt)).toBeGreaterThan(Date.parse(before));
  });

  it('a role chain refreshes the SSO session at its end', async () => {
    signIn(3 * MIN);
    fake.clearRequests();
    const j = await exportJson(['--profile', 'chained']);
    expect(accountOf(j.AccessKeyId)).toBe('777788889999');
    expect(fake.requestsOf('sso-oidc', 'CreateToken')).toHaveLength(1);
  });

  it('a session that is over: exit 1, one line naming login, nothing on stdout, no browser', async () => {
    const t = fake.issueToken({ ttlSeconds: 60 });
    fake.revokeRefreshToken(t.refreshToken);
    writeSsoCache(home, 'corp', {
      ...t,
      expiresAt: Date.now() - 5 * MIN,
      region: REGION,
      startUrl: START_URL,
    });
    const r = await runCli(['export', '--profile', 'ai-platform'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(
      /^bedrock-profile: the AWS SSO session of profile ai-platform is over \(it ended at .*; AWS refused to refresh it: invalid_grant\); sign in with "bedrock-profile login --profile ai-platform" \(export never opens a browser\)/,
    );
    expect(existsSync(standinLog) ? readFileSync(standinLog, 'utf8') : '').toBe('');
    signIn(60 * MIN);
  });

  it('an expired session and AWS SSO unreachable: the network named, not a sign-in', async () => {
    const t = fake.issueToken({ ttlSeconds: 60 });
    writeSsoCache(home, 'corp', { ...t, expiresAt: Date.now() - MIN, region: REGION, startUrl: START_URL });
    fake.set({ oidc: 'down' });
    try {
      const r = await runCli(['export', '--profile', 'ai-platform'], { env, timeoutMs: 60_000 });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^bedrock-profile: could not reach AWS SSO to refresh the expired session of profile ai-platform \(.*\); check the network \(VPN, proxy\) and run it again\n$/,
      );
    } finally {
      fake.set({ oidc: 'ok' });
      signIn(60 * MIN);
    }
  });

  it('a profile that does not exist: exit 1 with the fix', async () => {
    const r = await runCli(['export', '--profile', 'nope'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/there is no profile nope in .*aws configure sso --profile nope/);
  });

  it("without --profile: the profile our awsCredentialExport names here, not the agent's AWS_PROFILE", async () => {
    const repo = home.mkdir('repo-two');
    home.mkdir('repo-two/.git');
    home.write('repo-two/.claude/settings.json', {
      env: { AWS_PROFILE: 'dev' },
      awsCredentialExport: 'bedrock-profile export --profile ai-platform',
    });
    const r = await runCli(['export'], { env, cwd: repo });
    expect(r.code).toBe(0);
    expect(accountOf(JSON.parse(r.stdout).AccessKeyId)).toBe(BEDROCK_ACCOUNT);
    const plain = home.mkdir('repo-one');
    home.write('repo-one/.claude/settings.json', { env: { AWS_PROFILE: 'dev' } });
    const d = await runCli(['export'], { env, cwd: plain });
    expect(accountOf(JSON.parse(d.stdout).AccessKeyId)).toBe(DEV_ACCOUNT);
  });
});

describe('export: a terminal', () => {
  /** The CLI with stdout on a real pty (util-linux `script`), stdin closed. */
  function onPty(args: string[]) {
    const cmd = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
    return runProcess('script', ['-qec', cmd, '/dev/null'], { env, timeoutMs: 30_000 });
  }

  it('refuses to print to a terminal without --yes, before any work, and says how to pipe it', async () => {
    fake.clearRequests();
    const r = await onPty(['export', '--profile', 'ai-platform']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /export prints the secret AWS credentials of profile ai-platform, and stdout is a terminal; pipe it .*eval "\$\(bedrock-profile export --profile ai-platform --format env\)".*add --yes/,
    );
    expect(r.stdout).not.toMatch(/AccessKeyId|ASIA/);
    expect(fake.requests).toEqual([]);
  });

  it('prints with --yes', async () => {
    const r = await onPty(['export', '--profile', 'ai-platform', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/"AccessKeyId": "ASIA/);
  });
});
