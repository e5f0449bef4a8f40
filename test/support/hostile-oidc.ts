/**
 * A hostile (or merely broken) SSO-OIDC endpoint on 127.0.0.1, started by tests: CreateToken with
 * grantType refresh_token, rotating the refresh token on every use as the real service does, plus the
 * ways a real network or service goes wrong. Modes apply to every client or to one clientId (so one
 * session's endpoint can hang while another's answers):
 *
 * - `ok`: answers; `expiresIn` is what `expiresIn` says, written raw into the JSON (`1e400`, `0`, `-5`).
 * - `hang`: accepts the connection, reads the request, never answers.
 * - `slowloris`: sends the response headers at once, then the (correct) body one byte a second.
 * - `echo400` / `echo500`: an error whose message echoes the request body (the tokens and secret we sent).
 * - `huge`: a 200 whose access token is 10 MB; `hugeError`: a 500 whose message is 10 MB.
 * - `invalidGrant`: every refresh token refused.
 *
 * It knows which refresh tokens are live, so a test can count dead ones left on disk.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type HostileMode =
  | 'ok'
  | 'hang'
  | 'slowloris'
  | 'echo400'
  | 'echo500'
  | 'huge'
  | 'hugeError'
  | 'invalidGrant';

export interface HostileToken {
  accessToken: string;
  /** ms since epoch */
  expiresAt: number;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  registrationExpiresAt: number;
}

export interface HostileOidc {
  url: string;
  /** Mode for every client, or for one clientId. */
  setMode(mode: HostileMode, clientId?: string): void;
  /** The `expiresIn` literal answered (seconds): a number, or raw JSON text such as "1e400". */
  setExpiresIn(value: number | string): void;
  /** A signed-in session: a registered client and a live refresh token. */
  issue(opts?: { ttlSeconds?: number }): HostileToken;
  isLive(refreshToken: string): boolean;
  /** CreateToken requests seen, and how each ended. */
  readonly requests: Array<{ clientId: string; mode: HostileMode; status: number | 'hung' | 'slow' }>;
  /** Requests still held open (hang, slowloris). */
  openCount(): number;
  close(): Promise<void>;
}

const rand = (n: number) => randomBytes(n).toString('base64url');

export async function startHostileOidc(
  opts: { now?: () => number; onIssue?: (accessToken: string, expiresAt: number) => void } = {},
): Promise<HostileOidc> {
  const now = opts.now ?? Date.now;
  let mode: HostileMode = 'ok';
  const modeOf = new Map<string, HostileMode>();
  let expiresIn: number | string = 3600;
  const clients = new Map<string, string>();
  const live = new Set<string>();
  const sockets = new Set<Socket>();
  const open = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: HostileOidc['requests'] = [];

  const newAccessToken = () => `hostile-at-${rand(24)}`;

  const json = (res: ServerResponse, status: number, body: string, errorType?: string) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(body);
  };

  const success = (clientId: string): { body: string; accessToken: string } => {
    const accessToken = newAccessToken();
    const refreshToken = `hostile-rt-${rand(24)}`;
    live.add(refreshToken);
    void clientId;
    const seconds = typeof expiresIn === 'number' ? expiresIn : Number(expiresIn);
    if (Number.isFinite(seconds)) opts.onIssue?.(accessToken, now() + seconds * 1000);
    return {
      accessToken,
      body: `{"accessToken":"${accessToken}","tokenType":"Bearer","expiresIn":${String(expiresIn)},"refreshToken":"${refreshToken}"}`,
    };
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      // answered below as a bad request
    }
    const clientId = String(body.clientId ?? '');
    const m = modeOf.get(clientId) ?? mode;
    const rec: HostileOidc['requests'][number] = { clientId, mode: m, status: 0 };
    requests.push(rec);
    const socket = req.socket;
    if (m === 'hang') {
      rec.status = 'hung';
      open.add(socket);
      return;
    }
    if (req.url !== '/token' || body.grantType !== 'refresh_token') {
      rec.status = 400;
      return json(res, 400, '{"error":"unsupported_grant_type"}', 'UnsupportedGrantTypeException');
    }
    if (m === 'echo400' || m === 'echo500') {
      rec.status = m === 'echo400' ? 400 : 500;
      const msg = JSON.stringify(`cannot process request ${raw} (headers ${JSON.stringify(req.headers)})`);
      return m === 'echo400'
        ? json(
            res,
            400,
            `{"error":"invalid_request","error_description":${msg},"message":${msg}}`,
            'InvalidRequestException',
          )
        : json(res, 500, `{"error":"server_error","message":${msg}}`, 'InternalServerException');
    }
    if (m === 'hugeError') {
      rec.status = 500;
      return json(res, 500, `{"message":"${'x'.repeat(10 * 1024 * 1024)}"}`, 'InternalServerException');
    }
    const secret = clients.get(clientId);
    if (secret === undefined || secret !== body.clientSecret) {
      rec.status = 400;
      return json(res, 400, '{"error":"invalid_client"}', 'InvalidClientException');
    }
    const old = String(body.refreshToken ?? '');
    if (m === 'invalidGrant' || !live.has(old)) {
      rec.status = 400;
      return json(
        res,
        400,
        '{"error":"invalid_grant","error_description":"Invalid refresh token provided"}',
        'InvalidGrantException',
      );
    }
    // Rotation: the refresh token sent is spent, whatever happens to the answer next.
    live.delete(old);
    if (m === 'huge') {
      rec.status = 200;
      const refreshToken = `hostile-rt-${rand(24)}`;
      live.add(refreshToken);
      return json(
        res,
        200,
        `{"accessToken":"${'A'.repeat(10 * 1024 * 1024)}","tokenType":"Bearer","expiresIn":3600,"refreshToken":"${refreshToken}"}`,
      );
    }
    const { body: answer } = success(clientId);
    if (m === 'slowloris') {
      rec.status = 'slow';
      open.add(socket);
      socket.write(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(answer)}\r\n\r\n`,
      );
      const bytes = Buffer.from(answer);
      let i = 0;
      const t = setInterval(() => {
        if (socket.destroyed || i >= bytes.length) {
          clearInterval(t);
          timers.delete(t);
          open.delete(socket);
          return;
        }
        socket.write(bytes.subarray(i, i + 1));
        i++;
      }, 1000);
      timers.add(t);
      return;
    }
    rec.status = 200;
    json(res, 200, answer);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      open.delete(s);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setMode(m, clientId) {
      if (clientId === undefined) mode = m;
      else modeOf.set(clientId, m);
    },
    setExpiresIn(v) {
      expiresIn = v;
    },
    issue(o = {}) {
      const clientId = `hostile-client-${rand(8)}`;
      const clientSecret = `hostile-secret-${rand(24)}`;
      clients.set(clientId, clientSecret);
      const refreshToken = `hostile-rt-${rand(24)}`;
      live.add(refreshToken);
      const accessToken = newAccessToken();
      const expiresAt = now() + (o.ttlSeconds ?? 3600) * 1000;
      opts.onIssue?.(accessToken, expiresAt);
      return {
        accessToken,
        expiresAt,
        refreshToken,
        clientId,
        clientSecret,
        registrationExpiresAt: now() + 90 * 86_400_000,
      };
    },
    isLive: (rt) => live.has(rt),
    requests,
    openCount: () => open.size,
    async close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
