/**
 * Resolve a profile with the JS SDK's `fromIni` in a child Node process with exactly the environment
 * given (the SDK reads HOME, AWS_CONFIG_FILE and AWS_ENDPOINT_URL_* from process.env, so only a child sees
 * the right ones). The child prints one JSON answer on stdout: `answer` (a JS expression over the
 * credentials `c`) when they are complete, else `{ok: false, error, name?}`; a hard deadline kills it.
 * stderr is never read: a credential_process may print a secret there.
 */
import { spawn } from 'node:child_process';
import type { Env } from '../context.js';

export type SdkChildResult =
  | { kind: 'exited'; out: string; code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }
  | { kind: 'failed'; error: string };

const script = (answer: string) => `
const [url, profile] = process.argv.slice(1);
const { fromIni } = await import(url);
try {
  const c = await fromIni({ profile, ignoreCache: true })();
  const ok = typeof c.accessKeyId === 'string' && c.accessKeyId !== '' && typeof c.secretAccessKey === 'string' && c.secretAccessKey !== '';
  process.stdout.write(JSON.stringify(ok ? ${answer} : { ok: false, error: 'the SDK returned empty credentials' }));
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, name: e && e.name, error: String((e && e.message) || e).slice(0, 500) }));
}
`;

export function runFromIni(
  answer: string,
  profile: string,
  env: Env,
  timeoutMs: number,
): Promise<SdkChildResult> {
  const url = import.meta.resolve('@aws-sdk/credential-providers');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script(answer), url, profile], {
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
