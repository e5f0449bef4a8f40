/**
 * The user's config file, `$XDG_CONFIG_HOME/bedrock-profile/config.json`: validated, with errors that
 * name the key and the fix. Pure validation (`validateConfig`) apart from reading (`loadConfig`).
 */
import type { SignInSetting } from '../core/sign-in-method.js';
import { InvalidValueError } from '../errors.js';
import { parseJson } from '../fs/parse-json.js';
import { readTextFile } from '../fs/read-text-file.js';

export type Mode = 'switch' | 'warn';

export interface Config {
  /** Refresh a refreshable SSO session when less than this is left (ms). Default 20 minutes. */
  refreshBeforeMs: number;
  /** Lead times for "your session ends" notifications (ms, descending). Default 30 and 5 minutes. */
  notifyBeforeMs: number[];
  /** Start `aws sso login` unasked when a session really ends (rate-limited). Default false. */
  autoLogin: boolean;
  /** Which SSO sessions the daemon keeps alive: those in use (default), all in ~/.aws/config, or named ones. */
  sessions: 'in-use' | 'all' | string[];
  /** `switch`: export AWS_PROFILE in trusted repos (default). `warn`: never export, only warn. */
  mode: Mode;
  /** The SSO session duration the Identity Center administrator set (ms), per sso-session name; `*` for all. */
  sessionDurationMs: Record<string, number>;
  /** Offer "Renew now" this long before a known session end (ms). Default 60 minutes. */
  renewBeforeMs: number;
  /** How `aws sso login` signs in: a local browser, the device code, or decided from the environment. */
  signIn: SignInSetting;
}

export const DEFAULT_CONFIG: Config = {
  refreshBeforeMs: 20 * 60_000,
  notifyBeforeMs: [30 * 60_000, 5 * 60_000],
  autoLogin: false,
  sessions: 'in-use',
  mode: 'switch',
  sessionDurationMs: {},
  renewBeforeMs: 60 * 60_000,
  signIn: 'auto',
};

const KEYS = [
  '$schema',
  'refreshBefore',
  'notifyBefore',
  'autoLogin',
  'sessions',
  'mode',
  'sessionDuration',
  'renewBefore',
  'signIn',
] as const;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration: a number of minutes, or a string such as "90s", "20m", "1h", "7d". */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 60_000;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function validateConfig(raw: unknown, file: string): Config {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidValueError(
      file,
      '(top level)',
      'must be a JSON object such as {"refreshBefore": "20m"}; fix the file',
    );
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new InvalidValueError(
        file,
        key,
        `unknown key; the keys are ${KEYS.slice(1).join(', ')}: remove or rename it`,
      );
    }
  }
  const cfg: Config = defaults();
  if (obj.refreshBefore !== undefined) {
    const ms = parseDuration(obj.refreshBefore);
    if (ms === undefined || ms < 60_000 || ms > 12 * 3_600_000) {
      throw new InvalidValueError(
        file,
        'refreshBefore',
        'must be a duration between 1m and 12h, such as "20m" or 20 (minutes); fix the value',
      );
    }
    cfg.refreshBeforeMs = ms;
  }
  if (obj.notifyBefore !== undefined) {
    const list = Array.isArray(obj.notifyBefore) ? obj.notifyBefore : [obj.notifyBefore];
    const ms = list.map(parseDuration);
    if (ms.length === 0 || ms.some((v) => v === undefined || v <= 0 || v > 24 * 3_600_000)) {
      throw new InvalidValueError(
        file,
        'notifyBefore',
        'must be a list of durations such as ["30m", "5m"]; fix the value',
      );
    }
    cfg.notifyBeforeMs = [...new Set(ms as number[])].sort((a, b) => b - a);
  }
  if (obj.autoLogin !== undefined) {
    if (typeof obj.autoLogin !== 'boolean')
      throw new InvalidValueError(file, 'autoLogin', 'must be true or false; fix the value');
    cfg.autoLogin = obj.autoLogin;
  }
  if (obj.sessions !== undefined) {
    const s = obj.sessions;
    if (s === 'in-use' || s === 'all') cfg.sessions = s;
    else if (Array.isArray(s) && s.every((x) => typeof x === 'string' && x.length > 0)) cfg.sessions = [...s];
    else
      throw new InvalidValueError(
        file,
        'sessions',
        'must be "in-use", "all" or a list of sso-session or profile names; fix the value',
      );
  }
  if (obj.mode !== undefined) {
    if (obj.mode !== 'switch' && obj.mode !== 'warn')
      throw new InvalidValueError(file, 'mode', 'must be "switch" or "warn"; fix the value');
    cfg.mode = obj.mode;
  }
  validateSessionKeys(obj, cfg, file);
  return cfg;
}

