/**
 * The status line's reads of the token cache and the daemon's state, synchronous and without the
 * modules the other commands use for them (token-cache.ts, daemon-state.ts, lock.ts cost more to load
 * than the whole line may take). Same rules: the token's fields as `readSsoToken` takes them (a file
 * over 64 KiB, not JSON, without accessToken or a valid expiresAt is unusable), refreshable as
 * `sessionState` says (it is called here), the daemon running when the pid in its lock file is alive.
 * No token value leaves this file: only the expiry and whether it can be refreshed.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseRfc3339 } from '../core/rfc3339.js';
import { sessionState } from '../core/session-state.js';
import type { SessionFacts } from '../core/session-words.js';
import type { SsoToken } from '../core/types.js';

/** A regular file's text (at most maxBytes), undefined when missing; 'unreadable' for anything else. */
export function readSmallFile(file: string, maxBytes: number): string | undefined | 'unreadable' {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : 'unreadable';
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return 'unreadable';
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } catch {
    return 'unreadable';
  } finally {
    closeSync(fd);
  }
}

const optString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function readTokenFacts(file: string, now: number): SessionFacts {
  const text = readSmallFile(file, 64 * 1024);
  if (text === undefined) return { token: 'missing' };
  if (text === 'unreadable') return { token: 'unreadable' };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { token: 'corrupt' };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !optString(raw.accessToken))
    return { token: 'corrupt' };
  const expiresAt = parseRfc3339(raw.expiresAt);
  if (expiresAt === undefined) return { token: 'corrupt' };
  const token: SsoToken = { accessToken: '', expiresAt };
  for (const k of ['refreshToken', 'clientId', 'clientSecret'] as const) {
    // Presence is all that matters here; the values stay in the file.
    if (optString(raw[k])) token[k] = 'present';
  }
  const reg = parseRfc3339(raw.registrationExpiresAt);
  if (reg !== undefined) token.registrationExpiresAt = reg;
  const st = sessionState({ file, status: 'ok', token, raw: {} }, now);
  return { token: 'ok', expiresAt, refreshable: st.refreshable };
}

/** Whether a running daemon has this session's refresh (or its retry) due now. */
export function daemonRefreshing(
  stateDir: string,
  daemonStateFile: string,
  sessionKey: string,
  now: number,
): boolean {
  const lock = readSmallFile(join(stateDir, 'daemon.lock'), 4096);
  const state = readSmallFile(daemonStateFile, 4 * 1024 * 1024);
  if (typeof lock !== 'string' || typeof state !== 'string' || state === 'unreadable') return false;
  try {
    const pid = (JSON.parse(lock) as { pid?: unknown }).pid;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
    }
    const v = JSON.parse(state) as {
      pid?: unknown;
      sessions?: Array<{ key?: unknown; next?: { action?: unknown; at?: unknown } }>;
    };
    if (v.pid !== pid || !Array.isArray(v.sessions)) return false;
    const next = v.sessions.find((s) => s?.key === sessionKey)?.next;
    return (
      (next?.action === 'refresh' || next?.action === 'retry') &&
      typeof next.at === 'number' &&
      next.at <= now
    );
  } catch {
    return false;
  }
}
