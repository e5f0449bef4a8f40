/**
 * Text from repos, files and the environment is printed to terminals: strip control characters
 * (ANSI escapes, newlines, BEL...) so no file can move the cursor, recolour or fake a prompt.
 */
// C0 and C1 controls, DEL, line/paragraph separators, and the bidi and invisible format characters
// (LRM/RLM/ALM, zero-width space/joiners, embeddings and overrides, isolates, word joiner, BOM) that
// reorder or hide text on screen.
const CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** The same characters, for JSON output: written as `\uXXXX` escapes (the same JSON value, nothing raw). */
export function escapeControlsInJson(json: string): string {
  return json.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line of output: every control character, newlines included, becomes a visible `?`. */
export function sanitizeLine(text: string): string {
  return text.replace(/[\n\t]/g, ' ').replace(CONTROL, '?');
}

/** Multi-line output: keeps newlines and tabs, replaces every other control character. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(CONTROL, '?');
}
