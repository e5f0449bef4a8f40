/**
 * What the prompt's cheap path must still notice, in the same directory, on the very next prompt: an
 * edited repo settings file, a settings.local.json that appears, a record rewritten by another process
 * (`allow` run elsewhere), and a watched variable that only changes from set to exported. The
 * fingerprint the zsh and bash hooks compare lists every name the stray rules may watch.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STRAY_INPUTS } from '../../src/hook/check-vars.js';
import { BIN, REPO_ROOT } from '../support/run-cli.js';
import { lang, makeShellFixture, runShell, SHELLS, type Shell, type ShellFixture } from './harness.js';

let f: ShellFixture;
let r1: string;
beforeEach(() => {
  f = makeShellFixture();
  r1 = f.repo('r1', { env: { AWS_PROFILE: 'ui-dev' } });
});
afterEach(() => f.cleanup());

/** The trust hint; the file is shown relative to the repo. */
const hint = (profile: string, file: string) =>
  `bedrock-profile: this repo uses AWS profile '${profile}' (${file.replace(/^.*\/(\.claude\/)/, '$1')})\n` +
  '  switch to it: bedrock-profile allow; stop this message: bedrock-profile deny\n';

describe.each(SHELLS)('%s', (shell: Shell) => {
  const m = (label: string) => lang.mark(shell, f.out, label);

  it.each([
    ['', false],
    [' (no stamps: a file where the stamps directory goes)', true],
  ])(
    'an edit, a new local file and a rewrite by another process are seen at the next prompt%s',
    async (_, blocked) => {
      // Without a stamp the compiled fast path never holds: every prompt takes the full look.
      if (blocked) f.write(join(f.home, '.cache', 'bedrock-profile', 'stamps'), 'not a directory');
      const settings = join(r1, '.claude', 'settings.json');
      const local = join(r1, '.claude', 'settings.local.json');
      // `allow` through node directly: it does not go through the logging wrapper, like a second terminal.
      const allowElsewhere = `'${process.execPath}' '${BIN}' allow >/dev/null`;
      const run = await runShell(shell, f, [
        lang.source(shell),
        `cd '${r1}'`,
        m('first'),
        allowElsewhere,
        m('allowed'),
        `printf '%s\\n' '{"env":{"AWS_PROFILE":"ui-prod"}}' > '${settings}'`,
        m('edited'),
        allowElsewhere,
        m('allowed-again'),
        `printf '%s\\n' '{"env":{"AWS_PROFILE":"mine"}}' > '${local}'`,
        m('local'),
      ]);
      // Each new profile gets its line (issue 14: never a silent unset), the edit and the new local file.
      const now = (p: string, file: string) =>
        `bedrock-profile: the repo's profile is now '${p}' (${file})\n` +
        '  switch to it: bedrock-profile allow; stop this message: bedrock-profile deny\n';
      expect(run.stderr).toBe(
        hint('ui-dev', settings) +
          now('ui-prod', '.claude/settings.json') +
          now('mine', '.claude/settings.local.json'),
      );
      expect(run.out).toEqual([
        'first (unset)',
        'allowed ui-dev',
        'edited (unset)',
        'allowed-again ui-prod',
        'local (unset)',
      ]);
    },
  );

  it('a key pair that is set and later exported (same values) is warned about once exported', async () => {
    const set = (n: string, v: string) => (shell === 'fish' ? `set -g ${n} '${v}'` : `${n}='${v}'`);
    const exp = (n: string) => (shell === 'fish' ? `set -gx ${n} $${n}` : `export ${n}`);
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      `${set('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEEXAMPLE')}; ${set('AWS_SECRET_ACCESS_KEY', 'secret-never-printed')}`,
      'true',
      `${exp('AWS_ACCESS_KEY_ID')}; ${exp('AWS_SECRET_ACCESS_KEY')}`,
      'true',
    ]);
    expect(run.stderr).toBe(
      hint('ui-dev', join(r1, '.claude/settings.json')) +
        "bedrock-profile: static keys in this shell override profile 'ui-dev' for aws\n" +
        `  fix: ${shell === 'fish' ? 'set -e' : 'unset'} AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY\n`,
    );
  });
});

