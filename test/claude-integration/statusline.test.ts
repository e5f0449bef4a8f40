/**
 * `bedrock-profile statusline` as Claude Code runs it: the built launcher as a process (its fast path),
 * the JSON Claude Code 2.1.335 piped to a status line command (recorded in tmux, paths templated), and
 * Claude Code's environment (its settings' env applied, as the recording showed).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockTime, sessionWords } from '../../src/core/session-words.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const RECORDED = readFileSync(
  join(REPO_ROOT, 'test/fixtures/claude-code/statusline-input-2.1.335.json'),
  'utf8',
);
const MIN = 60_000;

let t: TempHome;
let input: string;
beforeEach(() => {
  t = makeTempHome('bp-statusline-');
  input = RECORDED.replaceAll('@HOME@', t.home);
  writeAwsConfig(
    t,
    '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n' +
      '[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 444455556666\nsso_role_name = R\n\n' +
      '[profile chained]\nrole_arn = arn:aws:iam::777788889999:role/Deploy\nsource_profile = dev\n\n' +
      '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
  );
});
afterEach(() => t.cleanup());

function claudeEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    ...t.env,
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_PROFILE: 'dev',
    AWS_REGION: 'eu-west-1',
    ...extra,
  };
  return env;
}

const token = (expiresAt: number, refreshable = true) => ({
  accessToken: 'SEKRITaccess',
  expiresAt,
  ...(refreshable ? { refreshToken: 'SEKRITrefresh', clientId: 'cid', clientSecret: 'SEKRITsecret' } : {}),
  region: 'us-east-1',
});

async function line(env: Record<string, string>, stdin = input): Promise<string> {
  const r = await runCli(['statusline'], { env, input: stdin, cwd: join(t.home) });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stdout).not.toContain('SEKRIT');
  return r.stdout.trimEnd();
}

describe('statusline', () => {
  it('shows profile, account, region, the pinned model and the time left, coloured unless NO_COLOR', async () => {
    const now = Date.now();
    writeSsoCache(t, 'corp', token(now + 6 * 60 * MIN + 12 * MIN + 30_000));
    const env = claudeEnv({ ANTHROPIC_MODEL: 'us.anthropic.claude-opus-5-5' });
    expect(await line(env)).toBe('dev 111122223333 · eu-west-1 · Opus 5.5 · 6h 12m');
    const { NO_COLOR: _, ...coloured } = env;
    expect(await line(coloured)).toBe('dev 111122223333 · eu-west-1 · Opus 5.5 · \x1b[32m6h 12m\x1b[0m');
  });

  it("leaves the model out when it is not pinned; the region is Claude Code's: AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1", async () => {
    writeSsoCache(t, 'corp', token(Date.now() + 90 * MIN + 45_000));
    const { AWS_REGION: _, ...env } = claudeEnv();
    expect(await line(env)).toBe('dev 111122223333 · us-east-1 · 1h 30m');
    expect(await line({ ...env, AWS_DEFAULT_REGION: 'ap-southeast-2' })).toBe(
      'dev 111122223333 · ap-southeast-2 · 1h 30m',
    );
    writeAwsConfig(
      t,
      '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = eu-central-1\n\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    expect(await line(env)).toBe('dev 111122223333 · eu-central-1 · 1h 30m');
    expect(await line({ ...env, AWS_DEFAULT_REGION: 'ap-southeast-2' })).toBe(
      'dev 111122223333 · ap-southeast-2 · 1h 30m',
    );
  });

  it("two identities: names the profile our awsCredentialExport signs Bedrock with, and the agent's", async () => {
    writeAwsConfig(
      t,
      '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n' +
        '[profile ai-platform]\nsso_session = corp\nsso_account_id = 444455556666\nsso_role_name = Bedrock\n\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    writeSsoCache(t, 'corp', token(Date.now() + 90 * MIN + 45_000));
    const repo = join(t.home, 'repo');
    t.mkdir('repo/.git');
    t.write(
      'repo/.claude/settings.json',
      '{"awsCredentialExport": "bedrock-profile export --profile ai-platform", "env": {"AWS_PROFILE": "dev"}}',
    );
    const stdin = JSON.stringify({ workspace: { project_dir: repo, current_dir: repo } });
    expect(await line(claudeEnv(), stdin)).toBe(
      'Bedrock ai-platform 444455556666 · agent dev · eu-west-1 · 1h 30m',
    );
    // Keys left in the shell do not sign Bedrock while the export is set.
    expect(await line(claudeEnv({ AWS_ACCESS_KEY_ID: 'AKIASTRAY', AWS_PROFILE: '' }), stdin)).toBe(
      'Bedrock ai-platform 444455556666 · agent default · eu-west-1 · 1h 30m',
    );
  });

  it('a session that cannot be refreshed: when it ends; once over: signed out, with the fix', async () => {
    const ends = Date.now() + 40 * MIN;
    writeSsoCache(t, 'corp', token(ends, false));
    expect(await line(claudeEnv())).toBe(
      `dev 111122223333 · eu-west-1 · ends ${clockTime(ends)}, not refreshable`,
    );
    writeSsoCache(t, 'corp', token(Date.now() - MIN, false));
    expect(await line(claudeEnv())).toBe(
      'dev 111122223333 · eu-west-1 · signed out: run bedrock-profile login',
    );
  });

  it('no token at all: signed out; a legacy profile and a role chain sign in through their SSO session', async () => {
    expect(await line(claudeEnv())).toBe(
      'dev 111122223333 · eu-west-1 · signed out: run bedrock-profile login',
    );
    writeSsoCache(t, 'https://old.awsapps.com/start', token(Date.now() + 30 * MIN, false));
    expect(await line(claudeEnv({ AWS_PROFILE: 'old' }))).toMatch(
      /^old 444455556666 · eu-west-1 · ends \d\d:\d\d, not refreshable$/,
    );
    writeSsoCache(t, 'corp', token(Date.now() + 50 * MIN + 45_000));
    expect(await line(claudeEnv({ AWS_PROFILE: 'chained' }))).toBe('chained 777788889999 · eu-west-1 · 50m');
  });

  it('refreshing: the daemon runs and has the refresh due now', async () => {
    const now = Date.now();
    writeSsoCache(t, 'corp', token(now + 3 * MIN));
    const stateDir = join(t.home, '.local/state/bedrock-profile');
    t.write(join(stateDir, 'daemon.lock'), {
      pid: process.pid,
      startedAt: now,
      purpose: 'daemon',
      token: 'x',
    });
    t.write(join(stateDir, 'daemon.json'), {
      version: 1,
      pid: process.pid,
      startedAt: now,
      updatedAt: now,
      sessions: [
        {
          key: 'corp',
          profiles: ['dev'],
          kind: 'sso',
          token: 'ok',
          next: { action: 'refresh', at: now - 1000 },
        },
      ],
      memory: {},
    });
    expect(await line(claudeEnv())).toBe('dev 111122223333 · eu-west-1 · refreshing');
    // A dead daemon refreshes nothing: the minutes left, in the warning tone.
    t.write(join(stateDir, 'daemon.lock'), {
      pid: 2 ** 22 + 12345,
      startedAt: now,
      purpose: 'daemon',
      token: 'x',
    });
    expect(await line(claudeEnv())).toMatch(/^dev 111122223333 · eu-west-1 · [23]m$/);
  });

  it('other credentials: a Bedrock API key, keys in the environment, not on Bedrock, an unknown profile', async () => {
    expect(await line(claudeEnv({ AWS_BEARER_TOKEN_BEDROCK: 'SEKRITkey' }))).toBe(
      'Bedrock API key · eu-west-1',
    );
    const { AWS_PROFILE: _, ...noProfile } = claudeEnv({
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'SEKRITs',
    });
    expect(await line(noProfile)).toBe('keys from AWS_ACCESS_KEY_ID · eu-west-1');
    const { CLAUDE_CODE_USE_BEDROCK: __, ...notBedrock } = claudeEnv();
    expect(await line(notBedrock)).toBe('not on Bedrock (CLAUDE_CODE_USE_BEDROCK unset)');
    expect(await line(claudeEnv({ AWS_PROFILE: 'nope' }))).toBe(
      'nope (no such profile) · eu-west-1 · run bedrock-profile doctor',
    );
  });

  it('malformed, empty or hostile input: the same line without the model; no stack trace, no escape injected', async () => {
    writeSsoCache(t, 'corp', token(Date.now() + 90 * MIN + 45_000));
    const env = claudeEnv({ ANTHROPIC_MODEL: 'm1' });
    for (const bad of [
      '',
      'not json',
      '[1,2]',
      '{"model": 5}',
      '{"model":{"display_name":{"x":1}}}',
      '\u0000\u0001',
    ]) {
      expect(await line(env, bad)).toBe('dev 111122223333 · eu-west-1 · m1 · 1h 30m');
    }
    const hostile = JSON.stringify({ model: { display_name: 'Evil\x1b[2J\nsecond line' } });
    expect(await line(env, hostile)).toBe('dev 111122223333 · eu-west-1 · Evil?[2J second line · 1h 30m');
    const { HOME: _, ...noHome } = env;
    expect(await line(noHome)).toBe('bedrock-profile: status unavailable (run bedrock-profile doctor)');
  });

  it('parses the AWS config once: the facts cache follows edits of the config file', async () => {
    writeSsoCache(t, 'corp', token(Date.now() + 90 * MIN + 45_000));
    expect(await line(claudeEnv())).toBe('dev 111122223333 · eu-west-1 · 1h 30m');
    const cache = join(t.home, '.cache/bedrock-profile/statusline-profiles.json');
    expect(readFileSync(cache, 'utf8')).toContain('111122223333');
    const config = join(t.home, '.aws/config');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('sso_account_id = 111122223333', 'sso_account_id = 999988887777'),
    );
    expect(await line(claudeEnv())).toBe('dev 999988887777 · eu-west-1 · 1h 30m');
    // A damaged cache is a miss, not an error.
    writeFileSync(cache, '{"version":1,"entries":');
    expect(await line(claudeEnv())).toBe('dev 999988887777 · eu-west-1 · 1h 30m');
  });
});

describe('sessionWords', () => {
  const now = Date.UTC(2026, 11, 3, 10, 0);
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  it('reads at a glance', () => {
    const ok = { token: 'ok' as const, refreshable: true };
    expect(sessionWords({ ...ok, expiresAt: now + 372 * MIN }, now, clock)).toEqual({
      text: '6h 12m',
      tone: 'ok',
      signedOut: false,
    });
    expect(sessionWords({ ...ok, expiresAt: now + 10 * MIN }, now, clock).tone).toBe('warn');
    expect(sessionWords({ ...ok, expiresAt: now - MIN }, now, clock).text).toBe(
      'expired: run bedrock-profile login',
    );
    expect(sessionWords({ ...ok, expiresAt: now + 2 * MIN, daemonRefreshing: true }, now, clock).text).toBe(
      'refreshing',
    );
    expect(sessionWords({ token: 'ok', expiresAt: now + 422 * MIN, refreshable: false }, now, clock)).toEqual(
      {
        text: 'ends 17:02, not refreshable',
        tone: 'ok',
        signedOut: false,
      },
    );
    expect(sessionWords({ token: 'ok', expiresAt: now + 30 * MIN }, now, clock).tone).toBe('warn');
    for (const token of ['missing', 'unreadable', 'corrupt'] as const)
      expect(sessionWords({ token }, now, clock)).toEqual({
        text: 'signed out: run bedrock-profile login',
        tone: 'bad',
        signedOut: true,
      });
  });
});
