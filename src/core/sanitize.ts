/**
 * Text from repos, files and the environment is printed to terminals: strip control characters
 * (ANSI escapes, newlines, BEL...) so no file can move the cursor, recolour or fake a prompt.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One line of output: every control character, newlines included, becomes a visible `?`. */
export function sanitizeLine(text: string): string {
  return text.replace(/[\n\t]/g, ' ').replace(CONTROL, '?');
}

/** Multi-line output: keeps newlines and tabs, replaces every other control character. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(CONTROL, '?');
}
