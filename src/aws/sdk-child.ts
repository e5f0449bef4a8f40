/**
 * Run a short script against the JS SDK's credential providers in a child Node process with exactly the
 * environment given (the SDK reads HOME, AWS_CONFIG_FILE and AWS_ENDPOINT_URL_* from process.env, so only
 * a child sees the right ones). The script gets the providers' module URL and the profile as arguments
 * and prints its answer as JSON on stdout; a hard deadline kills it. stderr is never read: a
 * credential_process may print a secret there.
 */
import { spawn } from 'node:child_process';
import type { Env } from '../context.js';

export type SdkChildResult =
  | { kind: 'exited'; out: string; code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }
  | { kind: 'failed'; error: string };

export function runSdkChild(
  script: string,
  profile: string,
  env: Env,
  timeoutMs: number,
): Promise<SdkChildResult> {
  const url = import.meta.resolve('@aws-sdk/credential-providers');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, url, profile], {
      env: {
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
        AWS_PROFILE: profile,
      } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.resume();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ kind: 'failed', error: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ kind: 'exited', out, code, signal, timedOut });
    });
  });
}
