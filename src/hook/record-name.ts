/**
 * The file name of a context's record, computable in every shell with builtins alone (no hashing):
 * the launch directory with `%` → `%25`, `/` → `%2F` and newline → `%0A`. Reversible, so two directories
 * never share a record. Names longer than a file name can be (255 bytes) get no record: the hook then
 * reads `bedrock-profile resolve`'s standard output instead.
 */
export const MAX_RECORD_NAME_BYTES = 255;

/**
 * The encoding used for paths inside records (`dir=`, `root=`): `%` and every control character (C0, DEL,
 * C1) percent-encoded as UTF-8 bytes, so a record line never carries a raw ESC to a terminal. The shells
 * decode it (printf %b, `string unescape --style=url`) and compare with the directory.
 */
export function encodeRecordValue(path: string): string {
  return path.replace(/[%\u0000-\u001f\u007f-\u009f]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** The inverse of encodeRecordValue. */
export function decodeRecordValue(v: string): string {
  return v.replace(/(?:%[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** The record's file name: `%`, newline and `/` only (the shells compute it with builtins). */
export function recordName(dir: string): string {
  return dir.replace(/%/g, '%25').replace(/\n/g, '%0A').replace(/\//g, '%2F');
}

export function recordNameFits(name: string): boolean {
  return Buffer.byteLength(name, 'utf8') <= MAX_RECORD_NAME_BYTES;
}
