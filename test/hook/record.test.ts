/** The record format: what the TypeScript side writes is what the shells (and parseRecord) read back. */
import { describe, expect, it } from 'vitest';
import { type HookRecord, parseRecord, serializeRecord } from '../../src/hook/record.js';
import { recordName, recordNameFits } from '../../src/hook/record-name.js';

const base: HookRecord = {
  gen: 1_700_000_000_123,
  dir: '/home/u/odd\nname 100%',
  root: '/home/u/odd\nname 100%',
  sources: ['/home/u/.claude/settings.json'],
  absent: ['/etc/claude-code/managed-settings.json'],
  project: true,
  local: false,
  profile: 'ui-dev',
  expect: 'ui-dev',
  switch: true,
  hint: false,
  notice: false,
  unsetOk: true,
  check: ['AWS_ACCESS_KEY_ID', 'AWS_REGION'],
  agree: { AWS_REGION: 'us-east-1' },
  expiresAt: 1_700_000_600_000,
};

describe('record', () => {
  it('round-trips, one key per line, no raw newline in any value', () => {
    const text = serializeRecord(base);
    expect(text.split('\n')[0]).toBe('bedrock-profile-record 1 1700000000123');
    expect(text).toContain('dir=/home/u/odd%0Aname 100%25\n');
    expect(text).toContain('agree=AWS_REGION=us-east-1\n');
    expect(text).toContain('expires=1700000600\n');
    expect(
      text
        .split('\n')
        .filter((l) => l !== '')
        .every((l, i) => i === 0 || /^[a-z]+=/.test(l)),
    ).toBe(true);
    expect(parseRecord(text)).toEqual(base);
  });

  it('percent-encodes every control character in paths (C0, DEL, C1 as UTF-8 bytes), never a raw one', () => {
    const dir = '/home/u/\u001b[31mred\u0007 \u007f\u009b x\\n %41 é';
    const text = serializeRecord({ ...base, dir, root: dir });
    expect(text).toContain('dir=/home/u/%1B[31mred%07 %7F%C2%9B x\\n %2541 é\n');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(parseRecord(text)?.dir).toBe(dir);
    expect(parseRecord(text)?.root).toBe(dir);
  });

  it('is not a record without the header', () => {
    expect(parseRecord('dir=/x\nprofile=p\n')).toBeUndefined();
    expect(parseRecord('bedrock-profile-record 2 1\n')).toBeUndefined();
  });

  it('names: reversible, one path component, computable with shell builtins', () => {
    expect(recordName('/a/b%c\nd')).toBe('%2Fa%2Fb%25c%0Ad');
    expect(recordName('/a%2Fb')).not.toBe(recordName('/a/b'));
    expect(recordNameFits(recordName(`/${'x'.repeat(200)}`))).toBe(true);
    expect(recordNameFits(recordName(`/${'x/'.repeat(100)}`))).toBe(false);
  });
});
