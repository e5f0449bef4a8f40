/**
 * The two RFC 3339 forms found in `~/.aws/sso/cache/*.json`: botocore writes `2026-11-24T22:00:00Z`
 * (strftime `%Y-%m-%dT%H:%M:%SZ`), the JS SDK writes `Date#toISOString()` (`2026-11-24T22:00:00.000Z`).
 * Both SDKs accept both, and so do we; we also accept an explicit offset (`+00:00`), which botocore's
 * dateutil parser reads too. Anything else is rejected rather than guessed: `Date.parse` alone would take
 * "Nov 24 2026" or a date without a time and a zone, which neither SDK writes.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch, or undefined if `text` is not an RFC 3339 date-time with a zone. */
export function parseRfc3339(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // Date.UTC rolls Feb 30 into March; refuse impossible fields instead. A leap second (60) is clamped.
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  let t = Date.UTC(Number(y), month - 1, day, hour, minute, Math.min(second, 59), ms);
  if (zone && zone !== 'Z' && zone !== 'z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (Number(zm[2]) * 60 + Number(zm[3])) * 60_000;
    if (Number(zm[2]) > 23 || Number(zm[3]) > 59) return undefined;
    t -= zm[1] === '+' ? offset : -offset;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** botocore's form: `YYYY-MM-DDTHH:MM:SSZ` (seconds, no fraction). */
export function formatRfc3339Seconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The JS SDK's form: `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export function formatRfc3339Millis(ms: number): string {
  return new Date(ms).toISOString();
}
