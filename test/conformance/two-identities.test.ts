/**
 * Two identities with the real Claude Code: a repo set up with `bedrock-profile use dev --bedrock
 * ai-platform`; `claude -p` signs every Bedrock call with ai-platform's credentials (from its
 * awsCredentialExport, our `export`), while the Bash tool call the (scripted) model makes,
 * `aws sts get-caller-identity` with the real aws CLI, runs as dev. Both accounts are checked in the fake's
 * log, and the agent's own output.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsBinary } from '../support/aws-cli.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { claudeVersion, runClaude } from '../support/claude-code.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { BIN, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const DEV = '111122223333';
const AI_PLATFORM = '444455556666';
const STRAY = '999900001111';
const REGION = 'us-east-1';
const START_URL = 'https://corp.awsapps.com/start';

let fake: FakeAws;
let t: TempHome;
beforeEach(async () => {
  fake = await startFakeAws();
  t = makeTempHome('bp-claude-two-ids-');
});
afterEach(async () => {
  await fake.close();
  t.cleanup();
});

function accountOf(r: { accountId?: string; accessKeyId?: string }): string | undefined {
  return r.accountId ?? (r.accessKeyId ? fake.identityOf(r.accessKeyId)?.account : undefined);
}

describe(`two identities with Claude Code ${claudeVersion()}`, () => {
  it.each([
    ["the agent's aws command runs as dev (export format process)", '', false],
    ["the agent's aws command runs as dev (export format claude)", ' --format claude', false],
    ["keys left in the shell reach the agent's aws command, not Bedrock", '', true],
  ])('Bedrock signed as ai-platform; %s', async (_f, flag, strayKeys) => {
    // Keys left in the shell: the stray rules say they no longer reach Claude's Bedrock calls (the
    // export signs those) but do reach the agent's aws commands (botocore: env keys beat AWS_PROFILE).
    const stray = strayKeys ? fake.seedStaticKeys({ account: STRAY, userName: 'leftover' }) : undefined;
    const agentAccount = stray ? STRAY : DEV;
    writeAwsConfig(
      t,
      [
        '[profile dev]',
        'sso_session = corp',
        `sso_account_id = ${DEV}`,
        'sso_role_name = Dev',
        `region = ${REGION}`,
        '',
        '[profile ai-platform]',
        'sso_session = corp',
        `sso_account_id = ${AI_PLATFORM}`,
        'sso_role_name = BedrockUser',
        `region = ${REGION}`,
        '',
        '[sso-session corp]',
        `sso_start_url = ${START_URL}`,
        `sso_region = ${REGION}`,
        '',
      ].join('\n'),
    );
    const token = fake.issueToken({ ttlSeconds: 3600 });
    writeSsoCache(t, 'corp', { ...token, region: REGION, startUrl: START_URL });
    // bedrock-profile and the real aws CLI on PATH, as an installed setup has them.
    const bin = join(t.root, 'bin');
    mkdirSync(bin);
    symlinkSync(BIN, join(bin, 'bedrock-profile'));
    const path = [bin, dirname(awsBinary()), dirname(process.execPath), '/usr/bin', '/bin'].join(':');
    const repo = t.mkdir('repo');
    t.mkdir('repo/.git');
    const use = await runCli(['use', 'dev', '--bedrock', 'ai-platform'], {
      env: { ...t.env, PATH: path },
      cwd: repo,
    });
    expect(use.code, use.stderr).toBe(0);
    const settings = JSON.parse(readFileSync(join(repo, '.claude', 'settings.json'), 'utf8'));
    expect(settings).toEqual({
      env: { AWS_PROFILE: 'dev' },
      awsCredentialExport: 'bedrock-profile export --profile ai-platform',
    });
    if (flag) {
      settings.awsCredentialExport += flag;
      t.write(join(repo, '.claude', 'settings.json'), settings);
    }

    fake.queueModelAnswers(
      {
        toolUse: {
          name: 'Bash',
          input: {
            command: 'aws sts get-caller-identity --output json > caller.json',
            description: 'who am I',
          },
        },
      },
      { text: 'checked the caller identity' },
    );
    const run = await runClaude({
      home: t.home,
      cwd: repo,
      fake,
      prompt: 'Which AWS account do my aws commands use?',
      args: ['--allowedTools', 'Bash'],
      env: {
        PATH: path,
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: REGION,
        ...(stray
          ? { AWS_ACCESS_KEY_ID: stray.accessKeyId, AWS_SECRET_ACCESS_KEY: stray.secretAccessKey }
          : {}),
      },
    });
    expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
    expect(run.stdout).toContain('checked the caller identity');

    // Claude Code's Bedrock calls: every one signed with ai-platform's keys.
    const bedrock = run.requests.filter((r) => r.service === 'bedrock-runtime' || r.service === 'bedrock');
    expect(bedrock.filter((r) => r.answer === 'queued')).toHaveLength(2);
    for (const r of bedrock) {
      expect(r.auth).toBe('sigv4');
      expect(accountOf(r), JSON.stringify(r)).toBe(AI_PLATFORM);
    }
    // The agent's aws command: dev's role credentials, dev's account.
    const sts = run.requests.filter((r) => r.service === 'sts' && r.operation === 'GetCallerIdentity');
    expect(sts).toHaveLength(1);
    expect(accountOf(sts[0]!)).toBe(agentAccount);
    expect(JSON.parse(readFileSync(join(repo, 'caller.json'), 'utf8')).Account).toBe(agentAccount);
    // Both roles were fetched from the SSO portal with the one session: ai-platform by export, dev by aws.
    const roles = run.requests
      .filter((r) => r.operation === 'GetRoleCredentials')
      .map((r) => `${r.accountId}/${r.roleName}`);
    expect(new Set(roles)).toEqual(new Set([`${AI_PLATFORM}/BedrockUser`, ...(stray ? [] : [`${DEV}/Dev`])]));
  });

  it('long-lived keys in the process format: Claude Code refuses them (why --format claude refuses them first)', async () => {
    const keys = fake.seedStaticKeys({ account: AI_PLATFORM, userName: 'ci' });
    writeAwsConfig(t, `[profile dev]\nregion = ${REGION}\n[profile keys]\nregion = ${REGION}\n`);
    t.write(
      '.aws/credentials',
      `[keys]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
    );
    const bin = join(t.root, 'bin');
    mkdirSync(bin);
    symlinkSync(BIN, join(bin, 'bedrock-profile'));
    const path = [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':');
    const repo = t.mkdir('repo');
    t.mkdir('repo/.git');
    t.write(join(repo, '.claude', 'settings.json'), {
      env: { AWS_PROFILE: 'dev' },
      awsCredentialExport: 'bedrock-profile export --profile keys',
    });
    const run = await runClaude({
      home: t.home,
      cwd: repo,
      fake,
      env: { PATH: path, CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: REGION },
    });
    expect(`${run.stdout}\n${run.stderr}`).toContain('did not return valid AWS STS output structure');
    const signed = run.requests.filter((r) => r.service === 'bedrock-runtime' && r.status === 200);
    expect(signed).toEqual([]);
  });
});
