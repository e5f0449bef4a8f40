/**
 * Watching sessions live: after each daemon pass (and around every `login`), look at the cache files,
 * note sign-ins and refusals in the session-life store, and compute each session's end. The daemon's
 * memory says which refreshes AWS refused (invalid_grant) and when the last one succeeded.
 */
import { type Config, configuredSessionDuration } from '../config/config.js';
import type { SessionMemory } from '../core/refresh-plan.js';
import {
  observeSession,
  refreshedOk,
  refusedNow,
  type SessionEnd,
  type SessionLife,
  sessionEnd,
  signedInNow,
} from '../core/session-end.js';
import type { Paths } from '../platform/paths.js';
import { observeCacheFile, readSessionLives, updateSessionLives } from '../state/session-life.js';
import type { DiscoveredSession } from './sessions.js';

export interface ObservedEnd {
  key: string;
  end: SessionEnd;
  life: SessionLife;
}

type Session = Pick<DiscoveredSession, 'key' | 'kind' | 'file'>;

async function look(
  s: Session,
  prev: SessionLife | undefined,
  mem: SessionMemory | undefined,
  now: number,
  config: Pick<Config, 'sessionDurationMs'>,
  how: 'look' | 'renewed',
): Promise<ObservedEnd> {
  const refused = mem?.rejected?.reason === 'invalid_grant';
  const { obs, read } = await observeCacheFile(s.file, now, refused);
  let life = how === 'renewed' ? signedInNow(prev, obs, now) : observeSession(prev, obs, now);
  if (mem?.lastRefreshAt !== undefined && mem.lastRefreshAt > (life.lastOkAt ?? 0) && !refused)
    life = refreshedOk(life, mem.lastRefreshAt);
  if (refused && obs.refreshFp !== undefined && life.refusedFp !== obs.refreshFp)
    life = refusedNow(life, obs.refreshFp, mem!.rejected!.at);
  const token =
    read.status === 'ok'
      ? {
          status: 'ok' as const,
          expiresAt: read.token.expiresAt,
          refreshable: Boolean(read.token.refreshToken && read.token.clientId && read.token.clientSecret),
        }
      : { status: read.status };
  const configuredMs = configuredSessionDuration(config, s.key);
  const end = sessionEnd({
    kind: s.kind,
    token,
    life,
    ...(obs.refreshFp !== undefined ? { refreshFp: obs.refreshFp } : {}),
    ...(configuredMs !== undefined ? { configuredMs } : {}),
  });
  return { key: s.key, end, life };
}

/** Observe every session, persist what changed, and return each one's end. */
export async function observeSessions(o: {
  paths: Pick<Paths, 'stateDir'>;
  sessions: Session[];
  memory?: Record<string, SessionMemory>;
  config: Pick<Config, 'sessionDurationMs'>;
  now: number;
  how?: 'look' | 'renewed';
}): Promise<ObservedEnd[]> {
  const lives = await readSessionLives(o.paths);
  const out = await Promise.all(
    o.sessions.map((s) => look(s, lives.get(s.key), o.memory?.[s.key], o.now, o.config, o.how ?? 'look')),
  );
  await updateSessionLives(o.paths, (m) => {
    for (const r of out) m.set(r.key, r.life);
  });
  return out;
}

/** Read-only (status, doctor, the hooks): the end from what is already known, nothing written. */
export async function readSessionEnd(o: {
  paths: Pick<Paths, 'stateDir'>;
  session: Session;
  config: Pick<Config, 'sessionDurationMs'>;
  now: number;
}): Promise<ObservedEnd> {
  const lives = await readSessionLives(o.paths);
  return look(o.session, lives.get(o.session.key), undefined, o.now, o.config, 'look');
}

/** Note that AWS refused to refresh this session (login/refresh saw invalid_grant outside the daemon). */
export async function noteRefusal(
  paths: Pick<Paths, 'stateDir'>,
  s: Session,
  config: Pick<Config, 'sessionDurationMs'>,
  now: number,
): Promise<void> {
  await observeSessions({
    paths,
    sessions: [s],
    memory: { [s.key]: { notified: [], rejected: { at: now, reason: 'invalid_grant' } } },
    config,
    now,
  });
}
