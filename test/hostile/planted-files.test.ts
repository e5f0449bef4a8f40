/**
 * Issue 13, one user: what a link or a hostile value inside our own directories, or a repo's settings,
 * can no longer do. The daemon log is never opened through a link; stamp pruning deletes only our own
 * stamps (never through a `stamps` link, never another name); `logs` and `logs --json` print no bidi or
 * invisible character raw; doctor never prints an awsAuthRefresh command line (it can hold a token).
 * Two users: test/shell/two-users.test.ts. Shells: test/shell/hook-hostile.test.ts.
 */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareStamps } from '../../src/hook/stamps.js';
import { RotatingFile } from '../../src/log/rotating-file.js';
import { runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

describe('planted links and values in our directories', () => {
  let t: TempHome;
  beforeEach(() => {
    t = makeTempHome('bp-planted-');
  });
  afterEach(() => t.cleanup());

  it('the daemon log is never written through a link (a daemon.log linked to ~/.bashrc)', () => {
    const bashrc = t.write('.bashrc', '# mine\n');
    const dir = t.mkdir('.local/state/bedrock-profile');
    symlinkSync(bashrc, join(dir, 'daemon.log'));
    const log = new RotatingFile(join(dir, 'daemon.log'));
    log.write('{"msg":"$(touch PWNED)"}\n');
    log.close();
    expect(readFileSync(bashrc, 'utf8')).toBe('# mine\n');
    expect(lstatSync(join(dir, 'daemon.log')).isSymbolicLink()).toBe(true);
  });

  it('a cache directory of ours that others can write: resolve refuses in one line with chmod 700', async () => {
    const cache = t.mkdir('.cache/bedrock-profile');
    chmodSync(cache, 0o777);
    const repo = t.mkdir('repo');
    mkdirSync(join(repo, '.git'));
    const r = await runCli(['resolve', '--', repo], { env: t.env });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      `bedrock-profile: refusing to use ${cache}: it is writable by every user (mode 777); make it private (chmod 700 ${cache}) and run the command again\n`,
    );
    expect(r.stdout).toBe('');
  });

  it('stamp pruning: nothing through a stamps link, and only old regular files named as stamps', async () => {
    const old = Date.now() / 1000 - 3 * 86400;
    const victim = t.mkdir('keep');
    writeFileSync(join(victim, 'host.123'), 'ssh-ed25519 AAAA');
    utimesSync(join(victim, 'host.123'), old, old);
    const cache = t.mkdir('.cache/bedrock-profile');
    symlinkSync(victim, join(cache, 'stamps'));
    await expect(prepareStamps(join(cache, 'stamps'), Date.now())).rejects.toThrow(
      `refusing to use ${join(cache, 'stamps')}: it is a symbolic link, not our directory`,
    );
    expect(readFileSync(join(victim, 'host.123'), 'utf8')).toBe('ssh-ed25519 AAAA');

    // A real stamps directory: an old stamp goes; an old file of another name, a link, stay.
    const stamps = t.mkdir('.cache2/stamps');
    writeFileSync(join(stamps, 'host.42'), '1');
    writeFileSync(join(stamps, 'notes.txt'), 'keep me');
    symlinkSync(join(victim, 'host.123'), join(stamps, 'other.7'));
    for (const n of ['host.42', 'notes.txt']) utimesSync(join(stamps, n), old, old);
    await prepareStamps(stamps, Date.now());
    expect(existsSync(join(stamps, 'host.42'))).toBe(false);
    expect(readFileSync(join(stamps, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(lstatSync(join(stamps, 'other.7')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(victim, 'host.123'), 'utf8')).toBe('ssh-ed25519 AAAA');
  });

  it('logs and logs --json print no bidi or invisible character raw', async () => {
    const dir = t.mkdir('.local/state/bedrock-profile');
    writeFileSync(
      join(dir, 'daemon.log'),
      `${JSON.stringify({ level: 'warn', time: 0, msg: 'x\u200fy', repo: 'a\u202eb\u2066c\u200bd' })}\n`,
      { mode: 0o600 },
    );
    const text = await runCli(['logs'], { env: t.env });
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(RAW);
    expect(text.stdout).toContain('x?y');
    const json = await runCli(['logs', '--json'], { env: t.env });
    expect(json.stdout).not.toMatch(RAW);
    // The same JSON value, escaped.
    expect(JSON.parse(json.stdout).repo).toBe('a\u202eb\u2066c\u200bd');
  });

  it('doctor and status do not echo a repo profile name that is code or a forged line', async () => {
    const repo = t.mkdir('repo');
    mkdirSync(join(repo, '.git'));
    t.write(join(repo, '.claude', 'settings.json'), {
      env: { AWS_PROFILE: '$(touch PWNED)\nbedrock-profile: all good' },
    });
    const r = await runCli(['doctor'], { env: t.env, cwd: repo });
    expect(r.stdout + r.stderr).not.toContain('touch');
    expect(r.stdout + r.stderr).not.toContain('all good');
    expect(r.stdout).toContain('the AWS_PROFILE from ~/repo/.claude/settings.json is not a profile name');
    const st = await runCli(['status'], { env: t.env, cwd: repo });
    expect(st.stdout + st.stderr).not.toContain('touch');
    expect(st.stdout + st.stderr).not.toContain('all good');
    expect(st.stdout).toContain('profile   (not a profile name)');
  });

  it('doctor never prints an awsAuthRefresh command line (it can hold a token)', async () => {
    t.write('.claude/settings.json', {
      awsAuthRefresh: 'my-helper --token SEKRITtoken0123456789abcdef --profile dev',
      awsCredentialExport: 'export-helper --password SEKRITpass0123456789',
      env: { AWS_PROFILE: 'dev', CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' },
    });
    mkdirSync(join(t.home, 'work'));
    const r = await runCli(['doctor'], { env: t.env, cwd: join(t.home, 'work') });
    expect(r.stdout + r.stderr).not.toContain('SEKRIT');
    expect(r.stdout).toContain(
      'a command run with my-helper (its arguments are not shown: they can hold secrets)',
    );
    const j = await runCli(['doctor', '--json'], { env: t.env, cwd: join(t.home, 'work') });
    expect(j.stdout + j.stderr).not.toContain('SEKRIT');
  });
});
