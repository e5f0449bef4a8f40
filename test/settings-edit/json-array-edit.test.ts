/** The editor's array operations (used by `init --claude-integration`): append and remove-item keep bytes. */
import { describe, expect, it } from 'vitest';
import { appendJsonArrayItem, removeJsonArrayItem } from '../../src/settings-edit/json-edit.js';

describe('appendJsonArrayItem / removeJsonArrayItem', () => {
  it("appends on its own line with the last element's indentation, and removal restores the bytes", () => {
    const text = '{\n    "hooks": {\n        "A": [\n            {"x": 1}\n        ]\n    }\n}\n';
    const added = appendJsonArrayItem(text, ['hooks', 'A'], { y: [2] });
    expect(added).toBe(
      '{\n    "hooks": {\n        "A": [\n            {"x": 1},\n            {\n                "y": [\n                    2\n                ]\n            }\n        ]\n    }\n}\n',
    );
    expect(removeJsonArrayItem(added, ['hooks', 'A'], 1)).toBe(text);
  });

  it('a one-line array stays on one line; an empty array opens up; a missing one is created', () => {
    expect(appendJsonArrayItem('{"a": [1, 2]}', ['a'], 3)).toBe('{"a": [1, 2, 3]}');
    expect(appendJsonArrayItem('{\n  "a": []\n}', ['a'], 1)).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(JSON.parse(appendJsonArrayItem('{\n  "b": 1\n}\n', ['hooks', 'A'], { z: 1 }))).toEqual({
      b: 1,
      hooks: { A: [{ z: 1 }] },
    });
  });

  it('CRLF files keep CRLF; removing the first or only element leaves valid JSON', () => {
    const crlf = '{\r\n  "a": [\r\n    1\r\n  ]\r\n}\r\n';
    const added = appendJsonArrayItem(crlf, ['a'], 2);
    expect(added).toBe('{\r\n  "a": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n');
    expect(JSON.parse(removeJsonArrayItem(added, ['a'], 0))).toEqual({ a: [2] });
    expect(JSON.parse(removeJsonArrayItem('{"a": [1]}', ['a'], 0))).toEqual({ a: [] });
    expect(removeJsonArrayItem('{"a": [1]}', ['a'], 5)).toBe('{"a": [1]}');
  });
});
