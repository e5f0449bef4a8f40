/**
 * The prompt segment shows the session's end, an hour or more as 2h10m: `bedrock-profile prompt` and the
 * builtins-only shell functions of real zsh, bash and fish, from the same hook record.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let t: TempHome;
let repo: string;
let env: Record<string, string>;
beforeAll(() => {
  t = makeTempHome('bp-prompt-end-');
  repo = t.mkdir('repo');
  t.mkdir('repo/.git');
  t.write('repo/.claude/settings.json', { env: { AWS_PROFILE: 'ui-dev' } });
  t.write(
    '.aws/config',
    '[profile ui-dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
  );
  // No refresh token: the session ends with this token, 2 h 10 min (and a little) from now.
  t.write(`.aws/sso/cache/${createHash('sha1').update('corp').digest('hex')}.json`, {
    accessToken: 'secret-token',
    expiresAt: new Date(Date.now() + (130 * 60 + 40) * 1000).toISOString(),
    region: 'us-east-1',
  });
  env = {
    ...t.env,
    BEDROCK_PROFILE_BIN: BIN,
    XDG_STATE_HOME: join(t.root, 'state'),
    XDG_CACHE_HOME: join(t.root, 'cache'),
    XDG_CONFIG_HOME: join(t.root, 'config'),
  };
});
afterAll(() => t.cleanup());

describe('the prompt segment and the session end', () => {
  it('bedrock-profile prompt', async () => {
    expect((await runCli(['prompt'], { env, cwd: repo })).stdout).toMatch(/^ui-dev 2h(09|10)m\n$/);
  });
  const shells: Array<[string, string[]]> = [
    ['zsh', ['-f', '-i', '-c']],
    ['bash', ['--norc', '-i', '-c']],
    ['fish', ['--no-config', '-i', '-c']],
  ];
  it.each(shells)('%s: bedrock_profile_prompt', (shell, args) => {
    const src = join(REPO_ROOT, 'shell', `hook.${shell}`);
    const out = execFileSync(
      shell,
      [...args, `source '${src}'; cd '${repo}'; _bp_hook; bedrock_profile_prompt`],
      {
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    expect(out.split('\n').pop()).toMatch(/^ui-dev 2h(09|10)m$/);
  });
});
