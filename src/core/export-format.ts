/**
 * How `bedrock-profile export` prints credentials. Pure: the credentials, the format and the shell are
 * passed in; the result is the exact text for stdout (the only place a secret is ever written).
 *
 * - `process`: `aws configure export-credentials --format process` (AWS CLI v2): `Version: 1`,
 *   `AccessKeyId`, `SecretAccessKey`, then `SessionToken` and `Expiration` when there are any, as
 *   `json.dumps(indent=2)`. That is a `credential_process` answer, and the flat shape Claude Code's
 *   `awsCredentialExport` accepts (2.1.181 and later).
 * - `claude`: the `{"Credentials": {...}}` object (the output of `aws sts assume-role` /
 *   `get-session-token`) that every Claude Code version with `awsCredentialExport` accepts. Claude Code
 *   rejects credentials without a session token ("did not return valid AWS STS output structure",
 *   checked in 2.1.335), so this format refuses long-lived keys up front, in words.
 * - `env`: lines for the user's shell (`export X='v'` for sh/bash/zsh, `set -gx X 'v'` for fish), the
 *   variables `aws configure export-credentials --format env` prints; a token or expiry the credentials
 *   do not have is unset, so an old one left in the shell cannot pair with the new keys.
 */
import { quoteWord } from './shell-quote.js';
import { userShell } from './shell-syntax.js';

export type ExportFormat = 'process' | 'env' | 'claude';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['process', 'env', 'claude'];

export type ShellSyntax = 'posix' | 'fish';

export interface ExportedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ms since epoch; undefined for credentials that do not expire. */
  expiration?: number;
}

/** The form `aws configure export-credentials` prints: `2026-12-03T11:00:00+00:00` (botocore's isoformat). */
export function formatExpiration(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, '+00:00');
}

/** Which syntax the user's shell reads: the hook's marker (the shell the user is in) beats `$SHELL`. */
export function shellSyntaxOf(env: Readonly<Record<string, string | undefined>>): ShellSyntax {
  return userShell(env);
}

function envLines(c: ExportedCredentials, shell: ShellSyntax): string {
  const vars: Array<[string, string | undefined]> = [
    ['AWS_ACCESS_KEY_ID', c.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', c.secretAccessKey],
    ['AWS_SESSION_TOKEN', c.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', c.expiration === undefined ? undefined : formatExpiration(c.expiration)],
  ];
  return vars
    .map(([name, value]) => {
      if (value === undefined) return shell === 'fish' ? `set -e ${name}` : `unset ${name}`;
      return shell === 'fish'
        ? `set -gx ${name} ${quoteWord(value, 'fish')}`
        : `export ${name}=${quoteWord(value)}`;
    })
    .map((l) => `${l}\n`)
    .join('');
}

/** `json.dumps(obj, indent=2)` for the flat objects we print (strings and one number). */
function pythonJson(obj: Record<string, unknown>): string {
  return `${JSON.stringify(obj, null, 2)}\n`;
}

export function formatCredentials(c: ExportedCredentials, format: ExportFormat, shell: ShellSyntax): string {
  if (format === 'env') return envLines(c, shell);
  const fields: Record<string, unknown> = {};
  if (format === 'process') fields.Version = 1;
  fields.AccessKeyId = c.accessKeyId;
  fields.SecretAccessKey = c.secretAccessKey;
  if (c.sessionToken !== undefined) fields.SessionToken = c.sessionToken;
  if (c.expiration !== undefined) fields.Expiration = formatExpiration(c.expiration);
  return pythonJson(format === 'claude' ? { Credentials: fields } : fields);
}
