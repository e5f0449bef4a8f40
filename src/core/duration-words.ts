/**
 * Time left in words a person reads at a glance: "42m", "1h 5m", "2d 3h", "expired 3m ago".
 * Pure: the caller passes the milliseconds (computed from its own clock).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A positive span, two units at most, rounded down (never promise more time than there is). */
export function durationWords(ms: number): string {
  if (!Number.isFinite(ms) || ms < MINUTE) return '<1m';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return `${minutes}m`;
}

/** Left until a deadline: "42m" ahead, "expired 3m ago" behind, "expired just now" within a minute. */
export function timeLeftWords(msLeft: number): string {
  if (msLeft >= 0) return durationWords(msLeft);
  const ago = -msLeft;
  return ago < MINUTE ? 'expired just now' : `expired ${durationWords(ago)} ago`;
}
