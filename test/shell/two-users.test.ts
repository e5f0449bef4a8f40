/**
 * Two real users (issue 13). The attacker (uid 60002) creates the victim's (uid 60001) cache and state
 * directories first, as a shared `XDG_CACHE_HOME=/tmp/...` setup allows, and plants what would switch
 * AWS_PROFILE or turn our writes onto the victim's files: a record (switch=1, profile=prod, dated in the
 * future), a trust entry, a `stamps` link to a directory of the victim's with old files, a `daemon.log`
 * link to the victim's ~/.bashrc. The victim then uses the real zsh, bash and fish with the hook, and the
 * CLI (allow, trust list, daemon --once). Nothing planted is honoured, no file of the victim's outside our
 * directories is deleted, written or appended to, nothing of the victim's lands in the attacker's
 * directories, and each refusal is one line naming the directory and the fix. Then the victim applies the
 * fix (rm -rf, as the line says) and the hook works: directories made 0700.
 *
 * Needs root (CI runs as root) to switch uids with setpriv; skipped otherwise.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeRecord } from '../../src/hook/record.js';
import { recordName } from '../../src/hook/record-name.js';
import { BIN, REPO_ROOT } from '../support/run-cli.js';
import { SHELLS, type Shell } from './harness.js';

const VICTIM = 60001;
const ATTACKER = 60002;
const root0 = typeof process.getuid === 'function' && process.getuid() === 0;
const hasSetpriv =
  root0 &&
  (() => {
    try {
      execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

const as = (uid: number) => ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];

/** Every entry under `dir`: type, mode, owner, content hash or link target. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      const base = `${st.mode.toString(8)} ${st.uid} ${Math.round(st.mtimeMs)}`;
      if (st.isSymbolicLink()) out[p] = `${base} -> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[p] = `${base} dir`;
        walk(p);
      } else out[p] = `${base} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

/** Every entry under `dir` owned by `uid`. */
function ownedBy(dir: string, uid: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.uid === uid) out.push(p);
      if (st.isDirectory() && !st.isSymbolicLink()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!hasSetpriv)('two users: the attacker made the victim cache and state directories', () => {
  let root: string;
  let home: string;
  let cache: string;
  let state: string;
  let repo: string;
  let env: Record<string, string>;
  const bashrc = '# my bashrc\nalias ll="ls -l"\n';
  const threeDaysAgo = Date.now() / 1000 - 3 * 86400;

  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'bp-2users-')));
    chmodSync(root, 0o755);
    home = join(root, 'victim');
    const shared = join(root, 'shared');
    mkdirSync(shared, { mode: 0o1777 });
    chmodSync(shared, 0o1777);
    mkdirSync(home);
    // The victim's own files: a repo naming prod, an rc file, and a directory of old files.
    repo = join(home, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, '.claude'));
    writeFileSync(join(repo, '.claude', 'settings.json'), '{"env": {"AWS_PROFILE": "prod"}}\n');
    writeFileSync(join(home, '.bashrc'), bashrc);
    mkdirSync(join(home, 'keep'));
    for (const name of ['notes.txt', 'host.123', 'id_ed25519.pub']) {
      writeFileSync(join(home, 'keep', name), `ssh-ed25519 AAAA ${name}\n`);
      utimesSync(join(home, 'keep', name), threeDaysAgo, threeDaysAgo);
    }
    mkdirSync(join(home, 'managed'));
    execFileSync('chown', ['-R', `${VICTIM}:${VICTIM}`, home]);
    cache = join(shared, 'victim-cache');
    state = join(shared, 'victim-state');

    // The attacker, as uid 60002: the victim's directories, world-writable, with plants.
    const c = join(cache, 'bedrock-profile');
    const s = join(state, 'bedrock-profile');
    execFileSync(as(ATTACKER)[0]!, [
      ...as(ATTACKER).slice(1),
      'sh',
      '-c',
      `umask 0; mkdir -p '${c}/records' '${s}' && ln -s '${home}/keep' '${c}/stamps' && ln -s '${home}/.bashrc' '${s}/daemon.log'`,
    ]);
    const rec = join(c, 'records', recordName(repo));
    const record = serializeRecord({
      gen: 1,
      dir: repo,
      root: repo,
      sources: [],
      absent: [],
      project: true,
      local: false,
      profile: 'prod',
      expect: 'prod',
      switch: true,
      hint: false,
      notice: false,
      unsetOk: false,
      check: [],
      agree: {},
    });
    writeFileSync(rec, record, { mode: 0o666 });
    const future = Date.now() / 1000 + 86400;
    utimesSync(rec, future, future);
    writeFileSync(
      join(s, 'trust.json'),
      JSON.stringify({
        version: 1,
        allowed: [{ file: join(repo, '.claude', 'settings.json'), profile: 'prod', at: 1 }],
        denied: [],
      }),
      { mode: 0o666 },
    );
    for (const p of [rec, join(s, 'trust.json')]) chownSync(p, ATTACKER, ATTACKER);

    env = {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      TERM: 'dumb',
      PS1: '',
      XDG_CACHE_HOME: cache,
      XDG_STATE_HOME: state,
      BEDROCK_PROFILE_BIN: BIN,
      BEDROCK_PROFILE_MANAGED_DIR: join(home, 'managed'),
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
      // The shells' own files (history, fish's runtime directory) stay out of the victim's snapshot.
      HISTFILE: '/dev/null',
      fish_history: '',
      XDG_RUNTIME_DIR: join(root, 'runtime'),
    };
    mkdirSync(join(root, 'runtime'), { mode: 0o700 });
    chownSync(join(root, 'runtime'), VICTIM, VICTIM);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Run a script in an interactive shell as the victim; what it marks goes to `out`. */
  function victimShell(shell: Shell, lines: string[]): Promise<{ stderr: string; out: string[] }> {
    const out = join(home, `out-${shell}.txt`);
    const errFile = join(home, `err-${shell}.txt`);
    for (const f of [out, errFile]) {
      writeFileSync(f, '');
      chownSync(f, VICTIM, VICTIM);
    }
    const script = `${lines.map((l) => l.replaceAll('@OUT@', out)).join('\n')}\nexit\n`;
    const cmd =
      shell === 'zsh'
        ? ['zsh', '-f', '-i', '-o', 'no_prompt_cr', '-o', 'no_prompt_sp']
        : shell === 'bash'
          ? ['bash', '--norc', '--noprofile', '--noediting', '-i']
          : ['script', '-qfec', `fish -i --no-config 2>'${errFile}'`, '/dev/null'];
    return new Promise((resolve, reject) => {
      const child = spawn(as(VICTIM)[0]!, [...as(VICTIM).slice(1), ...cmd], {
        env,
        cwd: home,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        if (shell === 'fish') stderr = readFileSync(errFile, 'utf8');
        stderr = stderr
          .replace(
            /^bash: (cannot set terminal process group \(\d+\): Inappropriate ioctl for device|no job control in this shell)\n/gm,
            '',
          )
          .replace(/exit\n$/, '');
        rmSync(errFile, { force: true });
        const text = readFileSync(out, 'utf8');
        rmSync(out, { force: true });
        resolve({ stderr, out: text.split('\n').filter(Boolean) });
      });
      child.stdin.end(script);
    });
  }

  const victimCli = (...args: string[]) => {
    try {
      const stdout = execFileSync(as(VICTIM)[0]!, [...as(VICTIM).slice(1), process.execPath, BIN, ...args], {
        env,
        cwd: repo,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { code: 0, stdout, stderr: '' };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      return { code: e.status, stdout: e.stdout, stderr: e.stderr };
    }
  };

  const mark = (shell: Shell, label: string) =>
    shell === 'fish'
      ? `if set -q AWS_PROFILE; echo "${label} $AWS_PROFILE" >> '@OUT@'; else; echo "${label} (unset)" >> '@OUT@'; end`
      : `echo "${label} \${AWS_PROFILE-(unset)}" >> '@OUT@'`;

  // The attacker's directories sit in a sticky shared directory: the victim cannot remove them, so the
  // fix says who can, and the other way out.
  const refusal = (dir: string, uid = ATTACKER) =>
    `bedrock-profile: refusing to use ${dir}: it is owned by another user (uid ${uid}, you are ${VICTIM}); have its owner (uid ${uid}) or root remove it, or set XDG_CACHE_HOME and XDG_STATE_HOME to directories of your own, and run the command again`;

  it.each(SHELLS)(
    '%s: no planted record or trust entry is honoured; one line; nothing of the victim touched',
    async (shell) => {
      const before = snapshot(home);
      const beforeShared = snapshot(join(root, 'shared'));
      const run = await victimShell(shell, [
        `source ${REPO_ROOT}shell/hook.${shell}`,
        `cd '${repo}'`,
        mark(shell, 'in-repo'),
        'cd ..',
        `cd '${repo}'`,
        mark(shell, 'again'),
      ]);
      expect(run.out).toEqual(['in-repo (unset)', 'again (unset)']);
      // One line per visit, naming the directory and the fix; nothing else.
      const lines = run.stderr.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(l).toBe(refusal(join(cache, 'bedrock-profile')));
      // The victim's files: byte-identical, same times (the old files in the `stamps` link's target survive).
      const after = snapshot(home);
      // The test's own files, and fish's data and config directories (fish makes them at start).
      const notOurs = (k: string) =>
        /\/(out|err)-|\/\.local($|\/share($|\/fish))|\/\.local\/share$|\/\.config($|\/fish)/.test(k);
      for (const k of Object.keys(after)) if (notOurs(k)) delete after[k];
      for (const k of Object.keys(before)) if (notOurs(k)) delete before[k];
      expect(after).toEqual(before);
      expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(bashrc);
      // Nothing the victim wrote landed in the attacker's directories; they are as planted.
      expect(ownedBy(join(root, 'shared'), VICTIM)).toEqual([]);
      expect(snapshot(join(root, 'shared'))).toEqual(beforeShared);
    },
  );

  it('the CLI refuses in one line: allow, trust list, daemon --once (no log through the link)', () => {
    const allow = victimCli('allow');
    expect(allow.code).toBe(4);
    expect(allow.stderr).toBe(`${refusal(join(state, 'bedrock-profile'))}\n`);
    const list = victimCli('trust', 'list');
    expect(list.code).toBe(4);
    expect(list.stderr).toBe(`${refusal(join(state, 'bedrock-profile'))}\n`);
    const daemon = victimCli('daemon', '--once');
    expect(daemon.code).toBe(4);
    expect(daemon.stderr).toBe(`${refusal(join(state, 'bedrock-profile'))}\n`);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(bashrc);
    expect(ownedBy(join(root, 'shared'), VICTIM)).toEqual([]);
    for (const name of ['notes.txt', 'host.123', 'id_ed25519.pub'])
      expect(readFileSync(join(home, 'keep', name), 'utf8')).toBe(`ssh-ed25519 AAAA ${name}\n`);
  });

  it.each(SHELLS)(
    '%s: only the state directory planted: the trust entry is not honoured, said in one line',
    async (shell) => {
      const saved = env.XDG_CACHE_HOME;
      env.XDG_CACHE_HOME = join(home, `.cache-${shell}`);
      try {
        const before = snapshot(join(root, 'shared'));
        const run = await victimShell(shell, [
          `source ${REPO_ROOT}shell/hook.${shell}`,
          `cd '${repo}'`,
          mark(shell, 'in-repo'),
        ]);
        expect(run.out).toEqual(['in-repo (unset)']);
        const lines = run.stderr.split('\n').filter(Boolean);
        expect(lines).toContain(`${refusal(join(state, 'bedrock-profile'))} (until then no repo is trusted)`);
        expect(lines.filter((l) => l.includes('refusing'))).toHaveLength(1);
        expect(ownedBy(join(root, 'shared'), VICTIM)).toEqual([]);
        expect(snapshot(join(root, 'shared'))).toEqual(before);
        // The victim's own cache directory: made 0700.
        expect(statSync(join(home, `.cache-${shell}`, 'bedrock-profile')).mode & 0o777).toBe(0o700);
      } finally {
        env.XDG_CACHE_HOME = saved!;
      }
    },
  );

  it('after the fix the line gives, our directories are 0700 and the victim own, and the hook works', async () => {
    // The fix the line gives: XDG_CACHE_HOME and XDG_STATE_HOME pointed at directories of the victim's own.
    env.XDG_CACHE_HOME = join(home, '.cache');
    env.XDG_STATE_HOME = join(home, '.local', 'state');
    const run = await victimShell('bash', [
      `source ${REPO_ROOT}shell/hook.bash`,
      `cd '${repo}'`,
      mark('bash', 'in-repo'),
    ]);
    expect(run.out).toEqual(['in-repo (unset)']);
    expect(run.stderr).toContain("this repo uses AWS profile 'prod'");
    for (const d of [
      join(home, '.cache', 'bedrock-profile'),
      join(home, '.cache', 'bedrock-profile', 'records'),
      join(home, '.local', 'state', 'bedrock-profile'),
    ]) {
      const st = statSync(d);
      expect(st.uid, d).toBe(VICTIM);
      expect(st.mode & 0o777, d).toBe(0o700);
    }
    expect(existsSync(join(home, '.bashrc'))).toBe(true);
  });
});