/** Identity Center allows session durations from 15 minutes to 90 days. */
function sessionDurationMs(value: unknown): number | undefined {
  const ms = parseDuration(value);
  return ms !== undefined && ms >= 15 * 60_000 && ms <= 90 * 86_400_000 ? ms : undefined;
}

/** sessionDuration, renewBefore, signIn: the keys about the session's end and signing in (docs/session.md). */
function validateSessionKeys(obj: Record<string, unknown>, cfg: Config, file: string): void {
  const d = obj.sessionDuration;
  if (d !== undefined) {
    const bad = () =>
      new InvalidValueError(
        file,
        'sessionDuration',
        'must be a duration between 15m and 90d such as "8h", or an object of sso-session names to durations such as {"my-sso": "12h", "*": "8h"}; fix the value',
      );
    if (d !== null && typeof d === 'object' && !Array.isArray(d)) {
      for (const [name, v] of Object.entries(d as Record<string, unknown>)) {
        const ms = sessionDurationMs(v);
        if (ms === undefined || name.length === 0) throw bad();
        Object.defineProperty(cfg.sessionDurationMs, name, { value: ms, enumerable: true });
      }
    } else {
      const ms = sessionDurationMs(d);
      if (ms === undefined) throw bad();
      cfg.sessionDurationMs['*'] = ms;
    }
  }
  if (obj.renewBefore !== undefined) {
    const ms = parseDuration(obj.renewBefore);
    if (ms === undefined || ms < 60_000 || ms > 24 * 3_600_000) {
      throw new InvalidValueError(
        file,
        'renewBefore',
        'must be a duration between 1m and 24h, such as "60m" or "1h"; fix the value',
      );
    }
    cfg.renewBeforeMs = ms;
  }
  if (obj.signIn !== undefined) {
    if (obj.signIn !== 'browser' && obj.signIn !== 'device-code' && obj.signIn !== 'auto')
      throw new InvalidValueError(
        file,
        'signIn',
        'must be "browser", "device-code" or "auto"; fix the value',
      );
    cfg.signIn = obj.signIn;
  }
}

/** The configured session duration of an sso-session (its own entry, else `*`), in ms. */
export function configuredSessionDuration(
  cfg: Pick<Config, 'sessionDurationMs'>,
  session: string,
): number | undefined {
  const own = Object.hasOwn(cfg.sessionDurationMs, session) ? cfg.sessionDurationMs[session] : undefined;
  return own ?? (Object.hasOwn(cfg.sessionDurationMs, '*') ? cfg.sessionDurationMs['*'] : undefined);
}

function defaults(): Config {
  return { ...DEFAULT_CONFIG, notifyBeforeMs: [...DEFAULT_CONFIG.notifyBeforeMs], sessionDurationMs: {} };
}

/** Missing file: defaults. Invalid file: a typed error naming the file and key. */
export async function loadConfig(file: string): Promise<Config> {
  const text = await readTextFile(file);
  if (text === undefined) return defaults();
  return validateConfig(await parseJson(text, file), file);
}
