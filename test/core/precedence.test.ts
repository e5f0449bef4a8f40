import { describe, expect, it } from 'vitest';
import { claudeProcessEnv, effectiveProfile, effectiveRegion } from '../../src/core/effective-profile.js';
import { mergeSettings } from '../../src/core/precedence.js';

describe('mergeSettings (highest first)', () => {
  it('first layer wins per env variable and per top-level key; files recorded', () => {
    const m = mergeSettings([
      { scope: 'managed', file: '/m', data: { env: { A: 'm' }, model: 'mm' } },
      { scope: 'local', file: '/l', data: { env: { A: 'l', B: 'l' }, awsAuthRefresh: 'cmd' } },
      { scope: 'user', file: '/u', data: { env: { B: 'u', C: 'u' }, model: 'um' } },
    ]);
    expect(m.env).toEqual({
      A: { value: 'm', scope: 'managed', file: '/m' },
      B: { value: 'l', scope: 'local', file: '/l' },
      C: { value: 'u', scope: 'user', file: '/u' },
    });
    expect(m.top.model).toEqual({ value: 'mm', scope: 'managed', file: '/m' });
    expect(m.top.awsAuthRefresh?.scope).toBe('local');
    expect(m.notes).toEqual([]);
  });

  it('a non-string value does not block a lower layer string (Claude skips it)', () => {
    const m = mergeSettings([
      { scope: 'project', file: '/p', data: { env: { A: 1 }, awsCredentialExport: ['x'] } },
      { scope: 'user', file: '/u', data: { env: { A: 'u' }, awsCredentialExport: 'ok' } },
    ]);
    expect(m.env.A?.value).toBe('u');
    expect(m.top.awsCredentialExport?.value).toBe('ok');
    expect(m.notes).toHaveLength(2);
  });

  it('a "__proto__" key is an ordinary variable name', () => {
    const m = mergeSettings([{ scope: 'user', file: '/u', data: JSON.parse('{"env":{"__proto__":"x"}}') }]);
    expect(Object.keys(m.env)).toEqual(['__proto__']);
  });
});

describe('effective profile and region', () => {
  const s = (value: string) => ({ value, scope: 'project' as const, file: '/p' });
  it('settings beat the shell; the shell beats the default', () => {
    expect(effectiveProfile({ AWS_PROFILE: s('a') }, { AWS_PROFILE: 'b' })).toEqual({
      value: 'a',
      source: { scope: 'project', file: '/p' },
    });
    expect(effectiveProfile({}, { AWS_PROFILE: 'b' })).toEqual({ value: 'b', source: { scope: 'shell' } });
    expect(effectiveProfile({}, {})).toEqual({ value: 'default', source: { scope: 'default' } });
  });
  it('an empty AWS_PROFILE in settings masks the shell: the SDK default applies', () => {
    expect(effectiveProfile({ AWS_PROFILE: s('') }, { AWS_PROFILE: 'b' }).value).toBe('default');
  });
  it('region: settings, then the shell AWS_REGION; AWS_DEFAULT_REGION never (Claude Code ignores it)', () => {
    expect(effectiveRegion({ AWS_REGION: s('us-east-1') }, { AWS_REGION: 'eu-west-1' }).value).toBe(
      'us-east-1',
    );
    expect(effectiveRegion({}, { AWS_REGION: 'eu-west-1' }).source).toEqual({ scope: 'shell' });
    expect(effectiveRegion({}, { AWS_DEFAULT_REGION: 'eu-west-1' })).toEqual({
      value: undefined,
      source: { scope: 'unset' },
    });
  });
  it('claudeProcessEnv: shell with settings on top', () => {
    expect(claudeProcessEnv({ A: s('x') }, { A: 'y', B: 'z', C: undefined })).toEqual({ A: 'x', B: 'z' });
  });
});
