/**
 * The silent refresh: SSO-OIDC CreateToken with grantType refresh_token, through the real SDK client.
 * The endpoint comes from the environment passed in (AWS_ENDPOINT_URL_SSO_OIDC, then AWS_ENDPOINT_URL), as
 * every AWS client reads it, so tests point it at a fake on 127.0.0.1. The outcome says whether the session
 * is over (rejected) or the attempt merely failed (network, 5xx, throttling: try again later).
 *
 * Deadlines are ours, not the SDK's (its requestTimeout only warns): connect, first byte (the response
 * headers) and the whole response each have one, enforced by aborting the request (src/aws/deadline-
 * handler.ts). The answer is bounded (64 KB; tokens 16 KB) and checked before anyone writes it. Service
 * error text is redacted by value for the secrets we sent and cut to 300 characters.
 */
import type { Env } from '../context.js';
import type { SsoToken } from '../core/types.js';
import { processSecrets, serviceText } from '../log/redact.js';
import { DeadlineError, DeadlineHandler, type Deadlines, deadlinesFromEnv } from './deadline-handler.js';
import { MAX_TOKEN_CHARS } from './token-cache.js';

export type FailureKind = 'network' | 'timeout' | 'service';

export type RefreshOutcome =
  | {
      status: 'refreshed';
      accessToken: string;
      expiresAt: number;
      refreshToken?: string;
      /** The answer needed a correction (an expiresIn out of range): said in the log. */
      note?: string;
    }
  | { status: 'rejected'; reason: 'invalid_grant' | 'registration-expired'; detail: string }
  | { status: 'failed'; kind: FailureKind; detail: string };

export interface RefreshRequest {
  token: SsoToken;
  /** The session's sso_region (the token's own `region` is preferred when present). */
  region?: string;
  env: Env;
  now: () => number;
  /** Per attempt; the daemon retries on its own schedule. Default from the env (deadlinesFromEnv). */
  deadlines?: Deadlines;
  /** Abort now (the daemon stopping, Ctrl-C). */
  signal?: AbortSignal;
}

/** A token that says it lasts longer than this is believed only this long. */
export const MAX_EXPIRES_IN_S = 24 * 3600;

const REJECTED_INVALID_GRANT = new Set([
  'InvalidGrantException',
  'ExpiredTokenException',
  'AccessDeniedException',
]);
const REJECTED_CLIENT = new Set(['InvalidClientException', 'UnauthorizedClientException']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

const WHAT: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the DNS lookup failed',
  EAI_AGAIN: 'the DNS lookup failed (temporary)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENETDOWN: 'the network is down',
};

/** Error names and messages from the SDK, redacted (a hostile or buggy service may echo what we sent). */
function describe(
  err: unknown,
  secrets: Array<string | undefined>,
): { name: string; code?: string; detail: string; status?: number } {
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
  };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  const status = e?.$metadata?.httpStatusCode;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const what = code && WHAT[code] ? `${WHAT[code]}: ` : '';
  const raw = `${what}${name}${code && code !== name ? ` (${code})` : ''}${status ? ` HTTP ${status}` : ''}: ${message}`;
  return { name, ...(code ? { code } : {}), detail: serviceText(raw, secrets), status };
}

function endpointOf(env: Env, region: string): string {
  return env.AWS_ENDPOINT_URL_SSO_OIDC || env.AWS_ENDPOINT_URL || `https://oidc.${region}.amazonaws.com`;
}

