/**
 * The hook record: what the shell hooks need to know about one launch context, as `key=value` lines.
 * The shells read it with `read` line by line and compare values; they never eval or source it, and never
 * parse JSON. Format (version 1), one key per line, in this order:
 *
 *   bedrock-profile-record 1 <gen>   first line: format version and generation (ms); a new gen means re-read
 *   dir=<path>        the launch directory, `%` and control characters percent-encoded (UTF-8 bytes)
 *   root=<path>       the git root, encoded the same way; empty outside a repo
 *   src=<path>        a global source file that existed (user/managed settings, config, trust list); one line each
 *   absent=<path>     a global source file that did not exist; the record is stale once it appears
 *   project=0|1       whether <dir>/.claude/settings.json existed (the hook checks this file itself)
 *   local=0|1         whether <root or dir>/.claude/settings.local.json existed
 *   profile=<name>    the repo's profile to export in its subtree when switch=1; empty if none
 *   expect=<name>     the AWS_PROFILE that agrees with the settings (any scope); empty if settings name none
 *   switch=0|1        export `profile` here (trusted, mode switch, valid name)
 *   hint=0|1          the repo wants a profile but is not trusted (and not denied): say how to trust it
 *   notice=0|1        there is something to say whatever the environment (invalid file, refused name)
 *   unsetok=0|1       an unset AWS_PROFILE is consistent here (the stray rules say nothing about it)
 *   check=<names>     variables whose presence in the shell matters here, space-separated
 *   agree=<NAME>=<v>  a checked variable that is fine when it equals <v> (printable ASCII); one line each
 *   expires=<epoch s> when the profile's SSO access token expires (for the prompt segment); empty if unknown
 *
 * Paths in `src=`/`absent=` never contain a newline (the writer refuses to cache such a record).
 * Values never contain a newline or control character: profile names are validated, paths encoded.
 */
import { decodeRecordValue, encodeRecordValue } from './record-name.js';

export const RECORD_VERSION = 1;
export const RECORD_MAGIC = 'bedrock-profile-record';

export interface HookRecord {
  gen: number;
  dir: string;
  root?: string;
  sources: string[];
  absent: string[];
  project: boolean;
  local: boolean;
  profile?: string;
  expect?: string;
  switch: boolean;
  hint: boolean;
  notice: boolean;
  unsetOk: boolean;
  check: string[];
  agree: Record<string, string>;
  expiresAt?: number;
}

const flag = (b: boolean) => (b ? '1' : '0');

export function serializeRecord(r: HookRecord): string {
  const lines = [
    `${RECORD_MAGIC} ${RECORD_VERSION} ${r.gen}`,
    `dir=${encodeRecordValue(r.dir)}`,
    `root=${r.root === undefined ? '' : encodeRecordValue(r.root)}`,
    ...r.sources.map((s) => `src=${s}`),
    ...r.absent.map((s) => `absent=${s}`),
    `project=${flag(r.project)}`,
    `local=${flag(r.local)}`,
    `profile=${r.profile ?? ''}`,
    `expect=${r.expect ?? ''}`,
    `switch=${flag(r.switch)}`,
    `hint=${flag(r.hint)}`,
    `notice=${flag(r.notice)}`,
    `unsetok=${flag(r.unsetOk)}`,
    `check=${r.check.join(' ')}`,
    ...Object.entries(r.agree).map(([k, v]) => `agree=${k}=${v}`),
    `expires=${r.expiresAt === undefined ? '' : Math.floor(r.expiresAt / 1000)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The inverse of serializeRecord, for `prompt` and tests; undefined when the text is not a record. */
export function parseRecord(text: string): HookRecord | undefined {
  const lines = text.split('\n');
  const head = lines[0]?.split(' ');
  if (head?.[0] !== RECORD_MAGIC || head[1] !== String(RECORD_VERSION)) return undefined;
  const r: HookRecord = {
    gen: Number(head[2]),
    dir: '',
    sources: [],
    absent: [],
    project: false,
    local: false,
    switch: false,
    hint: false,
    notice: false,
    unsetOk: true,
    check: [],
    agree: {},
  };
  for (const line of lines.slice(1)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    switch (key) {
      case 'dir':
        r.dir = decodeRecordValue(value);
        break;
      case 'root':
        if (value) r.root = decodeRecordValue(value);
        break;
      case 'src':
        r.sources.push(value);
        break;
      case 'absent':
        r.absent.push(value);
        break;
      case 'project':
      case 'local':
      case 'switch':
      case 'hint':
      case 'notice':
        r[key] = value === '1';
        break;
      case 'profile':
      case 'expect':
        if (value) r[key] = value;
        break;
      case 'unsetok':
        r.unsetOk = value === '1';
        break;
      case 'check':
        r.check = value.split(' ').filter(Boolean);
        break;
      case 'agree': {
        const at = value.indexOf('=');
        if (at > 0) r.agree[value.slice(0, at)] = value.slice(at + 1);
        break;
      }
      case 'expires':
        if (/^\d+$/.test(value)) r.expiresAt = Number(value) * 1000;
        break;
    }
  }
  return r;
}
