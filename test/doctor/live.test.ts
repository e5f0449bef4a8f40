/**
 * `doctor --live` and `models` against the fake AWS on 127.0.0.1, through the real SDK clients (STS,
 * Bedrock, Bedrock Runtime, and the SSO portal behind `fromIni`), run as the real CLI. Covers the guide's
 * AccessDeniedException row and expired credentials; checks that the credentials used are the profile's.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { BIN, runCli } from '../support/run-cli.js';
import { type GuideHome, makeGuideHome, USER_SETTINGS } from './setup-home.js';

let fake: FakeAws;
let home: GuideHome;

const PROFILES = [
  {
    inferenceProfileId: 'us.anthropic.claude-sonnet-4-6',
    inferenceProfileName: 'US Anthropic Claude Sonnet 4.6',
  },
  {
    inferenceProfileId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    inferenceProfileName: 'US Anthropic Claude Haiku 4.5',
  },
  {
    inferenceProfileId: 'global.anthropic.claude-opus-4-6-v1',
    inferenceProfileName: 'Global Claude Opus 4.6',
  },
  {
    inferenceProfileId: 'us.meta.llama4-maverick-17b-instruct-v1:0',
    inferenceProfileName: 'US Meta Llama 4 Maverick',
  },
  { inferenceProfileId: 'us.amazon.nova-pro-v1:0', inferenceProfileName: 'US Nova Pro' },
];

beforeAll(async () => {
  fake = await startFakeAws({ inferenceProfiles: PROFILES });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  home?.cleanup();
  fake.set({ bedrock: 'ok', portal: 'ok', sts: 'ok' });
  fake.clearRequests();
});

/** The guide's setup, signed in to `corp` with a token the fake's SSO portal accepts. */
function signedInHome(): GuideHome {
  const h = makeGuideHome();
  const ttl = 6 * 3_600_000;
  const accessToken = `tok-${randomUUID()}`;
  h.signIn('corp', ttl, { accessToken });
  fake.seedAccessToken(accessToken, Date.now() + ttl);
  Object.assign(h.env, fake.endpointEnv());
  return h;
}

interface JsonCheck {
  id: string;
  status: string;
  detail: string;
  fix: string | null;
}

async function doctorJson(
  args: string[],
): Promise<{ code: number; checks: Map<string, JsonCheck>; raw: string }> {
  const r = await runCli(['doctor', '--json', ...args], { env: home.env, cwd: home.repo, timeoutMs: 60_000 });
  const doc = JSON.parse(r.stdout);
  return {
    code: r.code,
    checks: new Map(doc.checks.map((c: JsonCheck) => [c.id, c])),
    raw: r.stdout + r.stderr,
  };
}