/** The answer of a 200 the SDK could not parse (an expiresIn of 1e400): the rotated token is still ours. */
function salvage(body: Buffer | undefined): Record<string, unknown> | undefined {
  if (!body) return undefined;
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Check a CreateToken answer before anything is written: bounded tokens, an expiry in range. */
function accept(
  res: { accessToken?: unknown; refreshToken?: unknown; expiresIn?: unknown },
  started: number,
): RefreshOutcome {
  const { accessToken, refreshToken, expiresIn } = res;
  if (typeof accessToken !== 'string' || accessToken === '')
    return { status: 'failed', kind: 'service', detail: 'CreateToken answered without an accessToken' };
  if (
    accessToken.length > MAX_TOKEN_CHARS ||
    (typeof refreshToken === 'string' && refreshToken.length > MAX_TOKEN_CHARS)
  )
    return {
      status: 'failed',
      kind: 'service',
      detail: `CreateToken answered a token longer than ${MAX_TOKEN_CHARS} characters; it was not written`,
    };
  processSecrets.addSecret(accessToken);
  if (typeof refreshToken === 'string') processSecrets.addSecret(refreshToken);
  let seconds = typeof expiresIn === 'number' ? expiresIn : Number(expiresIn);
  let note: string | undefined;
  if (!Number.isFinite(seconds) || seconds > MAX_EXPIRES_IN_S) {
    note = `CreateToken answered expiresIn ${String(expiresIn).slice(0, 30)}; believed ${MAX_EXPIRES_IN_S} s`;
    seconds = MAX_EXPIRES_IN_S;
  } else if (seconds <= 0) {
    // Written anyway: the refresh token it came with is the only live one now.
    note = `CreateToken answered expiresIn ${seconds}; the token is written as already expired`;
    seconds = 0;
  }
  return {
    status: 'refreshed',
    accessToken,
    // Counted from when we asked, so we never claim more lifetime than the service gave.
    expiresAt: started + Math.floor(seconds) * 1000,
    ...(typeof refreshToken === 'string' && refreshToken !== '' ? { refreshToken } : {}),
    ...(note ? { note } : {}),
  };
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
  const secrets = [token.refreshToken, token.clientSecret, token.accessToken];
  const deadlines = req.deadlines ?? deadlinesFromEnv(req.env);
  const endpoint = endpointOf(req.env, region);
  const { SSOOIDCClient, CreateTokenCommand } = await import('@aws-sdk/client-sso-oidc');
  const handler = new DeadlineHandler(deadlines, req.signal);
  const client = new SSOOIDCClient({
    region,
    endpoint,
    // One quick retry (a reset connection, a 500); every attempt shares the deadlines above.
    maxAttempts: 2,
    requestHandler: handler,
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
      { abortSignal: handler.signal },
    );
    return accept(res, started);
  } catch (err) {
    const hit = handler.deadlineHit();
    if (hit) {
      return {
        status: 'failed',
        kind: 'timeout',
        detail: serviceText(`${new DeadlineError(hit, deadlines, endpoint).message}`, secrets),
      };
    }
    if (req.signal?.aborted)
      return { status: 'failed', kind: 'network', detail: 'stopped before AWS answered' };
    if (handler.tooLarge)
      return {
        status: 'failed',
        kind: 'service',
        detail: `the answer from ${endpoint} was larger than ${handler.maxBodyBytes / 1024} KB; nothing was written`,
      };
    const d = describe(err, secrets);
    if (handler.lastStatus === 200) {
      // The SDK refused a 200 (an expiresIn it cannot parse): the service rotated the refresh token
      // already, so the answer is kept if it carries what we need.
      const body = salvage(handler.lastBody);
      if (body && typeof body.accessToken === 'string') return accept(body, started);
    }
    if (REJECTED_INVALID_GRANT.has(d.name))
      return { status: 'rejected', reason: 'invalid_grant', detail: d.detail };
    if (REJECTED_CLIENT.has(d.name))
      return { status: 'rejected', reason: 'registration-expired', detail: d.detail };
    const network = (d.code && NETWORK_CODES.has(d.code)) || (!d.status && NETWORK_CODES.has(d.name));
    return { status: 'failed', kind: network ? 'network' : 'service', detail: d.detail };
  } finally {
    handler.finish();
    client.destroy();
  }
}
