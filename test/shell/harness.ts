/**
 * Drive the REAL shells interactively: `zsh -f -i` and `bash --norc -i` read a script on stdin; fish runs
 * under a pty (`script`), since it only runs its prompt events with a terminal. The hook's stderr is
 * captured apart (fish: redirected to a file inside the pty), and the script records what it wants
 * checked by appending lines to an output file (`mark` below), so prompts and echo never get in the way.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO_ROOT } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

export type Shell = 'zsh' | 'bash' | 'fish';
export const SHELLS: Shell[] = ['zsh', 'bash', 'fish'];

export interface ShellFixture extends TempHome {
  binDir: string;
  out: string;
  /** One line per `bedrock-profile` run (its arguments): how the tests see that a path spawned nothing. */
  calls: string;
  callCount(): number;
  /** A repo (a `.git` dir) with `.claude/settings.json` holding `settings`, under home. */
  repo(rel: string, settings?: string | object): string;
}

export function makeShellFixture(): ShellFixture {
  const t = makeTempHome('bp-shell-');
  const binDir = join(t.root, 'bin');
  mkdirSync(binDir);
  const calls = join(t.root, 'calls.log');
  writeFileSync(calls, '');
  // The real CLI behind a one-line logger, so tests can count spawns.
  writeFileSync(
    join(binDir, 'bedrock-profile'),
    `#!/bin/sh\necho "$1" >> '${calls}'\nexec '${process.execPath}' '${BIN}' "$@"\n`,
    { mode: 0o755 },
  );
  const env = t.env;
  env.PATH = `${binDir}:${env.PATH}`;
  env.TERM = 'dumb';
  env.PS1 = '';
  env.PS2 = '';
  env.SHELL_SESSIONS_DISABLE = '1';
  const out = join(t.root, 'out.txt');
  writeFileSync(out, '');
  return {
    ...t,
    binDir,
    out,
    calls,
    callCount() {
      return readFileSync(calls, 'utf8').split('\n').filter(Boolean).length;
    },
    repo(rel, settings) {
      const dir = t.mkdir(rel);
      mkdirSync(join(dir, '.git'), { recursive: true });
      if (settings !== undefined) t.write(join(dir, '.claude', 'settings.json'), settings);
      return dir;
    },
  };
}

/** Shell-specific snippets so one scenario reads the same in every shell. */
export const lang = {
  source(shell: Shell): string {
    return `source ${REPO_ROOT}shell/hook.${shell}`;
  },
  /** Append a line `label value-of-AWS_PROFILE` to the out file. */
  mark(shell: Shell, out: string, label: string): string {
    if (shell === 'fish') {
      return `if set -q AWS_PROFILE; echo "${label} $AWS_PROFILE" >> '${out}'; else; echo "${label} (unset)" >> '${out}'; end`;
    }
    return `echo "${label} \${AWS_PROFILE-(unset)}" >> '${out}'`;
  },
  export(shell: Shell, name: string, value: string): string {
    return shell === 'fish' ? `set -gx ${name} '${value}'` : `export ${name}='${value}'`;
  },
  unset(shell: Shell, name: string): string {
    return shell === 'fish' ? `set -e ${name}` : `unset ${name}`;
  },
  /** A string literal for any path (newlines, quotes, `$(...)` included), never evaluated. */
  quote(shell: Shell, value: string): string {
    const esc = [...Buffer.from(value, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    return shell === 'fish' ? `(printf '%b' '${esc}' | string collect)` : `$'${esc}'`;
  },
  /**
   * cd to a path and run the prompt hook (fish: its --on-variable PWD handler runs it), then append
   * `label N`, N the number of `bedrock-profile` runs so far (the calls log): what a visit spawned.
   */
  countedCd(shell: Shell, out: string, calls: string, label: string, quotedPath: string): string {
    if (shell === 'fish')
      return `cd ${quotedPath}; echo "${label} "(wc -l < '${calls}' | string trim) >> '${out}'`;
    return `cd ${quotedPath}; _bp_hook; echo "${label} $(( $(wc -l < '${calls}') ))" >> '${out}'`;
  },
  /** Append `label N`, N the number of `bedrock-profile` runs so far. */
  calls(shell: Shell, out: string, calls: string, label: string): string {
    if (shell === 'fish') return `echo "${label} "(wc -l < '${calls}' | string trim) >> '${out}'`;
    return `echo "${label} $(( $(wc -l < '${calls}') ))" >> '${out}'`;
  },
  /** Record `$?` of the previous command line (after the prompt hook ran). */
  status(shell: Shell, out: string, label: string): string {
    return shell === 'fish' ? `echo "${label} $status" >> '${out}'` : `echo "${label} $?" >> '${out}'`;
  },
};

export interface ShellRun {
  stderr: string;
  out: string[];
  code: number;
}

/** bash prints these two lines itself when its stdin is not a terminal; they are not ours. */
const BASH_NO_TTY =
  /^bash: (cannot set terminal process group \(\d+\): Inappropriate ioctl for device|no job control in this shell)\n/gm;

export function runShell(
  shell: Shell,
  f: ShellFixture,
  lines: string[],
  timeoutMs = 60_000,
): Promise<ShellRun> {
  writeFileSync(f.out, '');
  const errFile = join(f.root, 'fish-stderr.txt');
  const script = `${lines.join('\n')}\nexit\n`;
  let cmd: string;
  let args: string[];
  if (shell === 'zsh') {
    cmd = 'zsh';
    args = ['-f', '-i', '-o', 'no_prompt_cr', '-o', 'no_prompt_sp'];
  } else if (shell === 'bash') {
    cmd = 'bash';
    args = ['--norc', '--noprofile', '--noediting', '-i'];
  } else {
    writeFileSync(errFile, '');
    cmd = 'script';
    args = ['-qfec', `fish -i --no-config 2>'${errFile}'`, '/dev/null'];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: f.env, cwd: f.home, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', () => {});
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (shell === 'fish') stderr = existsSync(errFile) ? readFileSync(errFile, 'utf8') : '';
      // bash says `exit` when an interactive shell ends with the exit builtin.
      if (shell === 'bash') stderr = stderr.replace(BASH_NO_TTY, '').replace(/exit\n$/, '');
      const outText = readFileSync(f.out, 'utf8');
      resolve({ stderr, out: outText.split('\n').filter((l) => l !== ''), code: code ?? (signal ? 128 : 1) });
    });
    child.stdin.end(script);
  });
}
