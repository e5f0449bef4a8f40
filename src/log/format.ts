/**
 * One JSON log line → one readable line: `2026-11-24 22:31:05 INFO  refreshed session corp (profile dev) ...`.
 * Pure (time shown in UTC so the output does not depend on the machine's zone); control characters stripped.
 */
import { sanitizeForTerminal } from '../core/sanitize.js';

const SKIP = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'v']);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function formatLogLine(line: string): string {
  const text = line.trim();
  if (!text) return '';
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return sanitizeForTerminal(text);
  }
  const time = typeof rec.time === 'number' ? formatTime(rec.time) : '?';
  const level = String(rec.level ?? 'info')
    .toUpperCase()
    .padEnd(5);
  const extras = Object.entries(rec)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(' ');
  return sanitizeForTerminal(`${time} ${level} ${String(rec.msg ?? '')}${extras ? `  ${extras}` : ''}`);
}
