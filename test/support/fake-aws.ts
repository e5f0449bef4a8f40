/**
 * A fake AWS on 127.0.0.1: one HTTP server speaking enough of the real wire protocols that the real AWS SDK
 * v3 clients and the real botocore (`aws` CLI) work against it through AWS_ENDPOINT_URL_*.
 *
 * Services (all on one port, routed by method and path):
 * - SSO-OIDC (rest-json): POST /token (CreateToken: refresh_token, authorization_code, device_code),
 *   POST /client/register (RegisterClient), POST /device_authorization (StartDeviceAuthorization).
 * - SSO portal (rest-json): GET /federation/credentials (GetRoleCredentials, x-amz-sso_bearer_token),
 *   POST /logout (Logout: ends the sign-in session of the bearer token; its tokens stop working).
 * - STS (query protocol, XML; what both @aws-sdk/client-sts 3.11xx and botocore 1.43 send): POST /
 *   with Action=GetCallerIdentity or Action=AssumeRole. Requests are SigV4-verified against the keys the
 *   fake issued or a test seeded, so the identity answered is the one whose secret signed the request.
 * - Bedrock (rest-json): GET /inference-profiles (ListInferenceProfiles);
 *   Bedrock runtime: POST /model/{modelId}/converse (Converse), /model/{modelId}/invoke (InvokeModel: the
 *   Anthropic Messages API, what Claude Code's Anthropic Bedrock SDK sends), /model/{modelId}/invoke-with-
 *   response-stream (InvokeModelWithResponseStream: AWS event-stream frames, each a `chunk` event whose
 *   `bytes` is one Anthropic streaming event), /model/{modelId}/count-tokens (CountTokens).
 *   Bedrock Mantle (the Messages API on `bedrock-mantle`, CLAUDE_CODE_USE_MANTLE): POST .../v1/messages.
 *   Same SigV4 check, or `Authorization: Bearer` with a key seeded by `seedBedrockApiKey`. Model answers are
 *   a short text by default; `queueModelAnswers` scripts the agent's turns (a tool call, then a text).
 *
 * Errors have the real shapes: rest-json errors carry `x-amzn-ErrorType` (what the SDK and botocore read
 * to pick the exception class), query errors an `<ErrorResponse>` document.
 *
 * HTTP/1.1 and HTTP/2 (h2c with prior knowledge, what @aws-sdk/client-bedrock-runtime's default NodeHttp2Handler
 * speaks to an http:// endpoint) share the port: the first bytes of a connection pick the server.
 *
 * Tokens and keys are random per fake; `requests` records what happened without any secret in it, so a
 * failing test may print it.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { crc32 } from 'node:zlib';

export type FakeService =
  | 'sso-oidc'
  | 'sso'
  | 'sts'
  | 'bedrock'
  | 'bedrock-runtime'
  | 'bedrock-mantle'
  | 'unknown';

export interface FakeAwsBehaviour {
  /** SSO-OIDC: `down` drops connections, `invalidGrant` rejects every CreateToken as the real service does
   * for a revoked or expired refresh token, `expiredRegistration` answers invalid_client. */
  oidc: 'ok' | 'down' | 'status500' | 'invalidGrant' | 'expiredRegistration';
  /** SSO portal GetRoleCredentials: `unauthorized` rejects every bearer token. */
  portal: 'ok' | 'down' | 'status500' | 'unauthorized';
  sts: 'ok' | 'down' | 'status500';
  bedrock: 'ok' | 'down' | 'status500' | 'accessDenied' | 'expiredToken';
  /** Added before every answer (and before dropping a connection). */
  latencyMs: number;
  /** Lifetime of access tokens issued by CreateToken / issueToken. */
  accessTokenTtlSeconds: number;
  /** Lifetime of role credentials from GetRoleCredentials and AssumeRole. */
  roleCredentialsTtlSeconds: number;
  /** CreateToken(refresh_token) returns a new refresh token and invalidates the old one. */
  rotateRefreshToken: boolean;
  /** Reject requests whose SigV4 signature does not verify (SignatureDoesNotMatch). */
  verifySignatures: boolean;
  /** The Identity Center session duration: refresh is refused (invalid_grant) from sign-in + this. 0 = none. */
  sessionDurationSeconds: number;
  /** Model calls: answer a cross-region inference profile id whose geography does not serve the SigV4
   * region (`us.` from eu-west-1) with the ValidationException real Bedrock sends. */
  checkModelGeography: boolean;
  /** Bedrock: accept requests without any Authorization, as a gateway in front of Bedrock that signs them
   * itself would (what CLAUDE_CODE_SKIP_BEDROCK_AUTH is for). */
  acceptUnsigned: boolean;
}

export interface FakeAwsOptions extends Partial<FakeAwsBehaviour> {
  /** The fake's clock (ms since epoch). Default Date.now. */
  now?: () => number;
  /** Inference profiles ListInferenceProfiles answers with. */
  inferenceProfiles?: FakeInferenceProfile[];
}

export interface FakeInferenceProfile {
  inferenceProfileId: string;
  inferenceProfileName?: string;
  type?: 'SYSTEM_DEFINED' | 'APPLICATION';
  models?: string[];
}

