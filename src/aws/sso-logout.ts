/**
 * The SSO portal's `Logout` (POST /logout, header x-amz-sso_bearer_token): ends the Identity Center sign-in
 * session of an access token on the server. `aws sso login` reuses a live session (the new token keeps the
 * old end), so a renewal must end it first. Through the real SDK client; the endpoint comes from the env
 * passed in (AWS_ENDPOINT_URL_SSO, then AWS_ENDPOINT_URL), so tests point it at the fake.
 */
import type { Env } from '../context.js';

export type LogoutOutcome =
  | { status: 'logged-out' }
  /** The token was no longer accepted: the session had already ended (nothing left to end). */
  | { status: 'not-signed-in'; detail: string }
  | { status: 'failed'; detail: string };

export async function ssoLogout(o: {
  accessToken: string;
  region: string;
  env: Env;
  timeoutMs?: number;
}): Promise<LogoutOutcome> {
  const { SSOClient, LogoutCommand } = await import('@aws-sdk/client-sso');
  const endpoint = o.env.AWS_ENDPOINT_URL_SSO || o.env.AWS_ENDPOINT_URL || undefined;
  const timeout = o.timeoutMs ?? 15_000;
  const client = new SSOClient({
    region: o.region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: Math.min(timeout, 5_000), requestTimeout: timeout },
  });
  try {
    await client.send(new LogoutCommand({ accessToken: o.accessToken }));
    return { status: 'logged-out' };
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const detail = `${e?.name ?? 'Error'}${e?.$metadata?.httpStatusCode ? ` HTTP ${e.$metadata.httpStatusCode}` : ''}: ${e?.message ?? String(err)}`;
    if (e?.name === 'UnauthorizedException') return { status: 'not-signed-in', detail };
    return { status: 'failed', detail };
  } finally {
    client.destroy();
  }
}
