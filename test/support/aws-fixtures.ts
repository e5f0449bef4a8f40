/**
 * Write AWS fixtures into a temp HOME the way the real tools leave them: `~/.aws/config` and
 * `~/.aws/sso/cache/<sha1>.json` in botocore's or the JS SDK's date format.
 */
import { join } from 'node:path';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { formatRfc3339Millis, formatRfc3339Seconds } from '../../src/core/rfc3339.js';
import type { TempHome } from './temp-home.js';

export type DateStyle = 'botocore' | 'js';

export interface CacheTokenFields {
  accessToken: string;
  /** ms since epoch */
  expiresAt: number;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** ms since epoch */
  registrationExpiresAt?: number;
  region?: string;
  startUrl?: string;
}

export function ssoCacheDir(home: TempHome): string {
  return join(home.home, '.aws', 'sso', 'cache');
}

/** Write a token cache file for `id` (sso_session name or legacy start URL). Returns the file. */
export function writeSsoCache(
  home: TempHome,
  id: string,
  t: CacheTokenFields,
  style: DateStyle = 'botocore',
): string {
  const fmt = style === 'botocore' ? formatRfc3339Seconds : formatRfc3339Millis;
  const body: Record<string, unknown> = {
    startUrl: t.startUrl,
    region: t.region,
    accessToken: t.accessToken,
  };
  body.expiresAt = fmt(t.expiresAt);
  if (t.clientId !== undefined) body.clientId = t.clientId;
  if (t.clientSecret !== undefined) body.clientSecret = t.clientSecret;
  if (t.registrationExpiresAt !== undefined) body.registrationExpiresAt = fmt(t.registrationExpiresAt);
  if (t.refreshToken !== undefined) body.refreshToken = t.refreshToken;
  return home.write(tokenCacheFile(ssoCacheDir(home), id), body, 0o600);
}

export function writeAwsConfig(home: TempHome, text: string): string {
  return home.write('.aws/config', text);
}

export function writeAwsCredentials(home: TempHome, text: string): string {
  return home.write('.aws/credentials', text, 0o600);
}

/**
 * Two profiles the secret audit and the hostile corpus share: `dev` (SSO session `corp` at `startUrl`)
 * and `keys`, whose static keys and session token live in the credentials file (mode 0600).
 */
export function writeDevAndKeysProfiles(
  home: TempHome,
  startUrl: string,
  keys: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
): void {
  writeAwsConfig(
    home,
    [
      '[profile dev]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = Dev',
      'region = us-east-1',
      '',
      '[profile keys]',
      'region = us-east-1',
      '',
      '[sso-session corp]',
      `sso_start_url = ${startUrl}`,
      'sso_region = us-east-1',
      '',
    ].join('\n'),
  );
  writeAwsCredentials(
    home,
    `[keys]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\naws_session_token = ${keys.sessionToken}\n`,
  );
}
