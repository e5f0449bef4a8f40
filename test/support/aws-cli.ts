/**
 * Run the real `aws` CLI (v1, botocore) on this machine as a child process, with exactly the env given.
 * A pyenv shim is resolved to the real script once, so a test's throwaway HOME cannot confuse pyenv.
 */
import { execFileSync, spawn } from 'node:child_process';

let resolved: string | undefined;

/** The `aws` executable: the real script behind a pyenv shim, or `aws` from PATH. */
export function awsBinary(): string {
  if (resolved) return resolved;
  try {
    resolved = execFileSync('pyenv', ['which', 'aws'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    resolved = 'aws';
  }
  return resolved || 'aws';
}

export interface AwsResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runAws(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<AwsResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(awsBinary(), args, { env, cwd: env.HOME, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}
