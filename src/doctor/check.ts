/**
 * The shape every doctor check returns, and small constructors. A check is a pure function of gathered
 * facts; `fix` is the exact command or settings edit that repairs a failure (or a warning).
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable id, documented in the README (`--json` consumers key on it). */
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was found (never a secret value). */
  detail: string;
  /** The exact command or settings edit that fixes it; present for every fail. */
  fix?: string;
}

export const pass = (id: string, title: string, detail: string): CheckResult => ({
  id,
  title,
  status: 'pass',
  detail,
});
export const skip = (id: string, title: string, detail: string): CheckResult => ({
  id,
  title,
  status: 'skip',
  detail,
});
export const warn = (id: string, title: string, detail: string, fix?: string): CheckResult =>
  fix === undefined ? { id, title, status: 'warn', detail } : { id, title, status: 'warn', detail, fix };
export const fail = (id: string, title: string, detail: string, fix: string): CheckResult => ({
  id,
  title,
  status: 'fail',
  detail,
  fix,
});

/** 0 when nothing failed (warnings allowed), 1 when any check failed. */
export function exitCodeFor(results: readonly CheckResult[]): 0 | 1 {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
