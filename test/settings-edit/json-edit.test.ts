import { describe, expect, test } from 'vitest';
import { detectFormat, setJsonValue } from '../../src/settings-edit/json-edit.js';
import { unifiedDiff } from '../../src/settings-edit/unified-diff.js';

describe('setJsonValue keeps every byte it does not concern', () => {
  test('replaces a value in place, nothing else moves', () => {
    const text = '{\n  "env": {"AWS_REGION": "us-west-2",   "X": "1"},\n  "a": [1,2]\n}\n';
    expect(setJsonValue(text, ['env', 'AWS_REGION'], 'eu-west-1')).toBe(
      '{\n  "env": {"AWS_REGION": "eu-west-1",   "X": "1"},\n  "a": [1,2]\n}\n',
    );
  });

  test('the same value is no change at all', () => {
    const text = '{ "env" : { "A" : "1" } }';
    expect(setJsonValue(text, ['env', 'A'], '1')).toBe(text);
  });

  test('inserts after the last property with its indentation; a compact sibling stays compact', () => {
    const text = '{\n  "$schema": "x",\n  "permissions": {"allow": ["Bash(ls)"]}\n}\n';
    expect(setJsonValue(text, ['env', 'AWS_PROFILE'], 'dev')).toBe(
      '{\n  "$schema": "x",\n  "permissions": {"allow": ["Bash(ls)"]},\n  "env": {\n    "AWS_PROFILE": "dev"\n  }\n}\n',
    );
  });

  test('a one-line object gets a one-line insertion', () => {
    expect(setJsonValue('{"env": {"B": "2"}}', ['env', 'A'], '1')).toBe('{"env": {"B": "2", "A": "1"}}');
  });

  test('an empty object is opened one level deeper than its line; tabs and CRLF are kept', () => {
    const text = '{\r\n\t"env": {}\r\n}\r\n';
    expect(setJsonValue(text, ['env', 'A'], '1')).toBe('{\r\n\t"env": {\r\n\t\t"A": "1"\r\n\t}\r\n}\r\n');
  });

  test('an empty or blank file becomes a fresh object', () => {
    expect(setJsonValue('', ['env', 'A'], '1')).toBe('{\n  "env": {\n    "A": "1"\n  }\n}\n');
    expect(setJsonValue('{}', ['awsAuthRefresh'], 'bedrock-profile login')).toBe(
      '{\n  "awsAuthRefresh": "bedrock-profile login"\n}',
    );
  });

  test('removal takes the comma and whitespace that belonged to the property', () => {
    const text = '{\n  "env": {\n    "A": "1",\n    "B": "2",\n    "C": "3"\n  }\n}\n';
    expect(setJsonValue(text, ['env', 'A'], undefined)).toBe(
      '{\n  "env": {\n    "B": "2",\n    "C": "3"\n  }\n}\n',
    );
    expect(setJsonValue(text, ['env', 'B'], undefined)).toBe(
      '{\n  "env": {\n    "A": "1",\n    "C": "3"\n  }\n}\n',
    );
    expect(setJsonValue(text, ['env', 'C'], undefined)).toBe(
      '{\n  "env": {\n    "A": "1",\n    "B": "2"\n  }\n}\n',
    );
    expect(setJsonValue('{"env": {"A": "1"}}', ['env', 'A'], undefined)).toBe('{"env": {}}');
    expect(setJsonValue(text, ['env', 'Z'], undefined)).toBe(text);
  });

  test('a non-object on the path is refused, not overwritten', () => {
    expect(() => setJsonValue('{"env": "oops"}', ['env', 'A'], '1')).toThrow(/env is not a JSON object/);
    expect(() => setJsonValue('[1]', ['env', 'A'], '1')).toThrow(/not a JSON object/);
  });

  test('detectFormat reads the indentation unit and line ending', () => {
    expect(detectFormat('{\n    "a": {\n        "b": 1\n    }\n}')).toEqual({ unit: '    ', eol: '\n' });
    expect(detectFormat('{\r\n\t"a": 1\r\n}')).toEqual({ unit: '\t', eol: '\r\n' });
    expect(detectFormat('{"a": 1}')).toEqual({ unit: '  ', eol: '\n' });
  });
});

describe('unifiedDiff', () => {
  test('deletions before additions, three lines of context, diff -u headers', () => {
    const a = ['{', '  "a": 1,', '  "b": 2,', '  "c": 3,', '  "d": 4,', '  "e": 5', '}', ''].join('\n');
    const b = a.replace('"c": 3', '"c": 30');
    expect(unifiedDiff(a, b, 'f', 'f')).toBe(
      [
        '--- f',
        '+++ f',
        '@@ -1,7 +1,7 @@',
        ' {',
        '   "a": 1,',
        '   "b": 2,',
        '-  "c": 3,',
        '+  "c": 30,',
        '   "d": 4,',
        '   "e": 5',
        ' }',
        '',
      ].join('\n'),
    );
  });

  test('a new file diffs against /dev/null; equal texts give nothing', () => {
    expect(unifiedDiff('', '{\n}\n', '/dev/null', 'f')).toBe(
      '--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+{\n+}\n',
    );
    expect(unifiedDiff('x\n', 'x\n', 'a', 'b')).toBe('');
  });

  test('changes far apart make two hunks with correct line numbers', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const a = `${lines.join('\n')}\n`;
    const b = a.replace('l2\n', 'L2\n').replace('l18\n', 'L18\n');
    const d = unifiedDiff(a, b, 'a', 'b');
    expect(d).toContain('@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n');
    expect(d).toContain('@@ -15,6 +15,6 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n l20\n');
  });
});
