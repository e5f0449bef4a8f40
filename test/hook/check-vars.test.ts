/** The watched variables come from probing the stray rules, not from a second copy of them. */
import { describe, expect, it } from 'vitest';
import type { Sourced } from '../../src/core/types.js';
import { checkVars } from '../../src/hook/check-vars.js';

const project = (value: string): Sourced<string> => ({
  value,
  scope: 'project',
  file: '/r/.claude/settings.json',
});

describe('checkVars', () => {
  it('watches the credential and profile variables; a region the settings set agrees at that value', () => {
    const env = { AWS_PROFILE: project('ui-dev'), AWS_REGION: project('us-east-1') };
    const { check, agree, unsetOk } = checkVars({ env, subdirEnv: {} }, 'ui-dev');
    expect(check).toEqual(
      expect.arrayContaining([
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_SECURITY_TOKEN',
        'AWS_DEFAULT_PROFILE',
        'AWS_BEARER_TOKEN_BEDROCK',
        'AWS_REGION',
      ]),
    );
    expect(agree).toEqual({ AWS_REGION: 'us-east-1' });
    expect(unsetOk).toBe(true);
  });

  it('agrees only on validated regions, profile names and paths: never a key id, secret or token, never junk', () => {
    const env = {
      AWS_ACCESS_KEY_ID: project('AKIAIOSFODNN7EXAMPLE'),
      AWS_SECRET_ACCESS_KEY: project('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
      AWS_SESSION_TOKEN: project('FwoGZXIvYXdzEXAMPLE'),
      AWS_BEARER_TOKEN_BEDROCK: project('ABSKQmVkcm9ja0FQSUtleS1EXAMPLE'),
      AWS_DEFAULT_PROFILE: project('ui-dev'),
      AWS_CONFIG_FILE: project('/home/u/.aws/config'),
    };
    const { check, agree } = checkVars({ env, subdirEnv: {} }, 'ui-dev');
    // The secrets are watched, but a record never carries their values: it agrees on the profile name only.
    expect(check).toEqual(
      expect.arrayContaining([
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_BEARER_TOKEN_BEDROCK',
      ]),
    );
    expect(agree).toEqual({ AWS_DEFAULT_PROFILE: 'ui-dev' });
    const junk = checkVars({ env: { AWS_REGION: project('$(touch x) \\e[31m') }, subdirEnv: {} }, 'ui-dev');
    expect(junk.check).toContain('AWS_REGION');
    expect(junk.agree).toEqual({});
    const named = checkVars(
      { env: { AWS_PROFILE: project('a'), AWS_DEFAULT_PROFILE: project('a; rm') }, subdirEnv: {} },
      'a',
    );
    expect(named.agree).toEqual({});
  });

  it('a region means nothing when no setting names one', () => {
    const { check, agree } = checkVars({ env: { AWS_PROFILE: project('ui-dev') }, subdirEnv: {} }, 'ui-dev');
    expect(check).not.toContain('AWS_REGION');
    expect(agree).toEqual({});
  });
});
