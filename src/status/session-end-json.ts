/**
 * The session's real end for `status --json` and the renderers (status, doctor, the hooks): what the
 * session-life store knows plus the config's sessionDuration, read only (src/daemon/session-life-observe.ts).
 */
import { describeSessionEnd } from '../core/session-end.js';
import { readSessionEnd } from '../daemon/session-life-observe.js';
import { configOrDefaults } from '../daemon/sign-in-extras.js';
import type { Paths } from '../platform/paths.js';

export interface SessionEndJson {
  known: boolean;
  /** ISO 8601 (UTC), or null when unknown. */
  at: string | null;
  /** token: the access token's expiry is the end (cannot be refreshed); config: sign-in + sessionDuration; learned: sign-in + the duration AWS showed. */
  source: 'token' | 'config' | 'learned' | null;
  /** The sign-in that started the session, when it was seen. */
  startedAt: string | null;
  /** "ends 17:02 (in 2h 10m)", "ended 09:15", "end unknown (why)". */
  words: string;
}

export async function sessionEndJson(o: {
  paths: Pick<Paths, 'stateDir' | 'configFile'>;
  key: string;
  kind: 'sso' | 'legacy-sso';
  file: string;
  now: number;
  timeZone?: string;
}): Promise<SessionEndJson> {
  const config = await configOrDefaults(o.paths);
  const { end } = await readSessionEnd({
    paths: o.paths,
    session: { key: o.key, kind: o.kind, file: o.file },
    config,
    now: o.now,
  });
  return {
    known: end.known,
    at: end.known ? new Date(end.at).toISOString() : null,
    source: end.known ? end.source : null,
    startedAt: end.known && end.startedAt !== undefined ? new Date(end.startedAt).toISOString() : null,
    words: describeSessionEnd(end, o.now, o.timeZone),
  };
}
