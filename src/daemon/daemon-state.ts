/**
 * The daemon's state file (paths.daemonStateFile): what `status` shows (running, pid, last refresh, the next
 * planned action per session) and what the daemon remembers across restarts (notifications already sent,
 * refreshes rejected), so a restart never repeats a notification. Written atomically, mode 0600; no secret.
 */
import { dirname, join } from 'node:path';
import type { SessionMemory } from '../core/refresh-plan.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { isHolderAlive, readLock } from '../fs/lock.js';
import { ownedDir, readOwnedTextFile } from '../fs/owned-dir.js';
import type { Paths } from '../platform/paths.js';

export interface RefreshRecord {
  at: number;
  session: string;
  profile: string;
  outcome: 'refreshed' | 'rejected' | 'failed' | 'kept-newer';
  detail?: string;
  /** The new token's expiresAt, for `refreshed`. */
  expiresAt?: number;
}

export interface SessionStatus {
  key: string;
  profiles: string[];
  kind: 'sso' | 'legacy-sso';
  token: 'ok' | 'missing' | 'unreadable' | 'corrupt';
  expiresAt?: number;
  /** Set when the session cannot be refreshed and ends at expiresAt. */
  endsBecause?: string;
  next?: { action: string; at: number };
  lastRefreshAt?: number;
}

export interface DaemonStateFile {
  version: 1;
  pid: number;
  startedAt: number;
  updatedAt: number;
  stoppedAt?: number;
  lastRefresh?: RefreshRecord;
  sessions: SessionStatus[];
  memory: Record<string, SessionMemory>;
  lastAutoLoginAt?: number;
}

export interface DaemonStatus {
  /** A daemon holds the lock and its process is alive. */
  running: boolean;
  pid?: number;
  startedAt?: number;
  updatedAt?: number;
  lastRefresh?: RefreshRecord;
  sessions: SessionStatus[];
  /** Refusals remembered per session key, running or not: a fact about that token (its expiresAt). */
  rejected: Record<string, { at: number; reason: string; generation?: number }>;
  stateFile: string;
}

/** Sessions and memory entries kept from a state file (far more sessions than anyone has). */
const MAX_STATE_ENTRIES = 1000;

export function daemonLockFile(paths: Pick<Paths, 'stateDir'>): string {
  return join(paths.stateDir, 'daemon.lock');
}

export async function readDaemonStateFile(
  paths: Pick<Paths, 'daemonStateFile'>,
): Promise<DaemonStateFile | undefined> {
  try {
    const text = await readOwnedTextFile(
      paths.daemonStateFile,
      dirname(paths.daemonStateFile),
      4 * 1024 * 1024,
    );
    if (!text) return undefined;
    const v = JSON.parse(text) as Partial<DaemonStateFile>;
    if (v.version !== 1 || typeof v.pid !== 'number') return undefined;
    return {
      version: 1,
      pid: v.pid,
      startedAt: Number(v.startedAt) || 0,
      updatedAt: Number(v.updatedAt) || 0,
      stoppedAt: v.stoppedAt,
      lastRefresh: v.lastRefresh,
      // Bounded on read like every list we keep: a planted or runaway file costs nothing per pass.
      sessions: Array.isArray(v.sessions) ? v.sessions.slice(0, MAX_STATE_ENTRIES) : [],
      memory:
        v.memory && typeof v.memory === 'object' && !Array.isArray(v.memory)
          ? Object.fromEntries(Object.entries(v.memory).slice(0, MAX_STATE_ENTRIES))
          : {},
      lastAutoLoginAt: v.lastAutoLoginAt,
    };
  } catch {
    // A damaged state file costs only the memory of sent notifications; the daemon rewrites it.
    return undefined;
  }
}

export async function writeDaemonStateFile(
  paths: Pick<Paths, 'daemonStateFile'>,
  state: DaemonStateFile,
): Promise<void> {
  await ownedDir(dirname(paths.daemonStateFile), { create: true });
  await atomicWriteFile(paths.daemonStateFile, `${JSON.stringify(state, null, 1)}\n`, {
    mode: 0o600,
  });
}

