import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { runClaude } from '../support/claude-code.js';
import { startFakeAws } from '../support/fake-aws.js';
import { BIN, runCli } from '../support/run-cli.js';
import { makeTempHome } from '../support/temp-home.js';

it('dbg', async () => {
  const fake = await startFakeAws();
  const t = makeTempHome('bp-dbg-');
  const work = t.mkdir('work');
  const bin = t.mkdir('bin');
  symlinkSync(BIN, join(bin, 'bedrock-profile'));
  const path = `${bin}:${process.env.PATH}`;
  writeAwsConfig(
    t,
    '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n\n' +
      `[profile prod]\nsso_session = corp\nsso_account_id = 222233334444\nsso_role_name = Admin\n\n[sso-session corp]\nsso_start_url = ${fake.url}/start\nsso_region = us-east-1\n`,
  );
  t.write('.claude/settings.json', {
    env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' },
  });
  const log = join(t.root, 'hook.log');
  const probe = (ev: string) => ({
    hooks: [
      {
        type: 'command',
        command: `for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo "${ev} $i $(date +%s.%N)" >> ${log}; sleep 0.1; done`,
      },
    ],
  });
  t.write('.claude/settings.json', {
    env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' },
    hooks: { StopFailure: [probe('SF')], CwdChanged: [probe('CWD')] },
  });
  t.write('.config/bedrock-profile/config.json', { refreshBefore: '5m' });
  const tok = fake.issueToken({ ttlSeconds: 600 });
  const expiresAt = Date.now() + 600_000;
  fake.seedAccessToken(tok.accessToken, expiresAt);
  writeSsoCache(t, 'corp', { ...tok, expiresAt, region: 'us-east-1', startUrl: `${fake.url}/start` });
  const other = t.mkdir('work/other');
  t.mkdir('work/other/.git');
  t.write('work/other/.claude/settings.json', { env: { AWS_PROFILE: 'prod' } });
  fake.queueModelAnswers(
    { toolUse: { name: 'Bash', input: { command: `cd ${other} && pwd`, description: 'cd' } } },
    { text: 'moved' },
  );
  let run = await runClaude({
    home: t.home,
    cwd: work,
    fake,
    env: { PATH: path },
    args: ['--allowedTools', 'Bash'],
  });
  console.log(
    'RUN1',
    run.code,
    run.stdout,
    run.requests.map((r) => `${r.operation} ${r.status} ${r.userAgent}`).join('\n'),
  );
  fake.set({ bedrock: 'expiredToken' });
  run = await runClaude({ home: t.home, cwd: work, fake, env: { PATH: path } });
  console.log('RUN2', run.code, run.stdout, run.requests.map((r) => `${r.operation} ${r.status}`).join('\n'));
  await new Promise((r) => setTimeout(r, 2000));
  console.log(existsSync(log) ? readFileSync(log, 'utf8') : 'NO LOG');
  await fake.close();
}, 200000);
