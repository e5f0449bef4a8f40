/**
 * The foundation works: the real `claude -p` talks Bedrock to the fake AWS, signed with the keys the fake
 * handed out, and runs a tool when the model asks for one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeVersion, runClaude } from '../support/claude-code.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let fake: FakeAws;
let t: TempHome;
beforeEach(async () => {
  fake = await startFakeAws();
  t = makeTempHome('bp-claude-smoke-');
});
afterEach(async () => {
  await fake.close();
  t.cleanup();
});

describe(`claude -p against the fake (Claude Code ${claudeVersion()})`, () => {
  it('answers with the fake model text, every Bedrock call signed by the static keys for AWS_REGION', async () => {
    const keys = fake.seedStaticKeys({ account: '111122223333' });
    t.write(
      '.aws/credentials',
      `[default]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
    );
    const work = t.mkdir('work');
    const run = await runClaude({
      home: t.home,
      cwd: work,
      fake,
      env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'eu-central-1' },
    });
    const turns = run.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('pong');
    expect(turns.length).toBeGreaterThan(0);
    // The fake serves everything Claude Code calls at start and per turn.
    expect(run.requests.filter((r) => r.service === 'unknown')).toEqual([]);
    for (const r of run.requests.filter((r) => r.service === 'bedrock-runtime')) {
      expect(r).toMatchObject({
        auth: 'sigv4',
        accountId: '111122223333',
        region: 'eu-central-1',
        status: 200,
      });
    }
  });

  it('runs the Bash tool the model asks for, then prints the final answer', async () => {
    const keys = fake.seedStaticKeys({ account: '111122223333' });
    const work = t.mkdir('work');
    fake.queueModelAnswers(
      {
        toolUse: {
          name: 'Bash',
          input: { command: 'echo tool-ran > marker.txt', description: 'write a marker' },
        },
      },
      { text: 'done after the tool' },
    );
    const run = await runClaude({
      home: t.home,
      cwd: work,
      fake,
      args: ['--allowedTools', 'Bash'],
      env: {
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: keys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(work, 'marker.txt'))).toBe(true);
    expect(readFileSync(join(work, 'marker.txt'), 'utf8')).toBe('tool-ran\n');
    expect(run.stdout).toContain('done after the tool');
    expect(run.requests.filter((r) => r.answer === 'queued')).toHaveLength(2);
  });
});
