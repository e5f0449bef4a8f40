/** allow / deny / trust list / resolve / prompt / hook through the real CLI binary. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/hook/record.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let t: TempHome;
let repo: string;
beforeEach(() => {
  t = makeTempHome('bp-cmd-');
  repo = t.mkdir('repo');
  t.mkdir('repo/.git');
  t.write('repo/.claude/settings.json', { env: { AWS_PROFILE: 'ui-dev' } });
  t.mkdir('repo/sub');
});
afterEach(() => t.cleanup());

const settings = () => join(repo, '.claude/settings.json');

describe('trust commands', () => {
  it('allow from a subdirectory trusts the file with its profile; an unrelated edit keeps it; a new profile does not', async () => {
    const allow = await runCli(['allow'], { env: t.env, cwd: join(repo, 'sub') });
    expect(allow).toEqual({
      code: 0,
      stdout: `allowed: AWS_PROFILE=ui-dev in ${repo} and below (from ${settings()})\n`,
      stderr: '',
    });
    const list = await runCli(['trust', 'list'], { env: t.env });
    expect(list.stdout).toBe(`allowed ui-dev   ${settings()}\n`);
    let rec = await runCli(['resolve', repo], { env: t.env });
    expect(parseRecord(rec.stdout)?.switch).toBe(true);
    t.write('repo/.claude/settings.json', {
      env: { AWS_PROFILE: 'ui-dev', AWS_REGION: 'us-east-1' },
      model: 'x',
    });
    rec = await runCli(['resolve', repo], { env: t.env });
    expect(parseRecord(rec.stdout)?.switch).toBe(true);
    t.write('repo/.claude/settings.json', { env: { AWS_PROFILE: 'prod-admin' } });
    rec = await runCli(['resolve', repo], { env: t.env });
    expect(parseRecord(rec.stdout)).toMatchObject({ switch: false, hint: true, profile: 'prod-admin' });
    expect(rec.stderr).toContain("this repo uses AWS profile 'prod-admin'");
  });

  it('allow warns about a profile no AWS file defines, as use does', async () => {
    t.write('.aws/config', '[profile other]\nregion = us-east-1\n');
    const allow = await runCli(['allow'], { env: t.env, cwd: repo });
    expect(allow.code).toBe(0);
    expect(allow.stderr).toBe(
      `warning: profile ui-dev is not in ${join(t.home, '.aws/config')} or ${join(t.home, '.aws/credentials')}; create it with \`aws configure sso --profile ui-dev\`\n`,
    );
    t.write('.aws/config', '[profile ui-dev]\nregion = us-east-1\n');
    expect((await runCli(['allow'], { env: t.env, cwd: repo })).stderr).toBe('');
  });

  it('a usage error points to the command help', async () => {
    const r = await runCli(['allow', 'a', 'b'], { env: t.env, cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\(run 'bedrock-profile allow --help' for its usage\)\n$/);
  });

  it('deny stops the hint for that profile, and the record says so', async () => {
    const deny = await runCli(['deny', repo], { env: t.env });
    expect(deny.code).toBe(0);
    const rec = await runCli(['resolve', repo], { env: t.env });
    expect(parseRecord(rec.stdout)).toMatchObject({ switch: false, hint: false });
    expect(rec.stderr).toBe('');
    const list = await runCli(['trust', 'list'], { env: t.env });
    expect(list.stdout).toBe(`denied  ui-dev   ${settings()}\n`);
  });

  it('allow refuses where there is nothing to trust, with the fix', async () => {
    t.mkdir('plain');
    const none = await runCli(['allow'], { env: t.env, cwd: join(t.home, 'plain') });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `bedrock-profile: ${join(t.home, 'plain')} is in no repo and has no .claude/settings.json; run 'bedrock-profile allow' inside the repo\n`,
    );
    t.write('repo/.claude/settings.json', { env: { AWS_PROFILE: '$(id)' } });
    const bad = await runCli(['allow'], { env: t.env, cwd: repo });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a valid profile name');
    expect(bad.stdout).toBe('');
  });

  it('resolve writes the record the hooks read (0600), and remembers the repo for the daemon', async () => {
    const r = await runCli(['resolve', '--quiet', repo], { env: t.env });
    expect(r.code).toBe(0);
    const file = join(t.home, '.cache/bedrock-profile/records', repo.replace(/\//g, '%2F'));
    expect(readFileSync(file, 'utf8')).toBe(r.stdout);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const known = JSON.parse(
      readFileSync(join(t.home, '.local/state/bedrock-profile/known-repos.json'), 'utf8'),
    );
    expect(known.repos.map((x: { dir: string }) => x.dir)).toEqual([repo]);
    const rel = await runCli(['resolve', 'relative/dir'], { env: t.env });
    expect(rel.code).toBe(2);
  });

  it('prompt prints the profile in effect here', async () => {
    expect((await runCli(['prompt'], { env: t.env, cwd: repo })).stdout).toBe('ui-dev\n');
    expect((await runCli(['prompt'], { env: { ...t.env, AWS_PROFILE: 'mine' }, cwd: repo })).stdout).toBe(
      'mine\n',
    );
    expect((await runCli(['prompt'], { env: t.env, cwd: t.home })).stdout).toBe('');
  });

  it('prompt and the shell function show the minutes the SSO session has left', async () => {
    t.write(
      '.aws/config',
      '[profile ui-dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    const expires = new Date(Date.now() + 42.5 * 60_000).toISOString();
    const id = createHash('sha1').update('corp').digest('hex');
    t.write(`.aws/sso/cache/${id}.json`, {
      accessToken: 'secret-token',
      expiresAt: expires,
      region: 'us-east-1',
    });
    const r = await runCli(['prompt'], { env: t.env, cwd: repo });
    expect(r.stdout).toMatch(/^ui-dev 4[12]m\n$/);
    const rec = parseRecord((await runCli(['resolve', '--quiet', repo], { env: t.env })).stdout);
    expect(rec?.sources).toContain(join(t.home, '.aws/sso/cache', `${id}.json`));
    const src = join(REPO_ROOT, 'shell', 'hook.zsh');
    const out = execFileSync(
      'zsh',
      ['-f', '-i', '-c', `source '${src}'; cd '${repo}'; _bp_hook; bedrock_profile_prompt`],
      {
        env: t.env,
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(/^ui-dev 4[12]m$/);
  });

  it('eval-ing the hook in a non-interactive shell registers nothing and does not end the rc file', () => {
    const env = { ...t.env, PATH: `${join(REPO_ROOT, 'bin')}:${t.env.PATH}` };
    const bin = join(REPO_ROOT, 'bin', 'bedrock-profile.js');
    const bash = execFileSync(
      'bash',
      ['--norc', '-c', `eval "$('${bin}' hook bash)"; echo "after [\${PROMPT_COMMAND-}]"`],
      { env, encoding: 'utf8' },
    );
    expect(bash).toBe('after []\n');
    const zsh = execFileSync(
      'zsh',
      ['-f', '-c', `eval "$('${bin}' hook zsh)"; echo "after [$precmd_functions]"`],
      { env, encoding: 'utf8' },
    );
    expect(zsh).toBe('after []\n');
  });

  it('hook prints the shell file after BEDROCK_PROFILE_BIN', async () => {
    for (const shell of ['zsh', 'bash', 'fish']) {
      const r = await runCli(['hook', shell], { env: t.env });
      const file = readFileSync(join(REPO_ROOT, 'shell', `hook.${shell}`), 'utf8');
      const bin = join(REPO_ROOT, 'bin', 'bedrock-profile.js');
      const first = shell === 'fish' ? `set -g BEDROCK_PROFILE_BIN '${bin}'` : `BEDROCK_PROFILE_BIN='${bin}'`;
      expect(r.stdout).toBe(`${first}\n${file}`);
    }
    expect((await runCli(['hook', 'tcsh'], { env: t.env })).code).toBe(2);
  });
});