/** One request, as recorded: names and outcomes only, never a token, key or secret. */
export interface FakeRequest {
  at: number;
  service: FakeService;
  operation: string;
  method: string;
  path: string;
  status: number | 'dropped';
  /** The error code answered, if any (InvalidGrantException, ExpiredToken...). */
  error?: string;
  /** For signed requests: the access key id (not secret) used to sign. */
  accessKeyId?: string;
  grantType?: string;
  accountId?: string;
  roleName?: string;
  modelId?: string;
  userAgent?: string;
  /** How the request authenticated: SigV4, a Bedrock API key (bearer), or neither. */
  auth?: 'sigv4' | 'bearer' | 'none';
  /** SigV4: the region and service of the credential scope (what the client signed for). */
  region?: string;
  signingService?: string;
  /** Model calls: the Messages API request's max_tokens, whether it streamed, how many tools it offered,
   * and whether this call took a queued answer (a conversation turn) or the default one. */
  maxTokens?: number;
  stream?: boolean;
  tools?: number;
  answer?: 'queued' | 'default';
}

/** One scripted answer of the model (Anthropic Messages API content). */
export type FakeModelAnswer =
  | { text: string }
  | { toolUse: { name: string; input: Record<string, unknown>; id?: string }; text?: string }
  | { error: { status: number; code: string; message: string } };

export interface FakeIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** A full SSO session as a cache file holds it (what `aws sso login` would have written). */
export interface IssuedSsoToken {
  accessToken: string;
  /** ms since epoch */
  expiresAt: number;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  /** ms since epoch */
  registrationExpiresAt: number;
}

export interface IssuedKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ms since epoch; undefined for long-term keys. */
  expiresAt?: number;
  identity: FakeIdentity;
}

export interface FakeAws {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every AWS_ENDPOINT_URL_* variable pointed at this fake. */
  endpointEnv(): Record<string, string>;
  set(behaviour: Partial<FakeAwsBehaviour>): void;
  readonly behaviour: Readonly<FakeAwsBehaviour>;
  /** Register an OIDC client and issue a token with a refresh token, as a browser sign-in would. */
  issueToken(opts?: {
    ttlSeconds?: number;
    clientId?: string;
    clientSecret?: string;
    registrationExpiresAt?: number;
  }): IssuedSsoToken;
  /** Make an access token (for example one a test wrote by hand) valid until `expiresAt`. */
  seedAccessToken(accessToken: string, expiresAt: number): void;
  /** Invalidate a refresh token (the session was ended): its next CreateToken gets invalid_grant. */
  revokeRefreshToken(refreshToken: string): void;
  /** Long-term keys (an IAM user) the fake accepts for STS and Bedrock. */
  seedStaticKeys(opts: {
    account: string;
    userName?: string;
    accessKeyId?: string;
    secretAccessKey?: string;
  }): IssuedKeys;
  /** Keys as GetRoleCredentials would return them, without an HTTP call. */
  issueRoleCredentials(account: string, roleName: string, ttlSeconds?: number): IssuedKeys;
  /** A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) accepted by the Bedrock endpoints. */
  seedBedrockApiKey(key: string, account: string): void;
  /** Who owns these keys, if the fake issued or was given them. */
  identityOf(accessKeyId: string): FakeIdentity | undefined;
  setInferenceProfiles(profiles: FakeInferenceProfile[]): void;
  /** Answers for the next conversation turns (model calls that offer tools), in order; after them, and
   * for every other model call (warm-up probes, titles), the default text. */
  queueModelAnswers(...answers: FakeModelAnswer[]): void;
  /** The text of the default answer ("pong" unless set). */
  setDefaultModelText(text: string): void;
  readonly requests: readonly FakeRequest[];
  /** Requests of one service (and operation). */
  requestsOf(service: FakeService, operation?: string): FakeRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

const DEFAULTS: FakeAwsBehaviour = {
  oidc: 'ok',
  portal: 'ok',
  sts: 'ok',
  bedrock: 'ok',
  latencyMs: 0,
  accessTokenTtlSeconds: 3600,
  roleCredentialsTtlSeconds: 3600,
  rotateRefreshToken: true,
  verifySignatures: true,
  sessionDurationSeconds: 0,
  checkModelGeography: false,
  acceptUnsigned: false,
};

/** Which regions a system-defined inference profile's geography serves (Bedrock's documented source
 * regions, by prefix), written out here independently of src/core/model-id.ts. */
function geographyServes(geo: string, region: string): boolean {
  switch (geo) {
    case 'us':
      return /^us-(east|west)-\d$/.test(region);
    case 'us-gov':
      return region.startsWith('us-gov-');
    case 'eu':
      return region.startsWith('eu-');
    case 'apac':
      return region.startsWith('ap-');
    case 'jp':
      return region === 'ap-northeast-1' || region === 'ap-northeast-3';
    case 'au':
      return region === 'ap-southeast-2' || region === 'ap-southeast-4';
    case 'global':
      return !region.startsWith('us-gov-') && !region.startsWith('cn-');
    default:
      return true;
  }
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const MAX_BODY = 1024 * 1024;

const rand = (bytes: number) => randomBytes(bytes).toString('hex');
const keyId = (prefix: 'AKIA' | 'ASIA') => prefix + randomBytes(8).toString('hex').toUpperCase();
const xmlEscape = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
/** ISO 8601 without milliseconds, as STS writes `Expiration`. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A sign-in session: tokens carry it; Logout or its duration ends it. */
interface SignIn {
  startedAt: number;
  ended?: boolean;
}
interface TokenEntry {
  expiresAt: number;
  signIn?: SignIn;
}
interface RefreshEntry {
  clientId: string;
  signIn: SignIn;
}
interface ClientEntry {
  clientSecret: string;
  expiresAt: number;
}
interface KeyEntry extends IssuedKeys {}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: string | Buffer,
    readonly headers: Record<string, string> = {},
    readonly error?: string,
  ) {}
}

