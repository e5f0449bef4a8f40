/**
 * Arguments of the commands we suggest, quoted so that pasting the line runs exactly that command in the
 * user's shell. A profile name is validated first (letters, digits, `_.+=,@-`), but zsh still expands a
 * word that starts with `=` (`=ls` is /usr/bin/ls, also after `X=`), so such a word is quoted. Single
 * quotes mean the same in sh, bash, zsh and fish for a value without `'` or `\`; for one with them, the
 * shell's own escape (fish escapes `\` and `'` inside single quotes, sh-like shells close and reopen).
 */
export type QuoteShell = 'sh' | 'bash' | 'zsh' | 'fish';

const PLAIN = /^[A-Za-z0-9_.+,@/:%-][A-Za-z0-9_.+=,@/:%-]*$/;

export function shellArg(value: string, shell: QuoteShell = 'sh'): string {
  return PLAIN.test(value) ? value : quoteWord(value, shell);
}

/** Always single-quoted, with the shell's own escape for `'` (and in fish `\\`). */
export function quoteWord(value: string, shell: QuoteShell = 'sh'): string {
  if (shell === 'fish') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
