/**
 * Do a profile's credentials resolve, the way Claude Code's SDK resolves them? We run the JS SDK's
 * `fromIni` in a child Node process with exactly the environment given (HOME, AWS_CONFIG_FILE,
 * AWS_ENDPOINT_URL_* ...): the SDK reads those from process.env, so only a child sees the right ones.
 * The child prints the outcome as JSON without any key, token or secret.
 */
import { spawn } from 'node:child_process';
import type { Env } from '../context.js';
import { sanitizeLine } from '../core/sanitize.js';
import { serviceText } from '../log/redact.js';

export type CredentialsCheck =
  | { ok: true; expiration?: number }
  | { ok: false; error: string; name?: string };

const CHILD = `
const [url, profile] = process.argv.slice(1);
const { fromIni } = await import(url);
try {
  const c = await fromIni({ profile, ignoreCache: true })();
  const ok = typeof c.accessKeyId === 'string' && c.accessKeyId !== '' && typeof c.secretAccessKey === 'string' && c.secretAccessKey !== '';
  process.stdout.write(JSON.stringify(ok ? { ok: true, expiration: c.expiration ? c.expiration.getTime() : undefined } : { ok: false, error: 'the SDK returned empty credentials' }));
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, name: e && e.name, error: String((e && e.message) || e).slice(0, 500) }));
}
`;

export async function checkCredentials(opts: {
  profile: string;
  env: Env;
  timeoutMs?: number;
}): Promise<CredentialsCheck> {
  const url = import.meta.resolve('@aws-sdk/credential-providers');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, url, opts.profile], {
      env: {
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...opts.env,
        AWS_PROFILE: opts.profile,
      } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.resume();
    const limit = opts.timeoutMs ?? 30_000;
    let timedOut = false;
    // A hard deadline: the SSO portal or STS not answering must not hang `login` (awsAuthRefresh).
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limit);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, error: err.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        const v = JSON.parse(out) as CredentialsCheck;
        // The SDK's message may quote a service's answer: redacted and bounded like every service text.
        resolve(v.ok ? v : { ...v, error: sanitizeLine(serviceText(String(v.error))) });
      } catch {
        resolve({
          ok: false,
          error: timedOut
            ? `the AWS SSO portal or STS gave no answer within ${Math.round(limit / 1000)} s (network?)`
            : `the credentials check exited ${code} without an answer`,
        });
      }
    });
  });
}