describe('the prompt fingerprint', () => {
  const source = (shell: string) => readFileSync(join(REPO_ROOT, 'shell', `hook.${shell}`), 'utf8');
  const names = (text: string) => [...text.matchAll(/[A-Z_][A-Z0-9_]+/g)].map((m) => m[0]).sort();

  it.each(['zsh', 'bash'])('%s watches AWS_PROFILE and every variable the stray rules read', (shell) => {
    const list = /_bp_watch=\(([^)]*)\)/.exec(source(shell))?.[1] ?? '';
    expect(names(list)).toEqual(['AWS_PROFILE', ...STRAY_INPUTS].sort());
  });

  it('fish: the fast path watches AWS_PROFILE and every variable the stray rules read', () => {
    const text = source('fish');
    const loop = /for n in (AWS_PROFILE[A-Z_ ]*)\n/.exec(text)?.[1] ?? '';
    expect(names(loop)).toEqual(['AWS_PROFILE', ...STRAY_INPUTS].sort());
    // Values of the others, emptiness only for the secrets: together, every name once.
    const values = /set -g _bp_fpv "([^"]*)"/.exec(text)?.[1] ?? '';
    const secrets = /test -z "(\$AWS_SECRET[^"]*)"; or return 0/.exec(text)?.[1] ?? '';
    expect(names(secrets)).toEqual(STRAY_INPUTS.filter((n) => /SECRET|TOKEN/.test(n)).sort());
    expect([...names(values), ...names(secrets)].sort()).toEqual(['AWS_PROFILE', ...STRAY_INPUTS].sort());
    // The hook compares the same two strings.
    expect(text).toContain(`"${values}" = "$_bp_fpv" -a -z "${secrets}"`);
  });

  it('bash: the quick "nothing set" test and the agree= names are STRAY_INPUTS', () => {
    const quick = source('bash')
      .split('\n')
      .find((l) => l.includes('AWS_ACCESS_KEY_ID+1'));
    expect(names((quick ?? '').replace(/\+1/g, ''))).toEqual([...STRAY_INPUTS].sort());
    // Which names an agree= line may carry, asked of the real shell.
    const candidates = [
      'AWS_PROFILE',
      ...STRAY_INPUTS,
      'PATH',
      'AWS_REGION AWS_DEFAULT_REGION',
      'a[$(id)]',
      '',
    ];
    const script = `source ${REPO_ROOT}shell/hook.bash; for n in ${candidates.map((c) => `'${c}'`).join(' ')}; do _bp_watched "$n" && echo "$n"; done; true`;
    const out = execFileSync('bash', ['--norc', '--noprofile', '-i', '-c', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(out.split('\n').filter(Boolean).sort()).toEqual([...STRAY_INPUTS].sort());
  });

  it.each(['zsh', 'bash', 'fish'] as const)(
    '%s: with every watched variable set, no secret is copied into the state',
    async (shell) => {
      const f = makeShellFixture();
      try {
        const repo = f.repo('r', { env: { AWS_PROFILE: 'ui-dev' } });
        const dump = join(f.root, 'state.txt');
        const exports = [...STRAY_INPUTS].map((n) => `export ${n}='value-of-${n.toLowerCase()}'`);
        const show =
          shell === 'zsh'
            ? `{ typeset -p _bp_fp _bp_fpnow _bp_wset; functions _bp_fingerprint; } > '${dump}'`
            : shell === 'bash'
              ? `{ declare -p _bp_fp _bp_fpnow _bp_wset; declare -f _bp_fingerprint; } > '${dump}'`
              : `begin; set -S _bp_fpv _bp_fpe _bp_fpu _bp_fastargs _bp_keyval; functions _bp_fastlist; end > '${dump}'`;
        await runShell(shell, f, [lang.source(shell), ...exports, `cd '${repo}'`, 'true', 'true', show]);
        const state = readFileSync(dump, 'utf8');
        for (const n of ['AWS_PROFILE', ...STRAY_INPUTS]) expect(state).toContain(n);
        for (const n of STRAY_INPUTS) {
          const secret = /SECRET|TOKEN/.test(n);
          // fish keeps no fingerprint at all while a secret is set (no fast path then).
          if (secret || shell !== 'fish') expect(state.includes(`value-of-${n.toLowerCase()}`)).toBe(!secret);
        }
      } finally {
        f.cleanup();
      }
    },
  );
});
