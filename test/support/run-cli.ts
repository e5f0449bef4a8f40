/**
 * Run the real CLI: the built `bin/bedrock-profile.js` as a child process (what users run), or `main()`
 * in-process with captured streams (fast, for tables of cases). Both need `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '../../src/context.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin', 'bedrock-profile.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: Record<string, string>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

/** Any command as a child process with captured output; killed after `timeoutMs` (a hang fails, not blocks). */
export function runProcess(
  cmd: string,
  args: string[],
  opts: RunOptions,
  defaultTimeoutMs = 20_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env,
      cwd: opts.cwd ?? opts.env.HOME,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? defaultTimeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export function runCli(args: string[], opts: RunOptions): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], opts);
}

/** In-process: `main()` with a Context whose streams are captured. */
export async function runMain(
  args: string[],
  opts: { env: Record<string, string>; cwd?: string; now?: number; tty?: boolean },
): Promise<CliResult> {
  const { main } = await import('../../src/cli.js');
  let stdout = '';
  let stderr = '';
  const ctx: Context = {
    env: opts.env,
    cwd: opts.cwd ?? opts.env.HOME!,
    now: () => opts.now ?? Date.now(),
    stdout: {
      write: (t) => {
        stdout += t;
      },
      isTTY: opts.tty ?? false,
    },
    stderr: {
      write: (t) => {
        stderr += t;
      },
      isTTY: opts.tty ?? false,
    },
  };
  const code = await main(['node', 'bedrock-profile', ...args], ctx);
  return { code, stdout, stderr };
}
