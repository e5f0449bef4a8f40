/**
 * Two identities in status, doctor and the daemon, as the real CLI (and the daemon's real discovery) sees
 * a repo set up with `use dev --bedrock ai-platform`: dev on the `corp` SSO session (account
 * 111122223333), ai-platform on the `platform` session (444455556666). doctor --live asks the fake AWS
 * with both identities through the real SDK clients.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { discoverSessions } from '../../src/daemon/sessions.js';
import { resolvePaths } from '../../src/platform/paths.js';
import { rememberRepo } from '../../src/state/known-repos.js';
import { writeAwsConfig, writeAwsCredentials, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const DEV = '111122223333';
const AI = '444455556666';
const REGION = 'us-east-1';
const CORP_URL = 'https://corp.awsapps.com/start';
const PLATFORM_URL = 'https://platform.awsapps.com/start';
const MIN = 60_000;

let fake: FakeAws;
let home: TempHome;
let env: Record<string, string>;
let repo: string;

beforeAll(async () => {
  fake = await startFakeAws({
    inferenceProfiles: [{ inferenceProfileId: 'us.anthropic.claude-sonnet-4-6' }],
  });
});
afterAll(async () => fake.close());
afterEach(() => home?.cleanup());

function config(extra = ''): string {
  return [
    '[profile dev]',
    'sso_session = corp',
    `sso_account_id = ${DEV}`,
    'sso_role_name = Dev',
    `region = ${REGION}`,
    '',
    '[profile ai-platform]',
    'sso_session = platform',
    `sso_account_id = ${AI}`,
    'sso_role_name = BedrockUser',
    `region = ${REGION}`,
    '',
    '[sso-session corp]',
    `sso_start_url = ${CORP_URL}`,
    `sso_region = ${REGION}`,
    '',
    '[sso-session platform]',
    `sso_start_url = ${PLATFORM_URL}`,
    `sso_region = ${REGION}`,
    '',
    extra,
  ].join('\n');
}

function signIn(session: 'corp' | 'platform', ttlMs: number, revoked = false): void {
  const t = fake.issueToken({ ttlSeconds: Math.max(1, Math.round(ttlMs / 1000)) });
  if (revoked) fake.revokeRefreshToken(t.refreshToken);
  writeSsoCache(home, session, {
    ...t,
    expiresAt: Date.now() + ttlMs,
    region: REGION,
    startUrl: session === 'corp' ? CORP_URL : PLATFORM_URL,
  });
}

async function setup(bedrock = 'ai-platform', extraConfig = ''): Promise<void> {
  home = makeTempHome('bp-two-ids-');
  writeAwsConfig(home, config(extraConfig));
  repo = home.mkdir('repo');
  home.mkdir('repo/.git');
  env = {
    ...home.env,
    ...fake.endpointEnv(),
    XDG_STATE_HOME: join(home.root, 'state'),
    AWS_REGION: REGION,
    CLAUDE_CODE_USE_BEDROCK: '1',
  };
  const r = await runCli(['use', 'dev', '--bedrock', bedrock], { env, cwd: repo });
  expect(r.code, r.stderr).toBe(0);
}

async function doctor(args: string[] = []) {
  const r = await runCli(['doctor', '--json', ...args], { env, cwd: repo, timeoutMs: 60_000 });
  const doc = JSON.parse(r.stdout) as {
    checks: Array<{ id: string; status: string; detail: string; fix: string | null }>;
  };
  return new Map(doc.checks.map((c) => [c.id, c]));
}

describe('status', () => {
  it('names both identities, with each session', async () => {
    await setup();
    signIn('corp', 50 * MIN);
    signIn('platform', 30 * MIN);
    const r = await runCli(['status'], { env, cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "identity  Bedrock: ai-platform (444455556666), agent's AWS commands: dev (111122223333)",
    );
    // Each session's real end (docs/session.md): unknown here, both signed in before we watched.
    expect(r.stdout).toMatch(
      /session {3}Bedrock \(ai-platform\): valid, session end unknown \(signed in before/,
    );
    expect(r.stdout).toMatch(/agent's \(dev\): valid, session end unknown \(signed in before/);
    const j = JSON.parse((await runCli(['status', '--json'], { env, cwd: repo })).stdout);
    expect(j.identities).toMatchObject({
      bedrock: {
        profile: 'ai-platform',
        account: AI,
        kind: 'sso',
        session: { status: 'valid', profile: 'ai-platform' },
      },
      agent: { profile: 'dev', account: DEV },
    });
    expect(j.profile.name).toBe('dev');
  });

  it('one identity (use dev alone): no identities field, the usual auth line', async () => {
    home = makeTempHome('bp-two-ids-');
    writeAwsConfig(home, config());
    repo = home.mkdir('repo');
    home.mkdir('repo/.git');
    env = { ...home.env };
    await runCli(['use', 'dev'], { env, cwd: repo });
    const j = JSON.parse((await runCli(['status', '--json'], { env, cwd: repo })).stdout);
    expect(j.identities).toBeUndefined();
    expect((await runCli(['status'], { env, cwd: repo })).stdout).not.toContain('identity');
  });

  it("stray keys are judged against the agent's commands, not Claude's Bedrock calls", async () => {
    await setup();
    const r = await runCli(['status', '--json'], {
      env: { ...env, AWS_ACCESS_KEY_ID: 'AKIASTRAY', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret' },
      cwd: repo,
    });
    const stray = JSON.parse(r.stdout).stray as Array<{
      name: string;
      consumers: string[];
      explanation: string;
    }>;
    const keys = stray.filter((f) => f.name === 'AWS_ACCESS_KEY_ID');
    expect(keys.flatMap((f) => f.consumers)).not.toContain('claude-here');
    const agent = keys.find((f) => f.consumers.includes('agent-commands'));
    expect(agent?.explanation).toBe(
      "AWS_ACCESS_KEY_ID replaces profile 'dev' (sso) with static keys for the agent's AWS commands (Claude Code's Bash tool)",
    );
    // Without awsCredentialExport the same keys are Claude's problem, and nothing is said of the agent.
    const one = await runCli(['status', '--json'], {
      env: { ...env, AWS_PROFILE: '', AWS_ACCESS_KEY_ID: 'AKIASTRAY', AWS_SECRET_ACCESS_KEY: 'x' },
      cwd: home.home,
    });
    const oneStray = JSON.parse(one.stdout).stray as Array<{ consumers: string[] }>;
    expect(oneStray.flatMap((f) => f.consumers)).toContain('claude-here');
    expect(oneStray.flatMap((f) => f.consumers)).not.toContain('agent-commands');
  });
});

describe('the hook', () => {
  it("says which stray keys reach the agent's aws commands", async () => {
    await setup();
    const r = await runCli(['resolve', '--', repo], {
      env: { ...env, AWS_ACCESS_KEY_ID: 'AKIASTRAY', AWS_SECRET_ACCESS_KEY: 'x' },
      cwd: repo,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      [
        "bedrock-profile: static keys in this shell override profile 'dev' for the",
        "  agent's aws commands",
        '  fix: unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
      ].join('\n'),
    );
  });
});

describe('doctor', () => {
  it('offline: the export resolves (profile there, session alive); both identities named', async () => {
    await setup();
    signIn('corp', 50 * MIN);
    signIn('platform', 30 * MIN);
    const c = await doctor();
    expect(c.get('bedrock-identity')!.status).toBe('pass');
    expect(c.get('bedrock-identity')!.detail).toMatch(
      /^Bedrock: ai-platform \(444455556666\), agent's AWS commands: dev \(111122223333\); SSO session platform: (29|30)m left, refreshable$/,
    );
    expect(c.get('profile')!.status).toBe('pass');
    expect(c.get('sso-session')).toMatchObject({ status: 'pass' });
  });

  it('offline: a Bedrock session that is over fails with the sign-in that fixes it', async () => {
    await setup();
    signIn('corp', 50 * MIN);
    signIn('platform', -5 * MIN, true);
    const withoutRefresh = await doctor();
    // The cache still has a refresh token: doctor cannot know offline that AWS revoked it.
    expect(withoutRefresh.get('bedrock-identity')).toMatchObject({
      status: 'warn',
      fix: 'bedrock-profile refresh --profile ai-platform',
    });
    writeSsoCache(home, 'platform', {
      accessToken: 'old',
      expiresAt: Date.now() - MIN,
      region: REGION,
      startUrl: PLATFORM_URL,
    });
    const over = await doctor();
    expect(over.get('bedrock-identity')).toMatchObject({
      status: 'fail',
      fix: 'bedrock-profile login --profile ai-platform',
    });
    expect(over.get('bedrock-identity')!.detail).toMatch(/not refreshable; the export fails$/);
  });

  it('offline: a Bedrock profile that does not exist, or has long-lived keys, fails', async () => {
    await setup('nosuch');
    const missing = await doctor();
    expect(missing.get('bedrock-identity')).toMatchObject({ status: 'fail' });
    expect(missing.get('bedrock-identity')!.detail).toContain('profile nosuch is not in ~/.aws/config');
    home.cleanup();
    await setup('keys', `[profile keys]\nregion = ${REGION}\n`);
    writeAwsCredentials(home, '[keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
    const keys = await doctor();
    expect(keys.get('bedrock-identity')).toMatchObject({ status: 'fail' });
    expect(keys.get('bedrock-identity')!.detail).toContain('accepts only temporary ones');
  });

  it('--live: STS for both identities, ListInferenceProfiles with the Bedrock one', async () => {
    await setup();
    signIn('corp', 50 * MIN);
    signIn('platform', 50 * MIN);
    fake.clearRequests();
    const c = await doctor(['--live']);
    expect(c.get('live:identity')).toMatchObject({ status: 'pass' });
    expect(c.get('live:identity')!.detail).toContain(`account ${AI}`);
    expect(c.get('live:agent-identity')).toMatchObject({ status: 'pass' });
    expect(c.get('live:agent-identity')!.detail).toContain(`account ${DEV}`);
    expect(c.get('live:inference-profiles')).toMatchObject({ status: 'pass' });
    const list = fake.requestsOf('bedrock', 'ListInferenceProfiles');
    expect(list.length).toBeGreaterThan(0);
    for (const r of list) expect(fake.identityOf(r.accessKeyId!)?.account).toBe(AI);
    const sts = fake
      .requestsOf('sts', 'GetCallerIdentity')
      .map((r) => fake.identityOf(r.accessKeyId!)?.account);
    expect(sts.sort()).toEqual([DEV, AI].sort());
  });
});

describe('models', () => {
  it('lists the inference profiles as the Bedrock identity', async () => {
    await setup();
    signIn('corp', 50 * MIN);
    signIn('platform', 50 * MIN);
    fake.clearRequests();
    const r = await runCli(['models', '--json'], { env, cwd: repo, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const list = fake.requestsOf('bedrock', 'ListInferenceProfiles');
    expect(list.length).toBeGreaterThan(0);
    for (const q of list) expect(fake.identityOf(q.accessKeyId!)?.account).toBe(AI);
  });
});

describe('login and refresh', () => {
  it("without --profile they keep the Bedrock identity's session working (what awsAuthRefresh needs)", async () => {
    await setup();
    signIn('corp', 50 * MIN);
    signIn('platform', 5 * MIN);
    const r = await runCli(['refresh'], { env, cwd: repo });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^refreshed the SSO session platform \(profile ai-platform\)/);
    const l = await runCli(['login'], { env, cwd: repo });
    expect(l.code).toBe(0);
    expect(l.stderr).toMatch(
      /^bedrock-profile: refreshed the SSO session of profile ai-platform without a browser/,
    );
  });
});

describe('daemon', () => {
  it("keeps both sessions in use: the repo's AWS_PROFILE and the profile its awsCredentialExport exports", async () => {
    await setup();
    const paths = resolvePaths(env);
    await rememberRepo(paths, { dir: repo, gitRoot: repo }, Date.now());
    const d = await discoverSessions({ env, paths, config: await loadConfig(paths.configFile) });
    expect(d.sessions.map((s) => [s.key, s.profiles])).toEqual([
      ['corp', ['dev']],
      ['platform', ['ai-platform']],
    ]);
  });
});
