/**
 * The SSO token cache, read side: which file holds a profile's token, and what is in it.
 *
 * File name: `<ssoCacheDir>/<sha1-hex(id)>.json`, id = the `sso_session` name, or the profile's
 * `sso_start_url` for legacy profiles without one. Same derivation as botocore (`SSOTokenLoader.
 * _generate_cache_key`) and the JS SDK (`getSSOTokenFilepath` in @smithy/core/config); test/aws checks both.
 *
 * Secrets: the access token, refresh token and client secret are in these files. The objects returned here
 * are safe to log by accident: `util.inspect` (console.log, template literals through String()), and
 * `JSON.stringify` (pino, JSON output) show `[redacted]` for every secret field. The hooks that do this are
 * non-enumerable, so `{ ...raw, accessToken: next }` is a plain object again: that is how a writer builds the
 * next file content (see `plainTokenRecord`). Reading a field (`token.accessToken`) gives the real value.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { parseRfc3339 } from '../core/rfc3339.js';
import type { ProfileInfo, SsoToken, TokenRead } from '../core/types.js';
import { FileAccessError } from '../errors.js';
import { lineAndColumn } from '../fs/parse-json.js';
import { readTextFile } from '../fs/read-text-file.js';
import { processSecrets } from '../log/redact.js';

/** Cache files are a few hundred bytes; anything larger is not one. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;
/** SSO access and refresh tokens are about a kilobyte; the writer refuses larger ones too. */
export const MAX_TOKEN_CHARS = 16 * 1024;
/** A date-time outside these years is not a token's (a year-5195 expiresAt is a planted or broken file). */
export const MIN_EXPIRES_AT = Date.UTC(2000, 0, 1);
export const MAX_EXPIRES_AT = Date.UTC(2200, 0, 1);

/** The cache key of a profile: its sso_session name, or its sso_start_url (legacy); else undefined. */
export function ssoCacheId(p: ProfileInfo): string | undefined {
  if (p.kind === 'sso') return p.ssoSession;
  if (p.kind === 'legacy-sso') return p.ssoStartUrl;
  return undefined;
}

export function tokenCacheFile(ssoCacheDir: string, id: string): string {
  return join(ssoCacheDir, `${createHash('sha1').update(id, 'utf8').digest('hex')}.json`);
}

const SECRET_KEY = /token|secret|password/i;
const REDACTED = '[redacted]';

function redactedView(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = SECRET_KEY.test(k) && v !== undefined ? REDACTED : v;
  return out;
}

/** Make `obj` print with its secrets redacted (inspect, String, JSON.stringify). Returns the same object. */
export function redactWhenPrinted<T extends object>(obj: T): T {
  const view = () => redactedView(obj as Record<string, unknown>);
  Object.defineProperties(obj, {
    toJSON: { value: view, enumerable: false },
    [inspect.custom]: { value: () => view(), enumerable: false },
    toString: { value: () => JSON.stringify(view()), enumerable: false },
  });
  return obj;
}

/** A plain copy (no redaction hooks) of a token record, for writing the cache file. */
export function plainTokenRecord(raw: Record<string, unknown>): Record<string, unknown> {
  return { ...raw };
}

function corrupt(file: string, reason: string): TokenRead {
  return { file, status: 'corrupt', reason };
}

/** Locate a JSON syntax error without echoing any of the file's content (it holds secrets). */
async function jsonSyntaxReason(text: string): Promise<string> {
  if (text.trim() === '') return 'the file is empty';
  const jsonc = await import('jsonc-parser');
  const errors: import('jsonc-parser').ParseError[] = [];
  jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'the file is not valid JSON';
  const { line, column } = lineAndColumn(text, first.offset);
  // Truncated: the parser ran into the end of the text (an unterminated string reaches it too).
  const end = text.trimEnd().length;
  const truncated =
    first.offset + first.length >= end && jsonc.printParseErrorCode(first.error) !== 'InvalidSymbol';
  return `the file is not valid JSON at line ${line}, column ${column}${truncated ? ' (it ends early: truncated?)' : ''}`;
}

const optString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Read and check one cache file. Never throws for file problems: the answer says what is wrong. */
export async function readSsoToken(file: string): Promise<TokenRead> {
  let text: string | undefined;
  try {
    text = await readTextFile(file, MAX_TOKEN_FILE_BYTES);
  } catch (err) {
    if (err instanceof FileAccessError)
      return { file, status: 'unreadable', reason: `the file ${err.reason}` };
    throw err;
  }
  if (text === undefined) {
    return {
      file,
      status: 'missing',
      reason: 'there is no token cache file (not signed in yet, or signed out)',
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return corrupt(file, await jsonSyntaxReason(text));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return corrupt(file, 'the file does not hold a JSON object');
  }
  const raw = data as Record<string, unknown>;
  if (typeof raw.accessToken !== 'string' || raw.accessToken === '') {
    return corrupt(file, 'the file has no accessToken');
  }
  if (raw.expiresAt === undefined) return corrupt(file, 'the file has no expiresAt');
  const expiresAt = parseRfc3339(raw.expiresAt);
  if (expiresAt === undefined) {
    // The value is a date, not a secret, but it is printed through sanitizeLine by callers anyway.
    const shown =
      typeof raw.expiresAt === 'string' ? JSON.stringify(raw.expiresAt.slice(0, 40)) : typeof raw.expiresAt;
    return corrupt(file, `expiresAt is not an RFC 3339 date-time (${shown})`);
  }
  if (expiresAt < MIN_EXPIRES_AT || expiresAt >= MAX_EXPIRES_AT)
    return corrupt(file, 'expiresAt is not a date between the years 2000 and 2200');
  for (const k of ['accessToken', 'refreshToken', 'clientSecret', 'clientId'] as const) {
    const v = raw[k];
    if (typeof v === 'string' && v.length > MAX_TOKEN_CHARS)
      return corrupt(file, `${k} is ${v.length} characters long (at most ${MAX_TOKEN_CHARS})`);
  }
  const token: SsoToken = { accessToken: raw.accessToken, expiresAt };
  const refreshToken = optString(raw.refreshToken);
  const clientId = optString(raw.clientId);
  const clientSecret = optString(raw.clientSecret);
  const regAt = parseRfc3339(raw.registrationExpiresAt);
  const registrationExpiresAt =
    regAt !== undefined && regAt >= MIN_EXPIRES_AT && regAt < MAX_EXPIRES_AT ? regAt : undefined;
  const region = optString(raw.region);
  const startUrl = optString(raw.startUrl);
  if (refreshToken) token.refreshToken = refreshToken;
  if (clientId) token.clientId = clientId;
  if (clientSecret) token.clientSecret = clientSecret;
  if (registrationExpiresAt !== undefined) token.registrationExpiresAt = registrationExpiresAt;
  if (region) token.region = region;
  if (startUrl) token.startUrl = startUrl;
  // Whatever is printed later (an error that echoes the request, a log line) is redacted by value.
  processSecrets.addSecret(token.accessToken);
  processSecrets.addSecret(refreshToken);
  processSecrets.addSecret(clientSecret);
  return { file, status: 'ok', token: redactWhenPrinted(token), raw: redactWhenPrinted(raw) };
}

/** Read the token of an SSO profile; undefined for profiles that are not SSO. */
export async function readProfileToken(ssoCacheDir: string, p: ProfileInfo): Promise<TokenRead | undefined> {
  const id = ssoCacheId(p);
  return id === undefined ? undefined : readSsoToken(tokenCacheFile(ssoCacheDir, id));
}
