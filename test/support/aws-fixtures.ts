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
