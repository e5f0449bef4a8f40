import { describe, expect, it } from 'vitest';
import { signInCommand } from '../../src/core/sign-in-command.js';

describe('signInCommand', () => {
  it('a plain profile name stays as it is; --renew when asked', () => {
    expect(signInCommand('dev')).toBe('bedrock-profile login --profile dev');
    expect(signInCommand('dev', { renew: true })).toBe('bedrock-profile login --profile dev --renew');
  });

  it("quotes a name zsh would expand (a leading '='), and never carries a control character", () => {
    expect(signInCommand('=ls')).toBe("bedrock-profile login --profile '=ls'");
    expect(signInCommand('dev\nsigned in')).not.toMatch(/[\n\r]/);
  });
});
