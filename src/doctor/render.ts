/**
 * Doctor's output. Text: one aligned line per check (status, title, detail), the fix indented under
 * every failure and warning, a summary line; colour only on a TTY with NO_COLOR unset. JSON: a stable
 * document (README: doctor --json). Every string is sanitised; checks never hold secrets.
 */
import { sanitizeLine } from '../core/sanitize.js';
import type { CheckResult, CheckStatus } from './check.js';

export const DOCTOR_SCHEMA_VERSION = 1;

const COLOUR: Record<CheckStatus, string> = { pass: '32', warn: '33', fail: '31', skip: '2' };

export function useColour(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

export function renderText(results: readonly CheckResult[], colour: boolean): string {
  const width = Math.max(...results.map((r) => r.title.length));
  const paint = (s: CheckStatus, text: string) => (colour ? `\x1b[${COLOUR[s]}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  for (const r of results) {
    const status = paint(r.status, r.status.padEnd(4));
    lines.push(`${status}  ${sanitizeLine(r.title).padEnd(width)}  ${sanitizeLine(r.detail)}`);
    if (r.fix && (r.status === 'fail' || r.status === 'warn')) {
      lines.push(`${' '.repeat(6 + width)}  fix: ${sanitizeLine(r.fix)}`);
    }
  }
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  const summary = `${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed, ${count('skip')} skipped`;
  lines.push('', count('fail') > 0 ? paint('fail', summary) : summary);
  return `${lines.join('\n')}\n`;
}

export interface DoctorJson {
  schema: number;
  ok: boolean;
  live: boolean;
  counts: Record<CheckStatus, number>;
  checks: Array<{ id: string; title: string; status: CheckStatus; detail: string; fix: string | null }>;
}

export function renderJson(results: readonly CheckResult[], live: boolean): string {
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const r of results) counts[r.status]++;
  const doc: DoctorJson = {
    schema: DOCTOR_SCHEMA_VERSION,
    ok: counts.fail === 0,
    live,
    counts,
    checks: results.map((r) => ({
      id: r.id,
      title: sanitizeLine(r.title),
      status: r.status,
      detail: sanitizeLine(r.detail),
      fix: r.fix === undefined ? null : sanitizeLine(r.fix),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
