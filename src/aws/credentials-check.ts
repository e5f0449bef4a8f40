/**
 * Do a profile's credentials resolve, the way Claude Code's SDK resolves them? We run the JS SDK's
 * `fromIni` in a child Node process with exactly the environment given (src/aws/sdk-child.ts). The child
 * prints the outcome as JSON without any key, token or secret.
 */
import type { Env } from '../context.js';
import { sanitizeLine } from '../core/sanitize.js';
import { serviceText } from '../log/redact.js';
import { runSdkChild } from './sdk-child.js';

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
  const limit = opts.timeoutMs ?? 30_000;
  // A hard deadline: the SSO portal or STS not answering must not hang `login` (awsAuthRefresh).
  const r = await runSdkChild(CHILD, opts.profile, opts.env, limit);
  if (r.kind === 'failed') return { ok: false, error: r.error };
  try {
    const v = JSON.parse(r.out) as CredentialsCheck;
    // The SDK's message may quote a service's answer: redacted and bounded like every service text.
    return v.ok ? v : { ...v, error: sanitizeLine(serviceText(String(v.error))) };
  } catch {
    return {
      ok: false,
      error: r.timedOut
        ? `the AWS SSO portal or STS gave no answer within ${Math.round(limit / 1000)} s (network?)`
        : `the credentials check exited ${r.code} without an answer`,
    };
  }
}
