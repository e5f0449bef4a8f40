/**
 * `aws login` (console credentials, profiles with `login_session`), read side. The AWS CLI writes the
 * session to `<cache>/<sha256-hex(login_session)>.json` (cache: AWS_LOGIN_CACHE_DIRECTORY, else
 * ~/.aws/login/cache); the JS SDK's fromLoginCredentials (what Claude Code uses) reads the same file, takes
 * `accessToken.{accessKeyId, secretAccessKey, sessionToken, accountId, expiresAt}` and refreshes through the
 * Signin service (refreshToken, clientId, dpopKey) within 5 minutes of expiry. It refuses a file that lacks
 * any of accessToken, clientId, refreshToken, dpopKey or accountId. Only dates, the account and the outcome
 * leave this module: never a key, token or the DPoP key.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseRfc3339 } from '../core/rfc3339.js';
import { FileAccessError } from '../errors.js';
import { readTextFile } from '../fs/read-text-file.js';

const MAX_FILE_BYTES = 64 * 1024;

export interface LoginTokenRead {
  file: string;
  status: 'ok' | 'missing' | 'unreadable' | 'corrupt';
  reason?: string;
  /** ms since epoch: when the cached console credentials end. */
  expiresAt?: number;
  accountId?: string;
  /** refreshToken, clientId and dpopKey are there (the SDK refreshes with them). */
  refreshable?: boolean;
}

export function loginCacheFile(cacheDir: string, loginSession: string): string {
  return join(cacheDir, `${createHash('sha256').update(loginSession, 'utf8').digest('hex')}.json`);
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export async function readLoginToken(file: string): Promise<LoginTokenRead> {
  let text: string | undefined;
  try {
    text = await readTextFile(file, MAX_FILE_BYTES);
  } catch (err) {
    if (err instanceof FileAccessError)
      return { file, status: 'unreadable', reason: `the file ${err.reason}` };
    throw err;
  }
  if (text === undefined) {
    return { file, status: 'missing', reason: 'there is no login cache file (run `aws login`)' };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { file, status: 'corrupt', reason: 'the file is not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { file, status: 'corrupt', reason: 'the file does not hold a JSON object' };
  }
  const raw = data as Record<string, unknown>;
  const access = raw.accessToken;
  if (typeof access !== 'object' || access === null || Array.isArray(access)) {
    return { file, status: 'corrupt', reason: 'the file has no accessToken' };
  }
  const a = access as Record<string, unknown>;
  const missing = ['clientId', 'refreshToken', 'dpopKey'].filter((k) => !str(raw[k]));
  if (!str(a.accountId)) missing.push('accountId');
  if (!str(a.accessKeyId) || !str(a.secretAccessKey)) missing.push('the keys');
  const expiresAt = parseRfc3339(a.expiresAt);
  if (expiresAt === undefined) missing.push('a valid expiresAt');
  if (missing.length > 0) {
    return {
      file,
      status: 'corrupt',
      reason: `the file lacks ${missing.join(', ')} (the AWS SDK refuses it)`,
    };
  }
  return { file, status: 'ok', expiresAt, accountId: str(a.accountId), refreshable: true };
}
