/**
 * The status line itself, pure: parts joined with ` · `, the session's state coloured by its tone.
 * Claude Code renders ANSI colours in the status line, so colour is on unless NO_COLOR is set (any
 * non-empty value, https://no-color.org). Every part is sanitised: no file or variable can inject an
 * escape or a newline (the line must stay one line).
 */
import { sanitizeLine } from '../core/sanitize.js';
import type { Tone } from '../core/session-words.js';

export interface StatuslineParts {
  /** "dev 111122223333", "Bedrock API key", ... */
  identity: string;
  region?: string;
  model?: string;
  session?: { text: string; tone: Tone };
}

const COLOUR: Record<Tone, string> = { ok: '\x1b[32m', warn: '\x1b[33m', bad: '\x1b[31m' };
const RESET = '\x1b[0m';

export function renderStatusline(p: StatuslineParts, colour: boolean): string {
  const parts = [p.identity, p.region, p.model].filter((s): s is string => Boolean(s)).map(sanitizeLine);
  if (p.session) {
    const text = sanitizeLine(p.session.text);
    parts.push(colour ? `${COLOUR[p.session.tone]}${text}${RESET}` : text);
  }
  return parts.join(' · ');
}

export function colourWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  return !env.NO_COLOR;
}
