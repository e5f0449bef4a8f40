/**
 * After install.sh, the hook works in real interactive zsh, bash and fish started with the rc files it
 * edited (nothing else sourced by hand): the prompt function exists, and a `cd` into a repo the user
 * trusted switches AWS_PROFILE to the repo's profile and restores it on leaving (the hooks' contract).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type InstallHome,
  makeInstallHome,
  makeReleaseSource,
  run,
  runInstallSh,
} from './install-harness.js';

let source: string;
let h: InstallHome;
let repo: string;

beforeAll(async () => {
  source = makeReleaseSource();
  h = makeInstallHome({ TERM: 'dumb' });
  h.write('.zshrc', 'setopt no_beep\n');
  h.write('.bashrc', 'HISTFILE=/dev/null\n');
  h.write('.aws/config', '[profile ui-dev]\nregion = us-east-1\n');
  repo = h.mkdir('work/ui');
  h.mkdir('work/ui/.git');
  h.write('work/ui/.claude/settings.json', { env: { AWS_PROFILE: 'ui-dev' } });
  const r = await runInstallSh(source, h, ['--yes', '--no-service', '--no-doctor']);
  expect(r.code, r.stderr).toBe(0);
  const allow = await run(h.link, ['allow', repo], { env: h.env });
  expect(allow.code, allow.stderr).toBe(0);
}, 180_000);
afterAll(() => {
  h.cleanup();
  rmSync(source, { recursive: true, force: true });
});

const shells: Array<{ shell: string; args: string[]; script: string; fn: string }> = [
  {
    shell: 'zsh',
    args: ['-i'],
    fn: 'bedrock_profile_prompt: function',
    script:
      'whence -w bedrock_profile_prompt\ncd ~/work/ui\necho "in=$AWS_PROFILE"\ncd ~\nprintenv AWS_PROFILE || echo out=unset\n',
  },
  {
    shell: 'bash',
    args: ['-i'],
    fn: 'fn=function',
    script:
      'echo "fn=$(type -t bedrock_profile_prompt)"\ncd ~/work/ui\necho "in=$AWS_PROFILE"\ncd ~\nprintenv AWS_PROFILE || echo out=unset\n',
  },
  {
    // Node hands a child a socket as stdin, which fish refuses ("Is a directory"): give it a real pipe.
    shell: 'fish',
    args: ['-c', 'cat | fish -i'],
    fn: 'fn=function',
    script:
      'functions -q bedrock_profile_prompt; and echo fn=function\ncd ~/work/ui\necho "in=$AWS_PROFILE"\ncd ~\nset -q AWS_PROFILE; and echo "out=$AWS_PROFILE"; or echo out=unset\n',
  },
];

describe('the installed hook in real interactive shells', () => {
  for (const { shell, args, script, fn } of shells) {
    it(`${shell}: started with the installed rc files, switches AWS_PROFILE in a trusted repo`, async () => {
      const r = await run(shell === 'fish' ? 'sh' : shell, args, {
        env: { ...h.env, SHELL: `/usr/bin/${shell}` },
        cwd: h.home,
        input: script,
      });
      const out = r.stdout + r.stderr;
      expect(out).toContain(fn);
      expect(out).toContain('in=ui-dev');
      expect(out).toContain('out=unset');
      expect(out).not.toMatch(/bedrock-profile: |command not found|No such file|Unknown command/);
    }, 60_000);
  }

  it('the rc blocks point the hooks at the installed command, so ~/.local/bin need not be on PATH', () => {
    expect(h.env.PATH).not.toContain(join(h.home, '.local', 'bin'));
  });
});
