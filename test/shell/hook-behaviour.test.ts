/**
 * The hooks in the real shells, interactive, cd-ing between fixture repos: exact stderr (nothing when
 * consistent, one line per new state, never repeated), switching and restoring AWS_PROFILE, the
 * untrusted hint, hands off a value set by hand, sourcing twice, `set -u`, `$?`, array PROMPT_COMMAND.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-cli.js';
import { lang, makeShellFixture, runShell, SHELLS, type Shell, type ShellFixture } from './harness.js';

let f: ShellFixture;
let r1: string;
let r2: string;
beforeEach(() => {
  f = makeShellFixture();
  r1 = f.repo('r1', { env: { AWS_PROFILE: 'ui-dev' } });
  f.mkdir('r1/sub/deeper');
  r2 = f.repo('r2', { env: { AWS_PROFILE: 'data-prod' } });
  f.mkdir('plain');
});
afterEach(() => f.cleanup());

/** The trust hint; the file is shown relative to the repo. */
const hint = (profile: string, file: string) =>
  `bedrock-profile: this repo uses AWS profile '${profile}' (${file.replace(/^.*\/(\.claude\/)/, '$1')})\n` +
  '  switch to it: bedrock-profile allow; stop this message: bedrock-profile deny\n';

describe.each(SHELLS)('%s', (shell: Shell) => {
  const m = (label: string) => lang.mark(shell, f.out, label);

  it('switches in trusted repos, restores on leaving, and says nothing when consistent', async () => {
    const run = await runShell(shell, f, [
      lang.source(shell),
      lang.export(shell, 'AWS_PROFILE', 'mine'),
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      m('allowed'),
      `cd '${r2}'`,
      'bedrock-profile allow >/dev/null',
      m('r2'),
      `cd '${r1}/sub/deeper'`,
      m('deeper'),
      `cd '${f.home}/plain'`,
      m('left'),
      lang.unset(shell, 'AWS_PROFILE'),
      `cd '${r1}'`,
      m('back'),
      'cd ..',
      m('unset-again'),
    ]);
    expect(run.stderr).toBe(
      hint('ui-dev', join(r1, '.claude/settings.json')) +
        hint('data-prod', join(r2, '.claude/settings.json')),
    );
    expect(run.out).toEqual([
      'allowed ui-dev',
      'r2 data-prod',
      'deeper ui-dev',
      'left mine',
      'back ui-dev',
      'unset-again (unset)',
    ]);
  });

  it('prints the untrusted hint once per context, not on every visit', async () => {
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r1}'`,
      m('in'),
      'cd sub',
      'cd ..',
      `cd '${f.home}'`,
      `cd '${r1}'`,
      m('again'),
    ]);
    expect(run.stderr).toBe(hint('ui-dev', join(r1, '.claude/settings.json')));
    expect(run.out).toEqual(['in (unset)', 'again (unset)']);
  });

  it('warns once about stray keys, again only when the set of variables changes', async () => {
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      `${lang.export(shell, 'AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEEXAMPLE')}; ${lang.export(shell, 'AWS_SECRET_ACCESS_KEY', 'secret-never-printed')}`,
      'true',
      'cd sub',
      'cd ..',
      `cd '${f.home}'`,
      `cd '${r1}'`,
      lang.export(shell, 'AWS_DEFAULT_PROFILE', 'other'),
      'true',
      m('end'),
    ]);
    expect(run.stderr).toBe(
      hint('ui-dev', join(r1, '.claude/settings.json')) +
        "bedrock-profile: static keys in this shell override profile 'ui-dev' for aws\n" +
        `  fix: ${shell === 'fish' ? 'set -e' : 'unset'} AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY\n` +
        // Only the new variable (the keys were said).
        "bedrock-profile: AWS_DEFAULT_PROFILE=other overrides profile 'ui-dev' for aws\n" +
        `  fix: ${shell === 'fish' ? 'set -e' : 'unset'} AWS_DEFAULT_PROFILE\n`,
    );
    expect(run.stderr).not.toContain('secret-never-printed');
    expect(run.out).toEqual(['end ui-dev']);
  });

  it('a variable that agrees with the settings is not stray and spawns nothing; one that differs is', async () => {
    const r3 = f.repo('r3', { env: { AWS_PROFILE: 'ui-dev', AWS_REGION: 'us-east-1' } });
    const count =
      shell === 'fish'
        ? `echo "calls" (count < '${f.calls}') >> '${f.out}'`
        : `echo "calls $(wc -l < '${f.calls}')" >> '${f.out}'`;
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r3}'`,
      'bedrock-profile allow >/dev/null',
      lang.export(shell, 'AWS_REGION', 'us-east-1'),
      'true',
      count,
      lang.export(shell, 'AWS_REGION', 'eu-west-1'),
      'true',
    ]);
    expect(run.stderr).toBe(
      hint('ui-dev', join(r3, '.claude/settings.json')) +
        "bedrock-profile: AWS_REGION=eu-west-1 differs from the settings' region\n" +
        '  us-east-1 for Claude Code in subdirectories and aws\n' +
        `  fix: ${shell === 'fish' ? 'set -gx AWS_REGION us-east-1' : 'export AWS_REGION=us-east-1'}\n`,
    );
    // resolve (first visit) and allow; nothing for the agreeing region.
    expect(run.out.map((l) => l.replace(/\s+/g, ' '))).toEqual(['calls 2']);
  });

  it('leaves a value set by hand alone, and says once that it differs', async () => {
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      m('switched'),
      lang.export(shell, 'AWS_PROFILE', 'by-hand'),
      'cd sub',
      m('sub'),
      `cd '${f.home}'`,
      m('left'),
    ]);
    expect(run.stderr).toBe(
      hint('ui-dev', join(r1, '.claude/settings.json')) +
        "bedrock-profile: AWS_PROFILE=by-hand is not this repo's profile 'ui-dev' for\n" +
        '  Claude Code in subdirectories and aws\n' +
        `  fix: ${shell === 'fish' ? 'set -gx AWS_PROFILE ui-dev' : 'export AWS_PROFILE=ui-dev'}\n`,
    );
    expect(run.out).toEqual(['switched ui-dev', 'sub by-hand', 'left by-hand']);
  });

  it('never exports in mode "warn"', async () => {
    f.write('.config/bedrock-profile/config.json', { mode: 'warn' });
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      m('warn-mode'),
      'cd sub',
      m('sub'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.out).toEqual(['warn-mode (unset)', 'sub (unset)']);
  });

  it('sourced twice: registered once, state kept, nothing said twice', async () => {
    const count =
      shell === 'zsh'
        ? `p=(\${(M)precmd_functions:#_bp_hook}) c=(\${(M)chpwd_functions:#_bp_hook}); echo "hooks $#p $#c" >> '${f.out}'`
        : shell === 'bash'
          ? `n=0; for e in "\${PROMPT_COMMAND[@]}"; do [[ $e == *_bp_hook* ]] && n=$((n+1)); done; echo "hooks $n" >> '${f.out}'`
          : `echo "hooks" (count (functions -H | string match -r '_bp_on_\\w+')) >> '${f.out}'`;
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r1}'`,
      lang.source(shell),
      'cd sub',
      lang.source(shell),
      count,
    ]);
    expect(run.stderr).toBe(hint('ui-dev', join(r1, '.claude/settings.json')));
    expect(run.out).toEqual([shell === 'zsh' ? 'hooks 1 1' : shell === 'bash' ? 'hooks 1' : 'hooks 2']);
  });

  it('works loaded the documented way: eval "$(bedrock-profile hook SHELL)" / | source', async () => {
    const load =
      shell === 'fish' ? 'bedrock-profile hook fish | source' : `eval "$(bedrock-profile hook ${shell})"`;
    const run = await runShell(shell, f, [
      load,
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      m('eval'),
      'cd ..',
      m('out'),
    ]);
    expect(run.stderr).toBe(hint('ui-dev', join(r1, '.claude/settings.json')));
    expect(run.out).toEqual(['eval ui-dev', 'out (unset)']);
  });

  it('keeps $? across the hook', async () => {
    const fail = shell === 'fish' ? 'false' : '(exit 3)';
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r1}'`,
      fail,
      lang.status(shell, f.out, 'status'),
      `cd '${r2}'; ${fail}`,
      lang.status(shell, f.out, 'after-cd'),
    ]);
    const code = shell === 'fish' ? '1' : '3';
    expect(run.out).toEqual([`status ${code}`, `after-cd ${code}`]);
  });

  it('says nothing outside repos and when nothing is asked', async () => {
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${f.home}/plain'`,
      'cd /',
      `cd '${f.home}'`,
      m('none'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.out).toEqual(['none (unset)']);
  });
});

