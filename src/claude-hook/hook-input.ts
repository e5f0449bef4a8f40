/**
 * The JSON Claude Code pipes to a command hook (its hooks docs; checked against the 2.1.335 binary's
 * input schemas): common fields (`session_id`, `cwd`, `hook_event_name`) and, per event, SessionStart's
 * `source`, StopFailure's `error` (one of authentication_failed, cloud_credential_error, rate_limit,
 * server_error, ...; some docs call it `error_type`, both are read), CwdChanged's `old_cwd`/`new_cwd`.
 * Lenient: anything malformed gives an input with fewer fields, never an exception.
 */
export interface HookInput {
  sessionId?: string;
  cwd?: string;
  event?: string;
  source?: string;
  error?: string;
  newCwd?: string;
  oldCwd?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseHookInput(text: string): HookInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {};
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  const o = data as Record<string, unknown>;
  const out: HookInput = {};
  const set = (k: keyof HookInput, v: unknown) => {
    const s = str(v);
    if (s !== undefined) out[k] = s;
  };
  set('sessionId', o.session_id);
  set('cwd', o.cwd);
  set('event', o.hook_event_name);
  set('source', o.source);
  set('error', o.error ?? o.error_type);
  set('newCwd', o.new_cwd);
  set('oldCwd', o.old_cwd);
  return out;
}