describe('doctor --live', () => {
  test('with the profile in effect: identity, inference profiles with the pinned model, a test message', async () => {
    home = signedInHome();
    const { code, checks, raw } = await doctorJson(['--live', '--invoke']);
    const id = checks.get('live:identity')!;
    expect(id.status).toBe('pass');
    expect(id.detail).toMatch(
      /^account 111111111111, arn:aws:sts::111111111111:assumed-role\/Developer\/.* \(profile dev\)$/,
    );
    expect(checks.get('live:inference-profiles')).toMatchObject({
      status: 'pass',
      detail: '3 Anthropic profiles in us-east-1, including the pinned us.anthropic.claude-sonnet-4-6',
    });
    expect(checks.get('live:invoke')).toMatchObject({
      status: 'pass',
      detail: 'us.anthropic.claude-sonnet-4-6 answered: pong',
    });
    expect(code).toBe(0);
    // The profile's SSO role was used (not some other credentials), and the message went to the pinned model.
    expect(fake.requestsOf('sso').map((r) => [r.accountId, r.roleName])).toContainEqual([
      '111111111111',
      'Developer',
    ]);
    expect(fake.requestsOf('bedrock-runtime', 'Converse').map((r) => r.modelId)).toEqual([
      'us.anthropic.claude-sonnet-4-6',
    ]);
    expect(raw).not.toMatch(/tok-[0-9a-f-]{36}/);
  });

  test('AccessDeniedException: names the IAM actions the guide lists, for the role in effect', async () => {
    home = signedInHome();
    fake.set({ bedrock: 'accessDenied' });
    const { code, checks } = await doctorJson(['--live', '--invoke']);
    expect(code).toBe(1);
    expect(checks.get('live:identity')!.status).toBe('pass');
    const p = checks.get('live:inference-profiles')!;
    expect(p.status).toBe('fail');
    expect(p.detail).toContain('AccessDeniedException: You do not have access to the model');
    expect(p.fix).toMatch(
      /^grant bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream, bedrock:ListInferenceProfiles, bedrock:GetInferenceProfile to arn:aws:sts::111111111111:assumed-role\/Developer\//,
    );
    expect(checks.get('live:invoke')!.status).toBe('fail');
    expect(checks.get('live:invoke')!.fix).toContain('bedrock:InvokeModelWithResponseStream');
  });

  test('expired token answers: the fix is signing in to the profile in effect', async () => {
    home = signedInHome();
    fake.set({ bedrock: 'expiredToken' });
    const { code, checks } = await doctorJson(['--live']);
    expect(code).toBe(1);
    const p = checks.get('live:inference-profiles')!;
    expect(p.status).toBe('fail');
    expect(p.detail).toContain('ExpiredTokenException');
    expect(p.fix).toMatch(/^aws sso login --profile dev /);
    expect(checks.get('live:invoke')!.status).toBe('skip');
  });

  test('the SSO portal rejects the token (session ended): identity fails with the sign-in fix', async () => {
    home = signedInHome();
    fake.set({ portal: 'unauthorized' });
    const { code, checks } = await doctorJson(['--live']);
    expect(code).toBe(1);
    const id = checks.get('live:identity')!;
    expect(id.status).toBe('fail');
    expect(id.fix).toMatch(/^aws sso login --profile dev /);
  });

  test('the pinned model is not in the region: every message fails, the fix pins a listed one', async () => {
    home = signedInHome();
    home.write('.claude/settings.json', {
      ...USER_SETTINGS,
      env: { ...USER_SETTINGS.env, ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-9-9' },
    });
    const { code, checks } = await doctorJson(['--live']);
    expect(code).toBe(1);
    const p = checks.get('live:inference-profiles')!;
    expect(p.status).toBe('fail');
    expect(p.detail).toContain(
      'the pinned ANTHROPIC_MODEL us.anthropic.claude-sonnet-9-9 is not among the 3 Anthropic profiles in us-east-1',
    );
    expect(p.fix).toMatch(/^bedrock-profile models --pin global\.anthropic\.claude-opus-4-6-v1 /);
  });

  test('an alias as ANTHROPIC_MODEL: the test message goes to a listed Sonnet profile that fits the region', async () => {
    home = signedInHome();
    home.write('.claude/settings.json', {
      ...USER_SETTINGS,
      env: { ...USER_SETTINGS.env, ANTHROPIC_MODEL: 'opusplan' },
    });
    const { code, checks } = await doctorJson(['--invoke']);
    expect(checks.get('live:inference-profiles')!.detail).toContain('model alias opusplan');
    expect(checks.get('live:invoke')).toMatchObject({
      status: 'pass',
      detail: 'us.anthropic.claude-sonnet-4-6 answered: pong',
    });
    expect(code).toBe(0);
  });

  test('pasted keys in the environment are what Claude Code uses without AWS_PROFILE', async () => {
    home = signedInHome();
    home.write('src/shop/.claude/settings.json', { permissions: { allow: [] } });
    const keys = fake.seedStaticKeys({ account: '333333333333', userName: 'ana' });
    Object.assign(home.env, {
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    });
    const { checks, raw } = await doctorJson(['--live']);
    expect(checks.get('live:identity')!.detail).toMatch(
      /^account 333333333333, arn:aws:iam::333333333333:user\/ana \(keys from the environment \(AWS_ACCESS_KEY_ID\)\)$/,
    );
    expect(raw).not.toContain(keys.secretAccessKey);
  });

  test('a Bedrock API key: STS is skipped, Bedrock answers with the bearer key', async () => {
    home = signedInHome();
    fake.seedBedrockApiKey('ABSK-test-key-value', '444444444444');
    home.write('.claude/settings.json', {
      ...USER_SETTINGS,
      env: { ...USER_SETTINGS.env, AWS_BEARER_TOKEN_BEDROCK: 'ABSK-test-key-value' },
    });
    const { code, checks, raw } = await doctorJson(['--live', '--invoke']);
    expect(checks.get('live:identity')!.status).toBe('skip');
    expect(checks.get('live:inference-profiles')!.status).toBe('pass');
    expect(checks.get('live:invoke')!.status).toBe('pass');
    expect(code).toBe(0);
    expect(raw).not.toContain('ABSK-test-key-value');
  });

  test('awsCredentialExport in a repo: doctor never runs its command', async () => {
    home = signedInHome();
    const marker = join(home.root, 'ran');
    home.write('src/shop/.claude/settings.json', {
      env: { AWS_PROFILE: 'dev' },
      awsCredentialExport: `touch ${marker}`,
    });
    const { checks } = await doctorJson(['--live', '--invoke']);
    expect(checks.get('live:identity')).toMatchObject({ status: 'skip' });
    expect(checks.get('live:identity')!.detail).toContain(
      'awsCredentialExport, a command doctor does not run',
    );
    expect(checks.get('auth-method')!.detail).toContain('awsCredentialExport');
    expect(existsSync(marker)).toBe(false);
    expect(fake.requests.length).toBe(0);
  });

  test('a repo redirecting the AWS config or an endpoint: live checks refuse to follow it', async () => {
    home = signedInHome();
    const marker = join(home.root, 'ran');
    home.write('src/shop/evil-config', `[profile dev]\ncredential_process = touch ${marker}\n`);
    home.write('src/shop/.claude/settings.json', {
      env: {
        AWS_PROFILE: 'dev',
        AWS_CONFIG_FILE: join(home.repo, 'evil-config'),
        AWS_ENDPOINT_URL_BEDROCK: 'http://127.0.0.1:9',
      },
    });
    const { checks, code } = await doctorJson(['--live']);
    const live = checks.get('live')!;
    expect(live.status).toBe('warn');
    expect(live.detail).toContain("the repo's settings set AWS_CONFIG_FILE");
    expect(live.detail).toContain('AWS_ENDPOINT_URL_BEDROCK');
    expect(checks.has('live:identity')).toBe(false);
    expect(existsSync(marker)).toBe(false);
    expect(fake.requests.length).toBe(0);
    expect([0, 1]).toContain(code);
    const m = await runCli(['models'], { env: home.env, cwd: home.repo, timeoutMs: 60_000 });
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('does not follow a repo to other AWS files or endpoints');
    expect(existsSync(marker)).toBe(false);
  });

  test('offline doctor loads no AWS SDK client', () => {
    home = signedInHome();
    const preload = home.write(
      join(home.root, 'dump.cjs'),
      "process.on('exit', () => require('fs').writeFileSync(process.env.DUMP, Object.keys(require.cache).join('\\n')));",
    );
    const dump = join(home.root, 'modules.txt');
    const r = spawnSync(process.execPath, ['--require', preload, BIN, 'doctor'], {
      env: { ...home.env, DUMP: dump },
      cwd: home.repo,
    });
    expect([0, 1]).toContain(r.status);
    const modules = readFileSync(dump, 'utf8').split('\n');
    expect(modules.some((m) => m.includes('shared-ini-file-loader'))).toBe(true);
    expect(modules.filter((m) => m.includes('@aws-sdk/'))).toEqual([]);
  });
});

describe('models', () => {
  test('lists the Anthropic inference profiles of the region in effect (text and --json)', async () => {
    home = signedInHome();
    const r = await runCli(['models'], { env: home.env, cwd: home.repo, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'global.anthropic.claude-opus-4-6-v1          Global Claude Opus 4.6',
        'us.anthropic.claude-haiku-4-5-20251001-v1:0  US Anthropic Claude Haiku 4.5',
        'us.anthropic.claude-sonnet-4-6               US Anthropic Claude Sonnet 4.6',
        '',
        'pin one: bedrock-profile models --pin global.anthropic.claude-opus-4-6-v1   (also --sonnet ID, --haiku ID)',
        '',
      ].join('\n'),
    );
    const j = await runCli(['models', '--json'], { env: home.env, cwd: home.repo, timeoutMs: 60_000 });
    const doc = JSON.parse(j.stdout);
    expect(doc.region).toBe('us-east-1');
    expect(doc.auth).toBe('profile dev');
    expect(doc.profiles.map((p: { id: string }) => p.id)).toEqual([
      'global.anthropic.claude-opus-4-6-v1',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'us.anthropic.claude-sonnet-4-6',
    ]);
    const listCalls = fake.requestsOf('bedrock');
    expect(listCalls.length).toBe(2);
  });

  test('--pin/--sonnet/--haiku write the user settings env; only those keys change', async () => {
    home = signedInHome();
    const file = join(home.home, '.claude', 'settings.json');
    const before = readFileSync(file, 'utf8');
    const r = await runCli(
      [
        'models',
        '--pin',
        'global.anthropic.claude-opus-4-6-v1',
        '--sonnet',
        'us.anthropic.claude-sonnet-4-6',
        '--haiku',
        'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      ],
      { env: home.env, cwd: home.repo, timeoutMs: 60_000 },
    );
    // (stderr may hold the AWS SDK's own Node 20 support notice; nothing of ours.)
    expect(r.stderr).not.toContain('bedrock-profile');
    expect(r.stderr).not.toContain('warning: ');
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace(
        '"ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-6"',
        [
          '"ANTHROPIC_MODEL": "global.anthropic.claude-opus-4-6-v1",',
          '    "ANTHROPIC_DEFAULT_SONNET_MODEL": "us.anthropic.claude-sonnet-4-6",',
          '    "ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0"',
        ].join('\n'),
      ),
    );
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(before);
  });

  test('a pin shadowed by the project settings is written, with a warning naming the file that wins', async () => {
    home = signedInHome();
    home.write('src/shop/.claude/settings.json', {
      env: { AWS_PROFILE: 'dev', ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6' },
    });
    const r = await runCli(['models', '--pin', 'global.anthropic.claude-opus-4-6-v1'], {
      env: home.env,
      cwd: home.repo,
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `warning: ANTHROPIC_MODEL is also set in ${join(home.repo, '.claude', 'settings.json')}, which takes precedence here; remove it there`,
    );
    expect(readFileSync(join(home.home, '.claude', 'settings.json'), 'utf8')).toContain(
      '"ANTHROPIC_MODEL": "global.anthropic.claude-opus-4-6-v1"',
    );
  });

  test('--dry-run prints the diff of the pin and writes nothing', async () => {
    home = signedInHome();
    const file = join(home.home, '.claude', 'settings.json');
    const before = readFileSync(file, 'utf8');
    const r = await runCli(
      ['models', '--haiku', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', '--dry-run'],
      {
        env: home.env,
        cwd: home.repo,
        timeoutMs: 60_000,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--- ${file}\n+++ ${file}\n`);
    expect(r.stdout).toContain(
      '-    "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-6"\n+    "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-6",\n+    "ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0"\n',
    );
    expect(r.stdout).toContain('dry run: nothing written');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('a pin that is not listed is a usage error naming the choices; nothing written', async () => {
    home = signedInHome();
    const file = join(home.home, '.claude', 'settings.json');
    const before = readFileSync(file, 'utf8');
    const r = await runCli(['models', '--pin', 'us.meta.llama4-maverick-17b-instruct-v1:0'], {
      env: home.env,
      cwd: home.repo,
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'is not an Anthropic inference profile in us-east-1; choose one of: global.anthropic.claude-opus-4-6-v1',
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('AccessDenied and expired answers: exit 1 with the IAM actions or the sign-in', async () => {
    home = signedInHome();
    fake.set({ bedrock: 'accessDenied' });
    const denied = await runCli(['models'], { env: home.env, cwd: home.repo, timeoutMs: 60_000 });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('AccessDeniedException');
    expect(denied.stderr).toContain(
      'grant bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream, bedrock:ListInferenceProfiles, bedrock:GetInferenceProfile',
    );
    fake.set({ bedrock: 'expiredToken' });
    const expired = await runCli(['models'], { env: home.env, cwd: home.repo, timeoutMs: 60_000 });
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain('ExpiredTokenException');
    expect(expired.stderr).toContain('aws sso login --profile dev');
  });
});
