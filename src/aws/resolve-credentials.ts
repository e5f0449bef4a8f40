/**
 * The credentials of a profile, as Claude Code's SDK resolves them: the JS SDK's `fromIni` (SSO, legacy
 * SSO, role chains, static keys, credential_process, web identity) in a child Node process with exactly
 * the environment given (the SDK reads HOME, AWS_CONFIG_FILE and AWS_ENDPOINT_URL_* from process.env).
 * Unlike `checkCredentials`, the answer carries the secrets: only `export` calls this, and prints them to
 * its stdout. The child writes them to a pipe only we read; the object we return prints redacted.
 */
import type { Env } from '../context.js';
import type { ExportedCredentials } from '../core/export-format.js';
import { sanitizeLine } from '../core/sanitize.js';
import { runFromIni } from './sdk-child.js';
import { redactWhenPrinted } from './token-cache.js';

export type ResolvedCredentials =
  | { ok: true; credentials: ExportedCredentials }
  | { ok: false; error: string; name?: string };

/** What the child prints: the credentials themselves, to a pipe only we read. */
const ANSWER = `{ ok: true, credentials: {
      accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken || undefined,
      expiration: c.expiration ? c.expiration.getTime() : undefined } }`;

export async function resolveCredentials(opts: {
  profile: string;
  env: Env;
  timeoutMs?: number;
}): Promise<ResolvedCredentials> {
  const r = await runFromIni(ANSWER, opts.profile, opts.env, opts.timeoutMs ?? 60_000);
  if (r.kind === 'failed') return { ok: false, error: r.error };
  let v: ResolvedCredentials;
  try {
    v = JSON.parse(r.out) as ResolvedCredentials;
  } catch {
    return {
      ok: false,
      error:
        r.signal === 'SIGKILL'
          ? 'resolving them took over a minute'
          : `the SDK exited ${r.code} without an answer`,
    };
  }
  if (!v.ok) return { ...v, error: sanitizeLine(v.error) };
  const c = v.credentials;
  const credentials: ExportedCredentials = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
  };
  if (typeof c.sessionToken === 'string' && c.sessionToken !== '') credentials.sessionToken = c.sessionToken;
  if (typeof c.expiration === 'number' && Number.isFinite(c.expiration))
    credentials.expiration = c.expiration;
  return { ok: true, credentials: redactWhenPrinted(credentials) };
}
