/**
 * The file name of a context's record, computable in every shell with builtins alone (no hashing):
 * the launch directory with `%` → `%25`, `/` → `%2F` and newline → `%0A`. Reversible, so two directories
 * never share a record. Names longer than a file name can be (255 bytes) get no record: the hook then
 * reads `bedrock-profile resolve`'s standard output instead.
 */
export const MAX_RECORD_NAME_BYTES = 255;

/** The encoding used for paths inside records (`dir=`, `root=`): `%` and newline only. */
export function encodeRecordValue(path: string): string {
  return path.replace(/%/g, '%25').replace(/\n/g, '%0A');
}

export function recordName(dir: string): string {
  return encodeRecordValue(dir).replace(/\//g, '%2F');
}

export function recordNameFits(name: string): boolean {
  return Buffer.byteLength(name, 'utf8') <= MAX_RECORD_NAME_BYTES;
}
