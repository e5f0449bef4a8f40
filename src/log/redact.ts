/**
 * Secret redaction for everything that leaves the process (the log, daemon.json, terminal output, JSON
 * output, notifications): by key (accessToken, refreshToken, clientSecret,
 * secretAccessKey, sessionToken, authorization...), by value pattern (bearer tokens, AWS secret keys,
 * session tokens, JWTs, long opaque tokens) and by exact value for the secrets the daemon has handled.
 * Pure; applied to a log record before it is serialised.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are always secret, compared case-insensitively without `_`/`-`. */
const SECRET_KEYS = new Set([
  'accesstoken',
  'refreshtoken',
  'clientsecret',
  'secretaccesskey',
  'awssecretaccesskey',
  'sessiontoken',
  'awssessiontoken',
  'idtoken',
  'token',
  'bearertoken',
  'awsbearertokenbedrock',
  'authorization',
  'password',
  'secret',
  'devicecode',
  'codeverifier',
]);

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEYS.has(k) || k.endsWith('secret') || k.endsWith('token') || k.endsWith('password');
}

const PATTERNS: RegExp[] = [
  // Authorization headers and "bearer xyz" in error messages.
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // JWTs.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}/g,
  // key=value or "key": "value" with a secret-looking key, inside free text.
  /\b(access_?token|refresh_?token|client_?secret|secret_?access_?key|session_?token|x-amz-sso_bearer_token|x-amz-security-token)(["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi,
];

/**
 * Opaque tokens: a run of 40+ base64/base64url characters mixing upper case, lower case and digits.
 * That shape covers AWS secret keys (40), session tokens and SSO access/refresh tokens; sha1 file names
 * (hex, lower case only) and ordinary words do not match.
 */
const OPAQUE = /[A-Za-z0-9+/=_-]{40,}/g;

function looksOpaque(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s);
}

/** A long-running daemon sees a new token every refresh: the oldest values are forgotten past this many. */
const MAX_EXACT = 256;

export class Redactor {
  private readonly exact = new Set<string>();

  /** Remember a secret value seen at run time (a token we read or received): redacted wherever it appears. */
  addSecret(value: string | undefined): void {
    if (!value || value.length < 8 || this.exact.has(value)) return;
    this.exact.add(value);
    if (this.exact.size > MAX_EXACT) this.exact.delete(this.exact.values().next().value as string);
  }

  /** Only the exact values remembered (for terminal text, where a pattern could eat an ordinary word). */
  redactKnown(s: string): string {
    let out = s;
    for (const v of this.exact) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }

  redactString(s: string): string {
    let out = this.redactKnown(s);
    out = out.replace(PATTERNS[0]!, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(PATTERNS[1]!, REDACTED);
    out = out.replace(PATTERNS[2]!, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
    // A run that starts with a slash and has more slashes is a path (/tmp/x/home/...), not a token.
    out = out.replace(OPAQUE, (m) =>
      !looksOpaque(m) || (m.startsWith('/') && m.indexOf('/', 1) > 0) ? m : REDACTED,
    );
    return out;
  }

  /** A deep copy with secret keys and secret-looking values replaced. Depth-bounded; cycles cut. */
  redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 8 || seen.has(value)) return '[...]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((v) => this.redact(v, depth + 1, seen));
    if (value instanceof Error) {
      return {
        type: value.name,
        message: this.redactString(value.message),
        ...((value as { code?: unknown }).code !== undefined
          ? { code: (value as { code?: unknown }).code }
          : {}),
      };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        isSecretKey(k) && v !== undefined && v !== null && v !== ''
          ? REDACTED
          : this.redact(v, depth + 1, seen);
    }
    return out;
  }
}

/**
 * Every secret this process read (token cache files) or received (CreateToken answers). The logger, the
 * daemon state file, service error text and the CLI's error output all redact through it.
 */
export const processSecrets = new Redactor();

/** Service error text goes out at most this long (after redaction, so a cut never leaves half a secret). */
export const MAX_SERVICE_TEXT = 300;

/** Error text from a service or the network: redacted by value and by pattern, then bounded. */
export function serviceText(text: string, extraSecrets: Array<string | undefined> = []): string {
  let out = text.length > 64 * 1024 ? text.slice(0, 64 * 1024) : text;
  for (const v of extraSecrets) if (v && v.length >= 8) out = out.split(v).join(REDACTED);
  out = processSecrets.redactString(out).replace(/\s+/g, ' ').trim();
  return out.length > MAX_SERVICE_TEXT ? `${out.slice(0, MAX_SERVICE_TEXT - 1)}…` : out;
}

/** Every string inside a JSON-able value through redactString (keys untouched: a state file's `token:
 * "ok"` is a status, not a secret). For files we write that hold text from elsewhere, such as daemon.json. */
export function redactStrings<T>(value: T, r: Redactor = processSecrets, depth = 0): T {
  if (typeof value === 'string') return r.redactString(value) as T;
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, r, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactStrings(v, r, depth + 1);
  return out as T;
}