function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return new HttpAnswer(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/** A rest-json error the way AWS sends it: code in x-amzn-ErrorType, details in the body. */
function restJsonError(status: number, code: string, body: Record<string, unknown>): HttpAnswer {
  return new HttpAnswer(
    status,
    JSON.stringify(body),
    { 'content-type': 'application/json', 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/` },
    code,
  );
}

function stsError(status: number, code: string, message: string): HttpAnswer {
  const body =
    `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return new HttpAnswer(status, body, { 'content-type': 'text/xml' }, code);
}

function stsOk(action: string, result: string): HttpAnswer {
  const body =
    `<${action}Response xmlns="${STS_NS}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return new HttpAnswer(200, body, { 'content-type': 'text/xml' });
}

const DROP = Symbol('drop');

const RUNTIME_PATH = /^\/model\/([^/]+)\/(converse|invoke|invoke-with-response-stream|count-tokens)$/;
const RUNTIME_OPERATIONS: Record<string, string> = {
  converse: 'Converse',
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
  'count-tokens': 'CountTokens',
};

// --- AWS event stream (application/vnd.amazon.eventstream) ----------------------------------------------

/** One event-stream message: prelude (total length, headers length, CRC), string headers, payload, CRC. */
export function eventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const encoded = Object.entries(headers).map(([name, value]) => {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const b = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    b.writeUInt8(n.length, 0);
    n.copy(b, 1);
    b.writeUInt8(7, 1 + n.length); // header value type 7: string
    b.writeUInt16BE(v.length, 2 + n.length);
    v.copy(b, 4 + n.length);
    return b;
  });
  const headerBytes = Buffer.concat(encoded);
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(12 + headerBytes.length + payload.length + 4, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headerBytes, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(message), 0);
  return Buffer.concat([message, crc]);
}

/** InvokeModelWithResponseStream's `chunk` event: the model's streaming event as base64 `bytes`. */
function bedrockChunkFrame(event: unknown): Buffer {
  const bytes = Buffer.from(JSON.stringify(event), 'utf8').toString('base64');
  return eventStreamMessage(
    { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify({ bytes }), 'utf8'),
  );
}

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;
const H2_PREFACE = 'PRI * HTTP/2.0';

// --- SigV4 verification -------------------------------------------------------------------------------

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

interface ParsedAuth {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string | undefined): ParsedAuth | undefined {
  const m =
    /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header?.trim() ?? '',
    );
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}

function verifySigV4(req: Req, body: Buffer, auth: ParsedAuth, secret: string): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  // Non-S3 services sign the path encoded a second time, segment by segment.
  const canonicalUri = url.pathname
    .split('/')
    .map((seg) => uriEncode(seg))
    .join('/');
  const params = [...url.searchParams.entries()].map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  params.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const canonicalQuery = params.map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalHeaders = auth.signedHeaders
    .map((h) => {
      // HTTP/2 carries the host as :authority.
      const raw = h === 'host' && req.headers.host === undefined ? req.headers[':authority'] : req.headers[h];
      const v = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
      return `${h}:${v.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payloadHeader = req.headers['x-amz-content-sha256'];
  const payloadHash =
    typeof payloadHeader === 'string' && payloadHeader !== ''
      ? payloadHeader
      : createHash('sha256').update(body).digest('hex');
  const canonicalRequest = [
    req.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const kDate = hmac(`AWS4${secret}`, auth.date);
  const kRegion = hmac(kDate, auth.region);
  const kService = hmac(kRegion, auth.service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex') === auth.signature;
}

// --- the server ---------------------------------------------------------------------------------------

export async function startFakeAws(opts: FakeAwsOptions = {}): Promise<FakeAws> {
  const { now: nowOpt, inferenceProfiles: profilesOpt, ...behaviourOpts } = opts;
  const now = nowOpt ?? (() => Date.now());
  const behaviour: FakeAwsBehaviour = { ...DEFAULTS, ...behaviourOpts };
  // Without a list given, the region's own geography, as Bedrock answers (us-east-1: us., eu-west-1: eu.).
  let inferenceProfiles: FakeInferenceProfile[] | undefined = profilesOpt;
  const defaultProfiles = (region: string | undefined): FakeInferenceProfile[] => {
    const geo =
      !region || region.startsWith('us-')
        ? 'us'
        : region.startsWith('eu-')
          ? 'eu'
          : region.startsWith('ap-')
            ? 'apac'
            : 'global';
    return [
      {
        inferenceProfileId: `${geo}.anthropic.claude-sonnet-4-5-20250929-v1:0`,
        inferenceProfileName: `${geo.toUpperCase()} Anthropic Claude Sonnet 4.5`,
      },
    ];
  };
  const accessTokens = new Map<string, TokenEntry>();
  const refreshTokens = new Map<string, RefreshEntry>();
  const clients = new Map<string, ClientEntry>();
  const keys = new Map<string, KeyEntry>();
  const bedrockApiKeys = new Map<string, string>();
  const deviceCodes = new Map<string, string>(); // deviceCode -> clientId
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();

  const registerClient = (clientId?: string, clientSecret?: string, expiresAt?: number) => {
    const id = clientId ?? `fake-client-${rand(8)}`;
    const entry = {
      clientSecret: clientSecret ?? `fake-cs-${rand(16)}`,
      expiresAt: expiresAt ?? now() + 90 * 86400_000,
    };
    clients.set(id, entry);
    return { clientId: id, ...entry };
  };

  const newAccessToken = (ttlSeconds = behaviour.accessTokenTtlSeconds, signIn?: SignIn) => {
    const accessToken = `fake-at-${rand(16)}`;
    const expiresAt = now() + ttlSeconds * 1000;
    accessTokens.set(accessToken, { expiresAt, ...(signIn ? { signIn } : {}) });
    return { accessToken, expiresAt };
  };

  const issueRoleCredentials = (
    account: string,
    roleName: string,
    ttlSeconds = behaviour.roleCredentialsTtlSeconds,
  ) => {
    const accessKeyId = keyId('ASIA');
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    const entry: KeyEntry = {
      accessKeyId,
      secretAccessKey: `fake-sk-${rand(16)}`,
      sessionToken: `fake-st-${rand(24)}`,
      expiresAt: now() + ttlSeconds * 1000,
      identity: {
        account,
        arn: `arn:aws:sts::${account}:assumed-role/${roleName}/fake-user`,
        userId: `${roleId}:fake-user`,
      },
    };
    keys.set(accessKeyId, entry);
    return entry;
  };

  /** Who signed this request, or the error to answer. */
  const authenticate = (
    req: Req,
    body: Buffer,
    rec: FakeRequest,
    style: 'query' | 'json',
  ): KeyEntry | HttpAnswer => {
    const fail = (status: number, code: string, message: string) =>
      style === 'query' ? stsError(status, code, message) : restJsonError(status, code, { message });
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) {
      rec.auth = 'none';
      return fail(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    }
    rec.auth = 'sigv4';
    rec.accessKeyId = auth.accessKeyId;
    rec.region = auth.region;
    rec.signingService = auth.service;
    const entry = keys.get(auth.accessKeyId);
    if (!entry) {
      return fail(
        403,
        style === 'query' ? 'InvalidClientTokenId' : 'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (behaviour.verifySignatures && !verifySigV4(req, body, auth, entry.secretAccessKey)) {
      return fail(
        403,
        style === 'query' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    const token = req.headers['x-amz-security-token'];
    if (entry.sessionToken !== undefined && token !== entry.sessionToken) {
      return fail(
        403,
        style === 'query' ? 'InvalidClientTokenId' : 'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      return fail(
        400,
        style === 'query' ? 'ExpiredToken' : 'ExpiredTokenException',
        'The security token included in the request is expired',
      );
    }
    // The identity that signed: for STS the answer says it, for Bedrock the record has to.
    rec.accountId ??= entry.identity.account;
    rec.roleName ??= /:assumed-role\/([^/]+)\//.exec(entry.identity.arn)?.[1];
    return entry;
  };

  // -- SSO-OIDC
  const oidc = (path: string, body: Record<string, unknown>, rec: FakeRequest): HttpAnswer => {
    const err400 = (code: string, error: string, description: string) =>
      restJsonError(code === 'InvalidClientException' ? 401 : 400, code, {
        error,
        error_description: description,
      });
    if (path === '/client/register') {
      rec.operation = 'RegisterClient';
      const c = registerClient();
      return jsonAnswer(200, {
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        clientIdIssuedAt: Math.floor(now() / 1000),
        clientSecretExpiresAt: Math.floor(c.expiresAt / 1000),
      });
    }
    if (path === '/device_authorization') {
      rec.operation = 'StartDeviceAuthorization';
      const deviceCode = `fake-dc-${rand(8)}`;
      deviceCodes.set(deviceCode, String(body.clientId ?? ''));
      return jsonAnswer(200, {
        deviceCode,
        userCode: 'FAKE-CODE',
        verificationUri: 'https://device.sso.example/',
        verificationUriComplete: 'https://device.sso.example/?user_code=FAKE-CODE',
        expiresIn: 600,
        interval: 1,
      });
    }
    rec.operation = 'CreateToken';
    const grantType = String(body.grantType ?? '');
    rec.grantType = grantType;
    if (behaviour.oidc === 'invalidGrant') {
      return err400('InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
    }
    const clientId = String(body.clientId ?? '');
    const client = clients.get(clientId);
    if (
      behaviour.oidc === 'expiredRegistration' ||
      !client ||
      client.clientSecret !== body.clientSecret ||
      client.expiresAt <= now()
    ) {
      return err400('InvalidClientException', 'invalid_client', 'Invalid client provided');
    }
    let refreshToken: string | undefined;
    let signIn: SignIn = { startedAt: now() };
    if (grantType === 'refresh_token') {
      const old = String(body.refreshToken ?? '');
      const entry = refreshTokens.get(old);
      const over = (e: RefreshEntry) =>
        e.signIn.ended ||
        (behaviour.sessionDurationSeconds > 0 &&
          now() >= e.signIn.startedAt + behaviour.sessionDurationSeconds * 1000);
      if (!entry || entry.clientId !== clientId || over(entry)) {
        return err400('InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
      }
      signIn = entry.signIn;
      if (behaviour.rotateRefreshToken) {
        refreshTokens.delete(old);
        refreshToken = `fake-rt-${rand(16)}`;
        refreshTokens.set(refreshToken, { clientId, signIn });
      } else {
        refreshToken = old;
      }
    } else if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      const code = String(body.deviceCode ?? '');
      if (deviceCodes.get(code) !== clientId) {
        return err400('InvalidGrantException', 'invalid_grant', 'Invalid device code provided');
      }
      deviceCodes.delete(code);
      refreshToken = `fake-rt-${rand(16)}`;
      refreshTokens.set(refreshToken, { clientId, signIn });
    } else if (grantType === 'authorization_code') {
      if (!body.code) return err400('InvalidRequestException', 'invalid_request', 'Missing code');
      refreshToken = `fake-rt-${rand(16)}`;
      refreshTokens.set(refreshToken, { clientId, signIn });
    } else {
      return err400(
        'UnsupportedGrantTypeException',
        'unsupported_grant_type',
        `Unsupported grant type ${grantType}`,
      );
    }
    const { accessToken } = newAccessToken(undefined, signIn);
    return jsonAnswer(200, {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: behaviour.accessTokenTtlSeconds,
      refreshToken,
    });
  };

  // -- SSO portal
  const portal = (req: Req, url: URL, rec: FakeRequest): HttpAnswer => {
    const bearer = req.headers['x-amz-sso_bearer_token'];
    const entry = typeof bearer === 'string' ? accessTokens.get(bearer) : undefined;
    const invalid =
      behaviour.portal === 'unauthorized' || !entry || entry.expiresAt <= now() || entry.signIn?.ended;
    if (url.pathname === '/logout') {
      rec.operation = 'Logout';
      if (invalid)
        return restJsonError(401, 'UnauthorizedException', { message: 'Session token not found or invalid' });
      if (entry.signIn) entry.signIn.ended = true;
      else entry.expiresAt = 0;
      return new HttpAnswer(200, '');
    }
    rec.operation = 'GetRoleCredentials';
    const roleName = url.searchParams.get('role_name') ?? '';
    const accountId = url.searchParams.get('account_id') ?? '';
    rec.roleName = roleName;
    rec.accountId = accountId;
    if (invalid) {
      return restJsonError(401, 'UnauthorizedException', { message: 'Session token not found or invalid' });
    }
    if (!roleName || !accountId) {
      return restJsonError(400, 'InvalidRequestException', {
        message: 'role_name and account_id are required',
      });
    }
    const creds = issueRoleCredentials(accountId, roleName);
    return jsonAnswer(200, {
      roleCredentials: {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        sessionToken: creds.sessionToken,
        expiration: creds.expiresAt,
      },
    });
  };

  // -- STS
  const sts = (req: Req, raw: Buffer, rec: FakeRequest): HttpAnswer => {
    const form = new URLSearchParams(raw.toString('utf8'));
    const action = form.get('Action') ?? '';
    rec.operation = action || 'Unknown';
    const who = authenticate(req, raw, rec, 'query');
    if (who instanceof HttpAnswer) return who;
    if (action === 'GetCallerIdentity') {
      const id = who.identity;
      return stsOk(
        'GetCallerIdentity',
        `<Arn>${xmlEscape(id.arn)}</Arn><UserId>${xmlEscape(id.userId)}</UserId><Account>${id.account}</Account>`,
      );
    }
    if (action === 'AssumeRole') {
      const roleArn = form.get('RoleArn') ?? '';
      const sessionName = form.get('RoleSessionName') ?? 'session';
      const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
      if (!m) return stsError(400, 'ValidationError', `Invalid RoleArn ${roleArn}`);
      const creds = issueRoleCredentials(m[1]!, m[2]!);
      creds.identity.arn = `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${sessionName}`;
      creds.identity.userId = `${creds.identity.userId.split(':')[0]}:${sessionName}`;
      rec.accountId = m[1];
      rec.roleName = m[2];
      return stsOk(
        'AssumeRole',
        `<AssumedRoleUser><AssumedRoleId>${xmlEscape(creds.identity.userId)}</AssumedRoleId>` +
          `<Arn>${xmlEscape(creds.identity.arn)}</Arn></AssumedRoleUser>` +
          `<Credentials><AccessKeyId>${creds.accessKeyId}</AccessKeyId>` +
          `<SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>` +
          `<SessionToken>${creds.sessionToken}</SessionToken>` +
          `<Expiration>${isoSeconds(creds.expiresAt!)}</Expiration></Credentials>`,
      );
    }
    return stsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  };

  // -- Bedrock (control plane and runtime)
  const bedrockAuth = (req: Req, raw: Buffer, rec: FakeRequest): HttpAnswer | undefined => {
    const authz = req.headers.authorization ?? '';
    if (authz.startsWith('Bearer ')) {
      rec.auth = 'bearer';
      const account = bedrockApiKeys.get(authz.slice(7));
      if (account === undefined) {
        return restJsonError(403, 'AccessDeniedException', { message: 'Invalid API Key format' });
      }
      rec.accountId = account;
    } else if (!authz && behaviour.acceptUnsigned) {
      rec.auth = 'none';
    } else {
      const who = authenticate(req, raw, rec, 'json');
      if (who instanceof HttpAnswer) return who;
    }
    if (behaviour.bedrock === 'accessDenied') {
      return restJsonError(403, 'AccessDeniedException', {
        message: 'You do not have access to the model with the specified model ID.',
      });
    }
    if (behaviour.bedrock === 'expiredToken') {
      return restJsonError(403, 'ExpiredTokenException', {
        message: 'The security token included in the request is expired',
      });
    }
    return undefined;
  };

  const listInferenceProfiles = (region: string | undefined): HttpAnswer => {
    const at = new Date(now()).toISOString();
    return jsonAnswer(200, {
      inferenceProfileSummaries: (inferenceProfiles ?? defaultProfiles(region)).map((p) => ({
        inferenceProfileId: p.inferenceProfileId,
        inferenceProfileName: p.inferenceProfileName ?? p.inferenceProfileId,
        inferenceProfileArn: `arn:aws:bedrock:us-east-1:000000000000:inference-profile/${p.inferenceProfileId}`,
        description: p.inferenceProfileName ?? p.inferenceProfileId,
        createdAt: at,
        updatedAt: at,
        models: (p.models ?? [`arn:aws:bedrock:us-east-1::foundation-model/${p.inferenceProfileId}`]).map(
          (modelArn) => ({
            modelArn,
          }),
        ),
        status: 'ACTIVE',
        type: p.type ?? 'SYSTEM_DEFINED',
      })),
    });
  };

  const converse = (modelId: string, rec: FakeRequest): HttpAnswer => {
    rec.modelId = modelId;
    return jsonAnswer(200, {
      output: { message: { role: 'assistant', content: [{ text: 'pong' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      metrics: { latencyMs: 1 },
    });
  };

  // -- the Anthropic Messages API as Bedrock (InvokeModel*) and Mantle serve it
  const queuedAnswers: FakeModelAnswer[] = [];
  let defaultModelText = 'pong';

  /** The answer for this Messages API request: queued for conversation turns, else the default. */
  const pickAnswer = (body: Record<string, unknown>, rec: FakeRequest): FakeModelAnswer => {
    const tools = Array.isArray(body.tools) ? body.tools.length : 0;
    rec.tools = tools;
    rec.maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
    if (tools > 0 && queuedAnswers.length > 0) {
      rec.answer = 'queued';
      return queuedAnswers.shift()!;
    }
    rec.answer = 'default';
    return { text: defaultModelText };
  };

  const parseMessagesBody = (raw: Buffer): Record<string, unknown> | undefined => {
    try {
      const v = JSON.parse(raw.toString('utf8')) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };

  /** The content blocks and stop reason of an answer. */
  const contentOf = (a: Exclude<FakeModelAnswer, { error: unknown }>) => {
    const blocks: Array<Record<string, unknown>> = [];
    if ('toolUse' in a) {
      if (a.text) blocks.push({ type: 'text', text: a.text });
      blocks.push({
        type: 'tool_use',
        id: a.toolUse.id ?? `toolu_fake_${rand(8)}`,
        name: a.toolUse.name,
        input: a.toolUse.input,
      });
      return { blocks, stopReason: 'tool_use' };
    }
    blocks.push({ type: 'text', text: a.text });
    return { blocks, stopReason: 'end_turn' };
  };

  const messageShell = (model: string) => ({
    id: `msg_fake_${rand(8)}`,
    type: 'message',
    role: 'assistant',
    model,
  });

  const messages = (modelId: string, raw: Buffer, rec: FakeRequest, stream: boolean): HttpAnswer => {
    rec.modelId = modelId;
    rec.stream = stream;
    const body = parseMessagesBody(raw);
    if (!body) return restJsonError(400, 'ValidationException', { message: 'Malformed input request' });
    const geo = /^(us-gov|us|eu|apac|jp|au|global)\.[a-z0-9-]+\./.exec(modelId)?.[1];
    if (behaviour.checkModelGeography && geo && rec.region && !geographyServes(geo, rec.region)) {
      return restJsonError(400, 'ValidationException', {
        message: 'The provided model identifier is invalid.',
      });
    }
    const a = pickAnswer(body, rec);
    if ('error' in a) return restJsonError(a.error.status, a.error.code, { message: a.error.message });
    const { blocks, stopReason } = contentOf(a);
    const usage = { input_tokens: 10, output_tokens: 5 };
    if (!stream) {
      return jsonAnswer(200, {
        ...messageShell(modelId),
        content: blocks,
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      });
    }
    const events: unknown[] = [
      {
        type: 'message_start',
        message: {
          ...messageShell(modelId),
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 1 },
        },
      },
    ];
    blocks.forEach((b, index) => {
      if (b.type === 'text') {
        events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: b.text } });
      } else {
        events.push({ type: 'content_block_start', index, content_block: { ...b, input: {} } });
        events.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
        });
      }
      events.push({ type: 'content_block_stop', index });
    });
    events.push({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    events.push({ type: 'message_stop' });
    return new HttpAnswer(200, Buffer.concat(events.map((e) => bedrockChunkFrame(e))), {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-content-type': 'application/json',
    });
  };

  const mantleMessages = (raw: Buffer, rec: FakeRequest): HttpAnswer => {
    const body = parseMessagesBody(raw);
    if (!body) {
      return jsonAnswer(400, {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'bad JSON' },
      });
    }
    const modelId = String(body.model ?? '');
    const stream = body.stream === true;
    rec.modelId = modelId;
    rec.stream = stream;
    const a = pickAnswer(body, rec);
    if ('error' in a) {
      return new HttpAnswer(
        a.error.status,
        JSON.stringify({ type: 'error', error: { type: a.error.code, message: a.error.message } }),
        { 'content-type': 'application/json' },
        a.error.code,
      );
    }
    const { blocks, stopReason } = contentOf(a);
    if (!stream) {
      return jsonAnswer(200, {
        ...messageShell(modelId),
        content: blocks,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 5 },
      });
    }
    // Server-sent events, as the first-party Messages API streams.
    const sse: string[] = [];
    const emit = (e: Record<string, unknown>) => sse.push(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    emit({
      type: 'message_start',
      message: {
        ...messageShell(modelId),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    });
    blocks.forEach((b, index) => {
      if (b.type === 'text') {
        emit({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        emit({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: b.text } });
      } else {
        emit({ type: 'content_block_start', index, content_block: { ...b, input: {} } });
        emit({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
        });
      }
      emit({ type: 'content_block_stop', index });
    });
    emit({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    emit({ type: 'message_stop' });
    return new HttpAnswer(200, sse.join(''), { 'content-type': 'text/event-stream' });
  };

  const classify = (method: string, path: string, headers: Req['headers']): FakeService => {
    if (
      method === 'POST' &&
      (path === '/token' || path === '/client/register' || path === '/device_authorization')
    ) {
      return 'sso-oidc';
    }
    if ((method === 'GET' && path === '/federation/credentials') || (method === 'POST' && path === '/logout'))
      return 'sso';
    if (
      method === 'POST' &&
      path === '/' &&
      String(headers['content-type'] ?? '').includes('x-www-form-urlencoded')
    ) {
      return 'sts';
    }
    if (method === 'GET' && path === '/inference-profiles') return 'bedrock';
    if (method === 'POST' && RUNTIME_PATH.test(path)) return 'bedrock-runtime';
    if (method === 'POST' && /\/v1\/messages(?:\/count_tokens)?$/.test(path)) return 'bedrock-mantle';
    return 'unknown';
  };

  const answer = async (req: Req, raw: Buffer, rec: FakeRequest): Promise<HttpAnswer | typeof DROP> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const mode = (
      {
        'sso-oidc': behaviour.oidc,
        sso: behaviour.portal,
        sts: behaviour.sts,
        bedrock: behaviour.bedrock,
      } as Record<string, string>
    )[rec.service === 'bedrock-runtime' || rec.service === 'bedrock-mantle' ? 'bedrock' : rec.service];
    if (mode === 'down') return DROP;
    if (mode === 'status500') {
      return rec.service === 'sts'
        ? stsError(500, 'InternalFailure', 'We encountered an internal error. Please try again.')
        : restJsonError(500, 'InternalServerException', { message: 'Unexpected server error' });
    }
    switch (rec.service) {
      case 'sso-oidc': {
        let body: Record<string, unknown> = {};
        try {
          body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
        } catch {
          return restJsonError(400, 'InvalidRequestException', {
            error: 'invalid_request',
            error_description: 'bad JSON',
          });
        }
        return oidc(url.pathname, body, rec);
      }
      case 'sso':
        return portal(req, url, rec);
      case 'sts':
        return sts(req, raw, rec);
      case 'bedrock': {
        rec.operation = 'ListInferenceProfiles';
        return bedrockAuth(req, raw, rec) ?? listInferenceProfiles(rec.region);
      }
      case 'bedrock-runtime': {
        const [, rawModel, action] = RUNTIME_PATH.exec(url.pathname)!;
        const modelId = decodeURIComponent(rawModel!);
        rec.modelId = modelId;
        rec.operation = RUNTIME_OPERATIONS[action!]!;
        const denied = bedrockAuth(req, raw, rec);
        if (denied) return denied;
        if (action === 'converse') return converse(modelId, rec);
        if (action === 'count-tokens') return jsonAnswer(200, { inputTokens: 10 });
        return messages(modelId, raw, rec, action === 'invoke-with-response-stream');
      }
      case 'bedrock-mantle': {
        const countTokens = url.pathname.endsWith('/count_tokens');
        rec.operation = countTokens ? 'CountTokens' : 'CreateMessage';
        const denied = bedrockAuth(req, raw, rec);
        if (denied) return denied;
        if (countTokens) return jsonAnswer(200, { input_tokens: 10 });
        return mantleMessages(raw, rec);
      }
      default:
        return restJsonError(404, 'UnknownOperationException', {
          message: `No fake for ${req.method} ${url.pathname}`,
        });
    }
  };

  const handle = async (req: Req, res: Res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        drop(req);
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const rec: FakeRequest = {
      at: now(),
      service: classify(req.method ?? 'GET', path, req.headers),
      operation: 'Unknown',
      method: req.method ?? 'GET',
      path,
      status: 0,
      userAgent: String(req.headers['user-agent'] ?? '').split(' ')[0],
    };
    requests.push(rec);
    if (behaviour.latencyMs > 0) await new Promise((r) => setTimeout(r, behaviour.latencyMs));
    let result: HttpAnswer | typeof DROP;
    try {
      result = await answer(req, raw, rec);
    } catch (err) {
      result = restJsonError(500, 'InternalServerException', {
        message: `fake-aws bug: ${(err as Error).message}`,
      });
    }
    if (result === DROP) {
      rec.status = 'dropped';
      drop(req);
      return;
    }
    rec.status = result.status;
    if (result.error) rec.error = result.error;
    const headers = {
      'x-amzn-requestid': randomUUID(),
      'content-length': Buffer.byteLength(result.body),
      ...result.headers,
    };
    if (res instanceof Http2ServerResponse) res.writeHead(result.status, headers);
    else (res as ServerResponse).writeHead(result.status, headers);
    res.end(result.body);
  };

  /** `down`: the connection goes away without an answer, as with a dead endpoint or a reset. */
  const drop = (req: Req) => {
    if ('stream' in req) req.stream.session?.destroy();
    else req.socket.destroy();
  };

  const onRequest = (req: Req, res: Res) => {
    handle(req, res).catch(() => drop(req));
  };
  const http1 = createHttp1Server(onRequest);
  const http2 = createHttp2Server(onRequest);
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const head: Buffer | null = socket.read();
      if (head === null) return;
      socket.unshift(head);
      const target = head.subarray(0, H2_PREFACE.length).toString('latin1') === H2_PREFACE ? http2 : http1;
      target.emit('connection', socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    endpointEnv: () => ({
      AWS_ENDPOINT_URL_SSO_OIDC: url,
      AWS_ENDPOINT_URL_SSO: url,
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_BEDROCK: url,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url,
    }),
    set(b) {
      Object.assign(behaviour, b);
    },
    get behaviour() {
      return behaviour;
    },
    issueToken(o = {}) {
      const client = registerClient(o.clientId, o.clientSecret, o.registrationExpiresAt);
      const signIn: SignIn = { startedAt: now() };
      const { accessToken, expiresAt } = newAccessToken(o.ttlSeconds, signIn);
      const refreshToken = `fake-rt-${rand(16)}`;
      refreshTokens.set(refreshToken, { clientId: client.clientId, signIn });
      return {
        accessToken,
        expiresAt,
        refreshToken,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        registrationExpiresAt: client.expiresAt,
      };
    },
    seedAccessToken(accessToken, expiresAt) {
      accessTokens.set(accessToken, { expiresAt });
    },
    revokeRefreshToken(refreshToken) {
      refreshTokens.delete(refreshToken);
    },
    seedStaticKeys(o) {
      const accessKeyId = o.accessKeyId ?? keyId('AKIA');
      const userName = o.userName ?? 'fake-user';
      const entry: KeyEntry = {
        accessKeyId,
        secretAccessKey: o.secretAccessKey ?? `fake-sk-${rand(16)}`,
        identity: {
          account: o.account,
          arn: `arn:aws:iam::${o.account}:user/${userName}`,
          userId: `AIDA${randomBytes(8).toString('hex').toUpperCase()}`,
        },
      };
      keys.set(accessKeyId, entry);
      return entry;
    },
    issueRoleCredentials,
    seedBedrockApiKey(key, account) {
      bedrockApiKeys.set(key, account);
    },
    identityOf(accessKeyId) {
      return keys.get(accessKeyId)?.identity;
    },
    setInferenceProfiles(p) {
      inferenceProfiles = p;
    },
    queueModelAnswers(...answers) {
      queuedAnswers.push(...answers);
    },
    setDefaultModelText(text) {
      defaultModelText = text;
    },
    get requests() {
      return requests;
    },
    requestsOf(service, operation) {
      return requests.filter(
        (r) => r.service === service && (operation === undefined || r.operation === operation),
      );
    },
    clearRequests() {
      requests.length = 0;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
