/**
 * Facts about Claude Code that docs/claude-code.md states and the product relies on, each checked against
 * the real binary (beyond the conformance table, which compares whole setups with status and doctor).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeVersion, runClaude } from '../support/claude-code.js';
import { type FakeAws, type IssuedKeys, startFakeAws } from '../support/fake-aws.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let fake: FakeAws;
let t: TempHome;
let keys: IssuedKeys;
beforeEach(async () => {
  fake = await startFakeAws();
  t = makeTempHome('bp-claude-facts-');
  keys = fake.seedStaticKeys({ account: '111122223333' });
  t.write(
    '.aws/credentials',
    `[default]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
  );
});
afterEach(async () => {
  await fake.close();
  t.cleanup();
});

const turn = (run: Awaited<ReturnType<typeof runClaude>>) =>
  run.requests.filter((r) => (r.tools ?? 0) > 0).at(-1);

describe(`facts of Claude Code ${claudeVersion()}`, () => {
  it('CLAUDE_CODE_MANAGED_SETTINGS_PATH does not move the managed settings file', async () => {
    const managed = t.write('managed/managed-settings.json', { env: { AWS_REGION: 'eu-south-1' } });
    const run = await runClaude({
      home: t.home,
      cwd: t.mkdir('w'),
      fake,
      env: {
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: 'us-east-2',
        CLAUDE_CODE_MANAGED_SETTINGS_PATH: managed,
      },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // Managed settings would beat the shell; the file was not read.
    expect(turn(run)?.region).toBe('us-east-2');
  });

  it('ANTHROPIC_BEDROCK_REGION_PREFIX picks the geography of the default models', async () => {
    const run = await runClaude({
      home: t.home,
      cwd: t.mkdir('w'),
      fake,
      env: {
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: 'eu-west-1',
        ANTHROPIC_BEDROCK_REGION_PREFIX: 'global',
      },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(turn(run)?.modelId).toMatch(/^global\.anthropic\./);
  });

  it('without a prefix, the default models take the geography of the region (ca-central-1: global.)', async () => {
    const run = await runClaude({
      home: t.home,
      cwd: t.mkdir('w'),
      fake,
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'ca-central-1' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(turn(run)?.modelId).toMatch(/^global\.anthropic\./);
  });

  it('CLAUDE_CODE_USE_MANTLE with CLAUDE_CODE_USE_BEDROCK: bedrock-runtime wins', async () => {
    const run = await runClaude({
      home: t.home,
      cwd: t.mkdir('w'),
      fake,
      env: { CLAUDE_CODE_USE_BEDROCK: '1', CLAUDE_CODE_USE_MANTLE: '1', AWS_REGION: 'us-east-1' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(turn(run)?.service).toBe('bedrock-runtime');
  });

  it('Mantle: the Messages API on bedrock-mantle, SigV4 service bedrock-mantle, ids without a geography', async () => {
    const run = await runClaude({
      home: t.home,
      cwd: t.mkdir('w'),
      fake,
      env: { CLAUDE_CODE_USE_MANTLE: '1', AWS_REGION: 'us-east-1' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const r = turn(run)!;
    expect(r.service).toBe('bedrock-mantle');
    expect(r.modelId).toMatch(/^anthropic\.claude-/);
    expect(r).toMatchObject({
      path: '/anthropic/v1/messages',
      signingService: 'bedrock-mantle',
      region: 'us-east-1',
    });
  });

  it('awsAuthRefresh set: Claude Code first checks the credentials with STS GetCallerIdentity', async () => {
    t.write('.claude/settings.json', {
      awsAuthRefresh: 'true',
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' },
    });
    const run = await runClaude({ home: t.home, cwd: t.mkdir('w'), fake });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.requests[0]).toMatchObject({ service: 'sts', operation: 'GetCallerIdentity', status: 200 });
    expect(run.requests[0]!.accessKeyId).toBe(keys.accessKeyId);
  });

  it('without awsAuthRefresh there is no STS pre-check', async () => {
    const run = await runClaude({
      home: t.home,
      cwd: t.mkdir('w'),
      fake,
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.requests.filter((r) => r.service === 'sts')).toEqual([]);
  });
});

describe(`facts of Claude Code ${claudeVersion()}: auth and models`, () => {
  it('CLAUDE_CODE_SKIP_BEDROCK_AUTH: every Bedrock call goes out unsigned (real Bedrock rejects them)', async () => {
    const run = await runClaude({
      home: t.home,
      cwd: t.mkdir('w'),
      fake,
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1' },
    });
    expect(run.code).not.toBe(0);
    const bedrock = run.requests.filter((r) => r.service.startsWith('bedrock'));
    expect(bedrock.length).toBeGreaterThan(0);
    for (const r of bedrock) expect(r).toMatchObject({ auth: 'none', status: 403 });
    expect(run.requests.filter((r) => r.service === 'sts' || r.service === 'sso')).toEqual([]);
  });

  it('modelOverrides (user settings) replaces the default main model id', async () => {
    t.write('.claude/settings.json', {
      modelOverrides: { 'claude-opus-5-5': 'eu.anthropic.claude-opus-4-1-20250805-v1:0' },
    });
    const run = await runClaude({
      home: t.home,
      cwd: t.mkdir('w'),
      fake,
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'eu-west-1' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(turn(run)?.modelId).toBe('eu.anthropic.claude-opus-4-1-20250805-v1:0');
  });
});

describe(`facts of Claude Code ${claudeVersion()}: awsCredentialExport`, () => {
  it('runs at every start, even while the credentials it gave last time have not expired', async () => {
    const creds = fake.issueRoleCredentials('888888888888', 'Exported');
    const marker = `${t.root}/export-ran`;
    const json = JSON.stringify({
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: new Date(creds.expiresAt!).toISOString(),
      },
    });
    const script = t.write('bin/export', `#!/bin/sh\necho ran >> ${marker}\nprintf '%s' '${json}'\n`, 0o755);
    t.write('.claude/settings.json', {
      awsCredentialExport: script,
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' },
    });
    const cwd = t.mkdir('w');
    for (let i = 0; i < 2; i++) {
      const run = await runClaude({ home: t.home, cwd, fake });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(turn(run)?.accessKeyId).toBe(creds.accessKeyId);
    }
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(marker, 'utf8')).toBe('ran\nran\n');
  });
});
