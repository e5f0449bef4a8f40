/**
 * Do a profile's credentials resolve, the way Claude Code's SDK resolves them? We run the JS SDK's
 * `fromIni` in a child Node process with exactly the environment given (src/aws/sdk-child.ts). The child
 * prints the outcome as JSON without any key, token or secret.
 */
import type { Env } from '../context.js';
import { sanitizeLine } from '../core/sanitize.js';
import { serviceText } from '../log/redact.js';
import { runFromIni } from './sdk-child.js';

export type CredentialsCheck =
  | { ok: true; expiration?: number }
  | { ok: false; error: string; name?: string };

/** What the child prints: whether they resolve, and until when; never a key, token or secret. */
const ANSWER = '{ ok: true, expiration: c.expiration ? c.expiration.getTime() : undefined }';

export async function checkCredentials(opts: {
  profile: string;
  env: Env;
  timeoutMs?: number;
}): Promise<CredentialsCheck> {
  const limit = opts.timeoutMs ?? 30_000;
  // A hard deadline: the SSO portal or STS not answering must not hang `login` (awsAuthRefresh).
  const r = await runFromIni(ANSWER, opts.profile, opts.env, limit);
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
