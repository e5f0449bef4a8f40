/**
 * Set or remove one value in JSON text while keeping every other byte: key order, indentation, compact
 * arrays written by hand, `$schema`, unknown keys. Replacements and removals are jsonc-parser's `modify`
 * without formatting (it edits only the value's bytes); insertions are written here with the indentation
 * the file already uses, because `modify`'s formatter re-indents whole lines around the edit.
 * Pure: text in, text out.
 */
import { applyEdits, findNodeAtLocation, modify, type Node, parseTree } from 'jsonc-parser';

/** Object keys, and array indexes (numbers) for the array operations and for replacing an element. */
export type JsonPath = readonly (string | number)[];

export interface TextFormat {
  /** One level of indentation: the file's own (two spaces, four, a tab). */
  unit: string;
  eol: '\n' | '\r\n';
}

export function detectFormat(text: string): TextFormat {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // The smallest indentation before a property name is one level.
  let unit: string | undefined;
  for (const m of text.matchAll(/^([ \t]+)"/gm)) {
    const ws = m[1]!;
    if (unit === undefined || ws.length < unit.length) unit = ws;
  }
  return { unit: unit ?? '  ', eol };
}

/** Thrown when a value on the path exists but is not an object (e.g. `"env": "x"`). */
export class NotAnObjectError extends Error {
  constructor(readonly path: JsonPath) {
    super(`${path.join('.')} is not a JSON object`);
  }
}

function lineIndentAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n') start--;
  const m = /^[ \t]*/.exec(text.slice(start, offset));
  return m ? m[0] : '';
}

/** True when only whitespace precedes `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r') return false;
  }
  return true;
}

function render(value: unknown, indent: string, fmt: TextFormat): string {
  return JSON.stringify(value, null, fmt.unit).replace(/\n/g, fmt.eol + indent);
}

function insertProperty(text: string, obj: Node, key: string, value: unknown, fmt: TextFormat): string {
  const props = obj.children ?? [];
  const last = props[props.length - 1];
  if (last) {
    const end = last.offset + last.length;
    if (startsLine(text, last.offset)) {
      const indent = lineIndentAt(text, last.offset);
      const ins = `,${fmt.eol}${indent}${JSON.stringify(key)}: ${render(value, indent, fmt)}`;
      return text.slice(0, end) + ins + text.slice(end);
    }
    // A one-line object written by hand: stay on one line.
    return `${text.slice(0, end)}, ${JSON.stringify(key)}: ${JSON.stringify(value)}${text.slice(end)}`;
  }
  // An empty object: open it up, one level deeper than the line its brace is on.
  const outer = lineIndentAt(text, obj.offset);
  const inner = outer + fmt.unit;
  const body = `${fmt.eol}${inner}${JSON.stringify(key)}: ${render(value, inner, fmt)}${fmt.eol}${outer}`;
  return text.slice(0, obj.offset + 1) + body + text.slice(obj.offset + obj.length - 1);
}

/** Remove the property holding `valueNode`, with its comma and the whitespace that went with it. */
function removeProperty(text: string, valueNode: Node): string {
  const prop = valueNode.parent!;
  const siblings = prop.parent!.children!;
  const i = siblings.indexOf(prop);
  const prev = siblings[i - 1];
  const next = siblings[i + 1];
  const obj = prop.parent!;
  if (prev) return text.slice(0, prev.offset + prev.length) + text.slice(prop.offset + prop.length);
  if (next) return text.slice(0, prop.offset) + text.slice(next.offset);
  return text.slice(0, obj.offset + 1) + text.slice(obj.offset + obj.length - 1);
}

/**
 * Set `path` to `value` (or remove it when `value` is undefined). `text` must be a JSON object (validate
 * first); an empty text counts as `{}`. Returns the new text, identical when nothing changes.
 */
export function setJsonValue(text: string, path: JsonPath, value: unknown): string {
  const source = text.trim() === '' ? '{}\n' : text;
  const fmt = detectFormat(source);
  const root = parseTree(source);
  if (root?.type !== 'object') throw new NotAnObjectError([]);
  const existing = findNodeAtLocation(root, [...path]);
  if (value === undefined) {
    if (!existing) return text;
    return removeProperty(source, existing);
  }
  if (existing) {
    if (JSON.stringify(value) === source.slice(existing.offset, existing.offset + existing.length))
      return text;
    return applyEdits(source, modify(source, [...path], value, {}));
  }
  // Walk down to the deepest object that exists, then insert the rest as one nested value.
  let node = root;
  let i = 0;
  for (; i < path.length - 1; i++) {
    const child = findNodeAtLocation(node, [path[i]!]);
    if (!child) break;
    if (child.type !== 'object') throw new NotAnObjectError(path.slice(0, i + 1));
    node = child;
  }
  let nested: unknown = value;
  for (let j = path.length - 1; j > i; j--) nested = { [String(path[j])]: nested };
  return insertProperty(source, node, String(path[i]), nested, fmt);
}

/**
 * Append `value` to the array at `path` (created, as `[value]`, when missing), on its own line after the
 * last element with that element's indentation (on the same line for a one-line array).
 */
export function appendJsonArrayItem(text: string, path: JsonPath, value: unknown): string {
  const source = text.trim() === '' ? '{}\n' : text;
  const root = parseTree(source);
  if (root?.type !== 'object') throw new NotAnObjectError([]);
  const arr = findNodeAtLocation(root, [...path]);
  if (!arr) return setJsonValue(text, path, [value]);
  if (arr.type !== 'array') throw new NotAnObjectError(path);
  const fmt = detectFormat(source);
  const items = arr.children ?? [];
  const last = items[items.length - 1];
  if (!last) {
    const outer = lineIndentAt(source, arr.offset);
    const inner = outer + fmt.unit;
    const body = `${fmt.eol}${inner}${render(value, inner, fmt)}${fmt.eol}${outer}`;
    return source.slice(0, arr.offset + 1) + body + source.slice(arr.offset + arr.length - 1);
  }
  const end = last.offset + last.length;
  if (startsLine(source, last.offset)) {
    const indent = lineIndentAt(source, last.offset);
    return `${source.slice(0, end)},${fmt.eol}${indent}${render(value, indent, fmt)}${source.slice(end)}`;
  }
  return `${source.slice(0, end)}, ${JSON.stringify(value)}${source.slice(end)}`;
}

/** Remove element `index` of the array at `path`, with its comma and the whitespace that went with it. */
export function removeJsonArrayItem(text: string, path: JsonPath, index: number): string {
  const root = parseTree(text);
  const arr = root && findNodeAtLocation(root, [...path]);
  const items = arr?.type === 'array' ? (arr.children ?? []) : [];
  const item = items[index];
  if (!arr || !item) return text;
  const prev = items[index - 1];
  const next = items[index + 1];
  if (prev) return text.slice(0, prev.offset + prev.length) + text.slice(item.offset + item.length);
  if (next) return text.slice(0, item.offset) + text.slice(next.offset);
  return text.slice(0, arr.offset + 1) + text.slice(arr.offset + arr.length - 1);
}