describe('zsh specifics', () => {
  it("is safe under KSH_ARRAYS, NO_UNSET, SH_WORD_SPLIT and GLOB_SUBST (the fast path runs under the user's options), and skips subshells", async () => {
    const run = await runShell('zsh', f, [
      'setopt ksh_arrays no_unset sh_word_split glob_subst',
      lang.source('zsh'),
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      // Settled: the next prompts take the compiled fast path.
      'sleep 0.1',
      'true',
      'true',
      lang.mark('zsh', f.out, 'in'),
      `(cd '${r2}'; echo "subshell \${AWS_PROFILE-(unset)}" >> '${f.out}')`,
      lang.mark('zsh', f.out, 'after'),
    ]);
    expect(run.stderr).toBe(hint('ui-dev', join(r1, '.claude/settings.json')));
    expect(run.out).toEqual(['in ui-dev', 'subshell ui-dev', 'after ui-dev']);
  });
});

describe('bash specifics', () => {
  it('is safe under set -u', async () => {
    const run = await runShell('bash', f, [
      'set -u',
      lang.source('bash'),
      `cd '${r1}'`,
      'bedrock-profile allow >/dev/null',
      lang.mark('bash', f.out, 'in'),
      `cd '${f.home}'`,
      lang.mark('bash', f.out, 'out'),
    ]);
    expect(run.stderr).toBe(hint('ui-dev', join(r1, '.claude/settings.json')));
    expect(run.out).toEqual(['in ui-dev', 'out (unset)']);
  });

  it('joins an array PROMPT_COMMAND; later entries still see $? and run', async () => {
    const run = await runShell('bash', f, [
      `after() { echo "after $?" >> '${f.out}'; }`,
      'PROMPT_COMMAND=(after)',
      lang.source('bash'),
      `echo "pc \${PROMPT_COMMAND[*]}" >> '${f.out}'`,
      `cd '${r1}'; (exit 4)`,
    ]);
    expect(run.stderr).toBe(hint('ui-dev', join(r1, '.claude/settings.json')));
    // One line per prompt: after PROMPT_COMMAND is set, after sourcing, after the echo, after the cd.
    expect(run.out).toEqual(['after 0', 'after 0', 'pc _bp_hook after', 'after 0', 'after 4']);
  });

  it('leaves PIPESTATUS to the next command line', async () => {
    const run = await runShell('bash', f, [
      lang.source('bash'),
      `cd '${r1}'`,
      '(exit 3) | (exit 4)',
      `echo "pipestatus \${PIPESTATUS[*]}" >> '${f.out}'`,
    ]);
    expect(run.out).toEqual(['pipestatus 3 4']);
  });

  it('coexists with a starship-style DEBUG-trap timer: our call never looks like a user command', async () => {
    // starship's bash init: a DEBUG trap starts the command timer only when its precmd (appended to
    // PROMPT_COMMAND) has marked the prompt as drawn. A hook running after that precmd would start it.
    const run = await runShell('bash', f, [
      `timer() { if [[ $READY == 1 ]]; then READY=0; echo "start $BASH_COMMAND" >> '${f.out}'; fi; }`,
      'drawn() { READY=1; }',
      "READY=0; trap 'timer' DEBUG; PROMPT_COMMAND=drawn",
      lang.source('bash'),
      `cd '${r1}'`,
      'true',
    ]);
    expect(run.out).toEqual([
      `start source ${REPO_ROOT}shell/hook.bash`,
      `start cd '${r1}'`,
      'start true',
      'start exit',
    ]);
  });

  it('joins a string PROMPT_COMMAND once', async () => {
    const run = await runShell('bash', f, [
      `after() { echo "after $?" >> '${f.out}'; }`,
      'PROMPT_COMMAND=after',
      lang.source('bash'),
      lang.source('bash'),
      `echo "pc $PROMPT_COMMAND" >> '${f.out}'`,
      '(exit 5)',
    ]);
    expect(run.stderr).toBe('');
    expect(run.out).toEqual(['after 0', 'after 0', 'after 0', 'pc _bp_hook;after', 'after 0', 'after 5']);
  });
});
