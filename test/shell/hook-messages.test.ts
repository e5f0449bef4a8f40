/**
 * What the hooks say, exactly, in real zsh, bash and fish (issue 14): a profile that changes while the
 * shell is in the repo (an edit, a git branch switch back and forth) gets its line every time, never a
 * silent unset; trust holds several profiles per file; fixes in the shell's own syntax; no false
 * AWS_PROFILE line after leaving a trusted repo for one whose profile name is refused; one line per
 * variable, only the new one, at most 80 columns, never a word broken.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lang, makeShellFixture, runShell, SHELLS, type Shell, type ShellFixture } from './harness.js';

let f: ShellFixture;
beforeEach(() => {
  f = makeShellFixture();
});
afterEach(() => f.cleanup());

const untrusted = (profile: string, now = false) =>
  `bedrock-profile: ${now ? "the repo's profile is now" : 'this repo uses AWS profile'} '${profile}' (.claude/settings.json)\n` +
  '  switch to it: bedrock-profile allow; stop this message: bedrock-profile deny\n';
const switched = (profile: string) =>
  `bedrock-profile: AWS_PROFILE=${profile} now (new in .claude/settings.json)\n`;

/** Every line fits in 80 columns; a line that goes on is indented (no word is cut by the terminal). */
function expectShortLines(stderr: string): void {
  for (const l of stderr.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-C', dir, ...args], {
    env: {
      ...f.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@x',
    },
    stdio: 'ignore',
  });
}