/** For `status`: is the daemon running (lock held by a live pid), and what did it last write. */
export async function readDaemonState(
  paths: Pick<Paths, 'daemonStateFile' | 'stateDir'>,
): Promise<DaemonStatus> {
  const [holder, file] = await Promise.all([readLock(daemonLockFile(paths)), readDaemonStateFile(paths)]);
  // Running only when the lock's owner is that very process: a reused pid is not our daemon.
  const lockPid = holder && holder !== 'garbage' && isHolderAlive(holder) ? holder.pid : undefined;
  const running = lockPid !== undefined;
  const sameRun = file !== undefined && (running ? file.pid === lockPid : true);
  return {
    running,
    pid: lockPid ?? file?.pid,
    startedAt: sameRun ? file?.startedAt : undefined,
    updatedAt: file?.updatedAt,
    lastRefresh: file?.lastRefresh,
    sessions: sameRun && running ? (file?.sessions ?? []) : [],
    rejected: Object.fromEntries(
      Object.entries(file?.memory ?? {}).flatMap(([k, m]) =>
        typeof m?.rejected?.at === 'number'
          ? [[k, { at: m.rejected.at, reason: String(m.rejected.reason), generation: m.generation }]]
          : [],
      ),
    ),
    stateFile: paths.daemonStateFile,
  };
}

/** The daemon block of `status --json` (shape owned by src/status/status-report.ts). */
export interface DaemonStatusJson {
  running: boolean;
  pid: number | null;
  /** AWS refused to refresh these tokens (session key, reason, when, the token's expiresAt). */
  refused: Array<{ session: string; reason: string; at: string; expiresAt: string | null }>;
  sessions: Array<{
    name: string;
    lastRefresh: string | null;
    nextAction: string | null;
    profiles: string[];
    next: { action: string; at: string } | null;
    endsBecause: string | null;
    refusedAt: string | null;
    expiresAt: string | null;
  }>;
}

const NEXT_WORDS: Record<string, string> = {
  refresh: 'refresh',
  retry: 'retry the refresh',
  notify: 'notify',
  ended: 'the session ends',
  login: 'sign in',
};

export async function daemonStatusJson(
  paths: Pick<Paths, 'daemonStateFile' | 'stateDir'>,
): Promise<DaemonStatusJson> {
  const st = await readDaemonState(paths);
  return {
    running: st.running,
    pid: st.running ? (st.pid ?? null) : null,
    refused: Object.entries(st.rejected).map(([session, r]) => ({
      session,
      reason: r.reason,
      at: new Date(r.at).toISOString(),
      expiresAt: r.generation !== undefined ? new Date(r.generation).toISOString() : null,
    })),
    sessions: st.sessions.map((s) => {
      const last =
        s.lastRefreshAt ??
        (st.lastRefresh?.session === s.key && st.lastRefresh.outcome === 'refreshed'
          ? st.lastRefresh.at
          : undefined);
      const refused = s.endsBecause === 'invalid_grant' || s.endsBecause === 'registration-expired';
      const refusedAt = refused ? st.rejected[s.key]?.at : undefined;
      return {
        name: `${s.key} (${s.profiles.join(', ')})`,
        profiles: s.profiles,
        next: s.next ? { action: s.next.action, at: new Date(s.next.at).toISOString() } : null,
        endsBecause: s.endsBecause ?? null,
        refusedAt: refusedAt !== undefined ? new Date(refusedAt).toISOString() : null,
        expiresAt: s.expiresAt !== undefined ? new Date(s.expiresAt).toISOString() : null,
        lastRefresh: last !== undefined ? new Date(last).toISOString() : null,
        nextAction: s.next
          ? `${NEXT_WORDS[s.next.action] ?? s.next.action} at ${new Date(s.next.at).toISOString()}`
          : s.token !== 'ok'
            ? `none (token cache ${s.token})`
            : null,
      };
    }),
  };
}
