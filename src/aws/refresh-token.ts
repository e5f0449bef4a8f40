/**
 * The silent refresh: SSO-OIDC CreateToken with grantType refresh_token, through the real SDK client.
 * The endpoint comes from the environment passed in (AWS_ENDPOINT_URL_SSO_OIDC, then AWS_ENDPOINT_URL), as
 * every AWS client reads it, so tests point it at a fake on 127.0.0.1. The outcome says whether the session
 * is over (rejected) or the attempt merely failed (network, 5xx, throttling: try again later).
 */
import type { Env } from '../context.js';
import type { SsoToken } from '../core/types.js';

export type RefreshOutcome =
  | { status: 'refreshed'; accessToken: string; expiresAt: number; refreshToken?: string }
  | { status: 'rejected'; reason: 'invalid_grant' | 'registration-expired'; detail: string }
  | { status: 'failed'; detail: string };

export interface RefreshRequest {
  token: SsoToken;
  /** The session's sso_region (the token's own `region` is preferred when present). */
  region?: string;
  env: Env;
  now: () => number;
  /** Per attempt; the daemon retries on its own schedule. */
  timeoutMs?: number;
}

const REJECTED_INVALID_GRANT = new Set([
  'InvalidGrantException',
  'ExpiredTokenException',
  'AccessDeniedException',
]);
const REJECTED_CLIENT = new Set(['InvalidClientException', 'UnauthorizedClientException']);

/** Error names and messages from the SDK, without anything secret (the SDK never echoes the tokens). */
function describe(err: unknown): { name: string; detail: string; status?: number } {
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const detail = `${name}${e?.code && e.code !== name ? ` (${e.code})` : ''}${status ? ` HTTP ${status}` : ''}: ${e?.message ?? String(err)}`;
  return { name, detail, status };
}

export async function refreshSsoToken(req: RefreshRequest): Promise<RefreshOutcome> {
  const { token } = req;
  if (!token.refreshToken || !token.clientId || !token.clientSecret) {
    return {
      status: 'rejected',
      reason: 'invalid_grant',
      detail: 'the token cache has no refresh token or client registration',
    };
  }
  if (token.registrationExpiresAt !== undefined && token.registrationExpiresAt <= req.now()) {
    return {
      status: 'rejected',
      reason: 'registration-expired',
      detail: 'the SSO client registration has expired',
    };
  }
  const region = token.region ?? req.region;
  if (!region) {
    return {
      status: 'rejected',
      reason: 'invalid_grant',
      detail: 'no SSO region in the token cache or the profile',
    };
  }
  const { SSOOIDCClient, CreateTokenCommand } = await import('@aws-sdk/client-sso-oidc');
  const endpoint = req.env.AWS_ENDPOINT_URL_SSO_OIDC || req.env.AWS_ENDPOINT_URL || undefined;
  const timeout = req.timeoutMs ?? 15_000;
  const client = new SSOOIDCClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: Math.min(timeout, 5_000), requestTimeout: timeout },
  });
  const started = req.now();
  try {
    const res = await client.send(
      new CreateTokenCommand({
        grantType: 'refresh_token',
        clientId: token.clientId,
        clientSecret: token.clientSecret,
        refreshToken: token.refreshToken,
      }),
    );
    if (!res.accessToken || typeof res.expiresIn !== 'number') {
      return { status: 'failed', detail: 'CreateToken answered without accessToken or expiresIn' };
    }
    return {
      status: 'refreshed',
      accessToken: res.accessToken,
      // Counted from when we asked, so we never claim more lifetime than the service gave.
      expiresAt: started + res.expiresIn * 1000,
      ...(res.refreshToken ? { refreshToken: res.refreshToken } : {}),
    };
  } catch (err) {
    const d = describe(err);
    if (REJECTED_INVALID_GRANT.has(d.name))
      return { status: 'rejected', reason: 'invalid_grant', detail: d.detail };
    if (REJECTED_CLIENT.has(d.name))
      return { status: 'rejected', reason: 'registration-expired', detail: d.detail };
    return { status: 'failed', detail: d.detail };
  } finally {
    client.destroy();
  }
}
