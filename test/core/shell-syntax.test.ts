/** Fixes in the user's shell: which shell (the hook's marker, else $SHELL), and the fish forms. */
import { describe, expect, it } from 'vitest';
import { shellFix, userShell } from '../../src/core/shell-syntax.js';

describe('shell syntax', () => {
  it("the hook's marker wins over the login shell", () => {
    expect(userShell({ BEDROCK_PROFILE_HOOK: 'fish', SHELL: '/bin/bash' })).toBe('fish');
    expect(userShell({ BEDROCK_PROFILE_HOOK: 'zsh', SHELL: '/usr/bin/fish' })).toBe('posix');
    expect(userShell({ SHELL: '/usr/local/bin/fish' })).toBe('fish');
    expect(userShell({ SHELL: '/bin/zsh' })).toBe('posix');
    expect(userShell({})).toBe('posix');
  });

  it('fish: set -e for unset, set -gx for export; other commands unchanged', () => {
    expect(shellFix('unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY', 'fish')).toBe(
      'set -e AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
    );
    expect(shellFix('unset AWS_DEFAULT_PROFILE; export AWS_PROFILE=ui-dev', 'fish')).toBe(
      'set -e AWS_DEFAULT_PROFILE; set -gx AWS_PROFILE ui-dev',
    );
    expect(shellFix('bedrock-profile allow', 'fish')).toBe('bedrock-profile allow');
    expect(shellFix('export AWS_REGION=us-east-1', 'posix')).toBe('export AWS_REGION=us-east-1');
  });
});
