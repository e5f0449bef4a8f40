/**
 * Small wording helpers shared by the checks: where a value came from, a path with `~`, a safe value.
 */
import type { EffectiveValue } from '../core/effective-profile.js';
import { sanitizeLine } from '../core/sanitize.js';
import { shellArg } from '../core/shell-quote.js';
import type { DoctorFacts } from './facts.js';

export function tilde(file: string, home: string | undefined): string {
  if (home && (file === home || file.startsWith(`${home}/`))) return `~${file.slice(home.length)}`;
  return sanitizeLine(file);
}

export function fromWhere(v: EffectiveValue, facts: Pick<DoctorFacts, 'shellEnv'>): string {
  switch (v.source.scope) {
    case 'shell':
      return 'from this shell only';
    case 'default':
      return '(AWS_PROFILE is not set: the SDK default)';
    case 'unset':
      return 'unset';
    default:
      return `from ${v.source.file ? tilde(v.source.file, facts.shellEnv.HOME) : v.source.scope}`;
  }
}

/** A value from a file or the environment, made safe for one line of output. */
export function shown(value: string): string {
  const line = sanitizeLine(value);
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** A profile name safe to paste into a command line (else a placeholder). */
export function profileArg(name: string): string {
  return /^[A-Za-z0-9_.+=,@-]{1,128}$/.test(name) ? shellArg(name) : '<profile>';
}

/** Claude Code's reading of a boolean variable: 1, true, yes, on (any case), as `status` reads it. */
export function isEnvTruthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}
