/**
 * What we know about each SSO session's life (`<stateDir>/session-life.json`, mode 0600): when its sign-in
 * happened, the duration AWS taught us by ending it, a refusal. Written by the daemon, `login` and `refresh`
 * (whoever sees a sign-in or a refusal), read by status, doctor and the hooks. No secret: refresh tokens and
 * client ids are kept as short one-way hashes, only to notice that they changed. A lost update between two
 * writers costs one observation, never a token; a damaged file is read as empty.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readSsoToken } from '../aws/token-cache.js';
import type { SessionLife, SessionObservation } from '../core/session-end.js';
import type { TokenRead } from '../core/types.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { readTextFile } from '../fs/read-text-file.js';
import type { Paths } from '../platform/paths.js';

export function sessionLifeFile(paths: Pick<Paths, 'stateDir'>): string {
  return join(paths.stateDir, 'session-life.json');
}

/** A one-way, domain-separated, 12-hex-digit fingerprint: enough to tell two tokens apart, useless to anyone. */
export function fingerprint(secret: string | undefined): string | undefined {
  if (secret === undefined || secret === '') return undefined;
  return createHash('sha256').update(`bedrock-profile session-life\0${secret}`).digest('hex').slice(0, 12);
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const fp = (v: unknown) => (typeof v === 'string' && /^[0-9a-f]{12}$/.test(v) ? v : undefined);

function clean(v: unknown): SessionLife | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const out: SessionLife = {};
  const startedAt = num(o.startedAt);
  if (startedAt !== undefined) out.startedAt = startedAt;
  const learned = num(o.learnedDurationMs);
  if (learned !== undefined && learned > 0) out.learnedDurationMs = learned;
  const lastOkAt = num(o.lastOkAt);
  if (lastOkAt !== undefined) out.lastOkAt = lastOkAt;
  const offered = num(o.renewOfferedFor);
  if (offered !== undefined) out.renewOfferedFor = offered;
  for (const k of ['refreshFp', 'clientFp', 'refusedFp'] as const) {
    const f = fp(o[k]);
    if (f !== undefined) out[k] = f;
  }
  if (o.ended === true) out.ended = true;
  return out;
}

export async function readSessionLives(paths: Pick<Paths, 'stateDir'>): Promise<Map<string, SessionLife>> {
  const out = new Map<string, SessionLife>();
  try {
    const text = await readTextFile(sessionLifeFile(paths), 1024 * 1024);
    if (!text) return out;
    const parsed = JSON.parse(text) as { sessions?: unknown };
    const sessions = parsed.sessions;
    if (sessions === null || typeof sessions !== 'object' || Array.isArray(sessions)) return out;
    for (const [k, v] of Object.entries(sessions)) {
      const life = clean(v);
      if (life) out.set(k, life);
    }
  } catch {
    // Unreadable or damaged: what we knew about session starts is lost; ends read as unknown until the next sign-in.
  }
  return out;
}

/** Apply `change` to the sessions named; writes only when something changed. */
export async function updateSessionLives(
  paths: Pick<Paths, 'stateDir'>,
  change: (lives: Map<string, SessionLife>) => void,
): Promise<void> {
  const lives = await readSessionLives(paths);
  const before = JSON.stringify([...lives]);
  change(lives);
  if (JSON.stringify([...lives]) === before) return;
  const sessions = Object.fromEntries([...lives].slice(-500));
  await atomicWriteFile(sessionLifeFile(paths), `${JSON.stringify({ version: 1, sessions }, null, 1)}\n`, {
    mode: 0o600,
    mkdirMode: 0o700,
  });
}

/** Look at a session's cache file: the observation and the read (for the caller's other needs). */
export async function observeCacheFile(
  file: string,
  now: number,
  refused = false,
): Promise<{ obs: SessionObservation; read: TokenRead }> {
  const read = await readSsoToken(file);
  if (read.status !== 'ok') return { obs: { status: read.status, usable: false }, read };
  const t = read.token;
  const refreshable = Boolean(t.refreshToken && t.clientId && t.clientSecret);
  const obs: SessionObservation = {
    status: 'ok',
    usable: t.expiresAt > now || (refreshable && !refused),
  };
  const r = fingerprint(t.refreshToken);
  const c = fingerprint(t.clientId);
  if (r !== undefined) obs.refreshFp = r;
  if (c !== undefined) obs.clientFp = c;
  return { obs, read };
}
