/**
 * The hook's marker: each real interactive shell that loaded the hook exports BEDROCK_PROFILE_HOOK, so
 * `bedrock-profile doctor`, run as a child of that shell, reports the hook active there; a shell without
 * the hook does not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lang, makeShellFixture, runShell, SHELLS, type Shell, type ShellFixture } from './harness.js';

let f: ShellFixture;
beforeEach(() => {
  f = makeShellFixture();
});
afterEach(() => f.cleanup());

function hookCheck(file: string): { status: string; detail: string } {
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    checks: Array<{ id: string; status: string; detail: string }>;
  };
  const check = report.checks.find((c) => c.id === 'hook');
  if (!check) throw new Error('doctor --json has no hook check');
  return check;
}

describe.each(SHELLS)('%s', (shell: Shell) => {
  it('doctor run from a shell with the hook sees it active; without the hook, not', async () => {
    const withHook = join(f.root, 'with.json');
    const without = join(f.root, 'without.json');
    await runShell(shell, f, [
      `bedrock-profile doctor --json > '${without}'`,
      lang.source(shell),
      `bedrock-profile doctor --json > '${withHook}'`,
    ]);
    expect(hookCheck(withHook)).toMatchObject({ status: 'pass', detail: `active (${shell})` });
    expect(hookCheck(without).status).not.toBe('pass');
  });
});