describe.each(SHELLS)('%s', (shell: Shell) => {
  const m = (label: string) => lang.mark(shell, f.out, label);
  const write = (file: string, profile: string) =>
    shell === 'fish'
      ? `printf '%s\\n' '{"env": {"AWS_PROFILE": "${profile}"}}' > '${file}'`
      : `printf '%s\\n' '{"env": {"AWS_PROFILE": "${profile}"}}' > '${file}'`;

  it('an edit of the profile inside the repo: its line every time, never a silent unset', async () => {
    const r = f.repo('r', { env: { AWS_PROFILE: 'ui-dev' } });
    const file = `${r}/.claude/settings.json`;
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r}'`,
      'bedrock-profile allow >/dev/null',
      m('allowed'),
      write(file, 'data-prod'),
      m('edited'),
      'bedrock-profile allow >/dev/null',
      m('allowed-2'),
      write(file, 'ui-dev'),
      m('back'),
      write(file, 'data-prod'),
      m('again'),
    ]);
    expect(run.stderr).toBe(
      untrusted('ui-dev') + untrusted('data-prod', true) + switched('ui-dev') + switched('data-prod'),
    );
    expect(run.out).toEqual([
      'allowed ui-dev',
      'edited (unset)',
      'allowed-2 data-prod',
      'back ui-dev',
      'again data-prod',
    ]);
    expectShortLines(run.stderr);
  });

  it('a git branch switch back and forth: trust holds both profiles of the file, each switch says so', async () => {
    const r = f.repo('g');
    // A real repository: main names ui-dev, the branch data-prod.
    execFileSync('rm', ['-rf', `${r}/.git`]);
    git(r, 'init', '-q', '-b', 'main');
    f.write(`${r}/.claude/settings.json`, { env: { AWS_PROFILE: 'ui-dev' } });
    git(r, 'add', '.');
    git(r, 'commit', '-qm', 'ui-dev');
    git(r, 'checkout', '-qb', 'data');
    f.write(`${r}/.claude/settings.json`, { env: { AWS_PROFILE: 'data-prod' } });
    git(r, 'commit', '-qam', 'data-prod');
    git(r, 'checkout', '-q', 'main');
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r}'`,
      'bedrock-profile allow >/dev/null',
      'git checkout -q data',
      m('data'),
      'bedrock-profile allow >/dev/null',
      'git checkout -q main',
      m('main'),
      'git checkout -q data',
      m('data-2'),
      'git checkout -q main',
      m('main-2'),
    ]);
    expect(run.stderr).toBe(
      untrusted('ui-dev') +
        untrusted('data-prod', true) +
        switched('ui-dev') +
        switched('data-prod') +
        switched('ui-dev'),
    );
    expect(run.out).toEqual(['data (unset)', 'main ui-dev', 'data-2 data-prod', 'main-2 ui-dev']);
  });

  it("fixes in the shell's own syntax; only the new variable is said; no line over 80 columns", async () => {
    const r = f.repo('k', { env: { AWS_PROFILE: 'ui-dev', AWS_REGION: 'us-east-1' } });
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r}'`,
      'bedrock-profile allow >/dev/null',
      `${lang.export(shell, 'AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEEXAMPLE')}; ${lang.export(shell, 'AWS_SECRET_ACCESS_KEY', 'secret-never-printed')}`,
      'true',
      lang.export(shell, 'AWS_DEFAULT_PROFILE', 'other'),
      'true',
      lang.export(shell, 'AWS_REGION', 'eu-west-1'),
      'true',
      lang.export(shell, 'AWS_PROFILE', 'by-hand'),
      'true',
    ]);
    const unset = shell === 'fish' ? 'set -e' : 'unset';
    const exp = (n: string, v: string) => (shell === 'fish' ? `set -gx ${n} ${v}` : `export ${n}=${v}`);
    expect(run.stderr).toBe(
      untrusted('ui-dev') +
        "bedrock-profile: static keys in this shell override profile 'ui-dev' for aws\n" +
        `  fix: ${unset} AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY\n` +
        "bedrock-profile: AWS_DEFAULT_PROFILE=other overrides profile 'ui-dev' for aws\n" +
        `  fix: ${unset} AWS_DEFAULT_PROFILE\n` +
        "bedrock-profile: AWS_REGION=eu-west-1 differs from the settings' region\n" +
        '  us-east-1 for Claude Code in subdirectories and aws\n' +
        `  fix: ${exp('AWS_REGION', 'us-east-1')}\n` +
        // AWS_DEFAULT_PROFILE is set: aws reads it first, so only Claude Code in subdirectories is affected.
        "bedrock-profile: AWS_PROFILE=by-hand is not this repo's profile 'ui-dev' for\n" +
        '  Claude Code in subdirectories\n' +
        `  fix: ${exp('AWS_PROFILE', 'ui-dev')}\n`,
    );
    expect(run.stderr).not.toContain('secret-never-printed');
    expectShortLines(run.stderr);
  });

  it("use: says a local file's profile wins and suggests --local; the backup is not left in the repo", async () => {
    const r = f.repo('u', { env: { AWS_PROFILE: 'ui-dev' } });
    f.write(`${r}/.claude/settings.local.json`, { env: { AWS_PROFILE: 'ui-dev' } });
    f.write('.aws/config', '[profile data-prod]\nregion = us-east-1\n[profile ui-dev]\nregion = us-east-1\n');
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${r}'`,
      'bedrock-profile allow >/dev/null',
      `bedrock-profile use data-prod --dry-run >/dev/null`,
      `bedrock-profile use data-prod > '${f.root}/use.out'`,
      m('after-use'),
      'bedrock-profile use data-prod --local >/dev/null',
      m('after-local'),
      `ls -A '${r}/.claude' >> '${f.out}'`,
    ]);
    const warning =
      'warning: .claude/settings.local.json names AWS profile ui-dev and wins over .claude/settings.json\n' +
      '  Claude Code started here still uses ui-dev; fix: bedrock-profile use data-prod --local';
    const local = (text: string) =>
      text.replace(' (.claude/settings.json)', '\n  (.claude/settings.local.json)');
    expect(run.stderr).toBe(
      local(untrusted('ui-dev')) +
        `${warning} --dry-run\n` +
        `${warning}\n` +
        // The hook: the local file's profile changed, and data-prod is not allowed yet.
        local(untrusted('data-prod', true)),
    );
    expect(readFileSync(`${f.root}/use.out`, 'utf8')).not.toContain('now uses');
    expect(run.out).toEqual([
      'after-use ui-dev',
      'after-local (unset)',
      'settings.json',
      'settings.local.json',
    ]);
  });

  it('from a trusted repo into a never-visited one whose profile name is refused: the refusal only', async () => {
    const good = f.repo('good', { env: { AWS_PROFILE: 'data-prod' } });
    const bad = f.repo('bad', { env: { AWS_PROFILE: 'no way' } });
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${good}'`,
      'bedrock-profile allow >/dev/null',
      m('good'),
      `cd '${bad}'`,
      m('bad'),
    ]);
    expect(run.stderr).toBe(
      untrusted('data-prod') +
        `bedrock-profile: refusing AWS_PROFILE 'no way' from ${bad}/.claude/settings.json: not a profile name (letters, digits and _.+=,@- only, 1 to 128 characters); fix the file\n`,
    );
    expect(run.out).toEqual(['good data-prod', 'bad (unset)']);
  });
});
