/** The words we print for pasting: each real shell reads back exactly the value. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteWord, shellArg } from '../../src/core/shell-quote.js';

const VALUES = [
  'dev',
  '/home/u/bin/bedrock-profile.js',
  '=ls',
  "it's",
  'back\\slash',
  "both\\'",
  'a b',
  '$(x)',
];
const SHELLS = ['sh', 'bash', 'zsh', 'fish'] as const;

describe.each(SHELLS)('%s', (shell) => {
  it('reads back every value, quoted always (quoteWord) or only when needed (shellArg)', () => {
    const words = VALUES.flatMap((v) => [quoteWord(v, shell), shellArg(v, shell)]);
    const out = execFileSync(shell, ['-c', `printf '%s\\n' ${words.join(' ')}`], { encoding: 'utf8' });
    expect(out.split('\n').slice(0, -1)).toEqual(VALUES.flatMap((v) => [v, v]));
  });
});

it('leaves a plain word bare and quotes one zsh would expand', () => {
  expect(shellArg('dev')).toBe('dev');
  expect(shellArg('=ls', 'zsh')).toBe("'=ls'");
  expect(quoteWord('dev')).toBe("'dev'");
});
