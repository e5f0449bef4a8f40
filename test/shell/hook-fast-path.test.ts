/**
 * The fast path of the hooks (zsh/bash: compiled by `_bp_compile`; fish: `_bp_fastlist`'s argument
 * list for one `test`): a settled prompt runs only that and never the full look, a change still takes the full look at the next prompt, the
 * compiled text holds no path from a record or a repo (nothing of theirs is ever evaluated), and an
 * alias defined by the user cannot change a word of it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lang, makeShellFixture, runShell, SHELLS, type Shell, type ShellFixture } from './harness.js';

let f: ShellFixture;
let r1: string;
beforeEach(() => {
  f = makeShellFixture();
  r1 = f.repo('r1', { env: { AWS_PROFILE: 'ui-dev' } });
});
afterEach(() => f.cleanup());

/** Wrap the full look (zsh/bash _bp_prompt, fish _bp_warm) so every call appends a line to `count`. */
function countFullLooks(shell: Shell, count: string): string {
  if (shell === 'fish')
    return `functions -c _bp_warm _bp_warm_real; function _bp_warm; echo P >> '${count}'; _bp_warm_real; end`;
  return shell === 'zsh'
    ? `functions[_bp_prompt_real]=$functions[_bp_prompt]; _bp_prompt() { echo P >> '${count}'; _bp_prompt_real; }`
    : `eval "_bp_prompt_real() $(declare -f _bp_prompt | tail -n +2)"; _bp_prompt() { echo P >> '${count}'; _bp_prompt_real; }`;
}

describe.each(SHELLS)('%s', (shell) => {
  const m = (label: string) => lang.mark(shell, f.out, label);
  const looks = (label: string, count: string) =>
    `echo "${label} $(wc -l < '${count}' | tr -d ' ')" >> '${f.out}'`;

  it('a settled prompt runs only the fast path; an edit takes the full look at the next prompt', async () => {
    const count = join(f.root, 'count');
    writeFileSync(count, '');
    const settings = join(r1, '.claude', 'settings.json');
    const run = await runShell(shell, f, [
      lang.source(shell),
      countFullLooks(shell, count),
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      // Past the file-system clock tick of the record `allow` wrote: the next prompt settles.
      'sleep 0.1',
      'true',
      looks('settled', count),
      'true',
      'true',
      'true',
      looks('three-prompts-later', count),
      `printf '%s\\n' '{"env":{"AWS_PROFILE":"ui-prod"}}' > '${settings}'`,
      m('edited'),
    ]);
    const out = Object.fromEntries(run.out.map((l) => l.split(' ')));
    // Four prompts between the two counts (after the first count and after each `true`): no full look.
    expect(Number(out['three-prompts-later'])).toBe(Number(out.settled));
    // The edit was seen at once (ui-prod is not trusted: the shell's profile is given back).
    expect(out.edited).toBe('(unset)');
    expect(readFileSync(count, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(
      Number(out['three-prompts-later']),
    );
  });

  it.skipIf(shell === 'fish')(
    'the compiled functions name no path: a hostile directory name is never part of evaluated text',
    async () => {
      const odd = f.repo('odd\nname $(touch pwned) `id`', { env: { AWS_PROFILE: 'odd-profile' } });
      const dump = join(f.root, 'compiled.txt');
      const show =
        shell === 'zsh'
          ? `functions _bp_hook _bp_fresh > '${dump}'`
          : `declare -f _bp_hook _bp_fresh > '${dump}'`;
      const run = await runShell(shell, f, [
        lang.source(shell),
        `cd ${lang.quote(shell, odd)}`,
        'bedrock-profile allow >/dev/null',
        m('in'),
        show,
      ]);
      expect(run.out).toEqual(['in odd-profile']);
      const compiled = readFileSync(dump, 'utf8');
      expect(compiled).toContain('_bp_fresh');
      for (const text of [f.root, 'odd', 'pwned', 'touch', '`id`', 'bedrock-profile/']) {
        expect(compiled).not.toContain(text);
      }
    },
  );

  it.skipIf(shell === 'fish')('an alias the user defines cannot change the compiled text', async () => {
    const run = await runShell(shell, f, [
      lang.source(shell),
      `alias _bp_prompt='echo ALIASED >&2; _bp_prompt_x'`,
      `alias return='echo ALIASED >&2; return'`,
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      m('in'),
      'true',
      m('again'),
    ]);
    expect(run.stderr).not.toContain('ALIASED');
    expect(run.out).toEqual(['in ui-dev', 'again ui-dev']);
  });
});
