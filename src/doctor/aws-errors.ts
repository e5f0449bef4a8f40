/**
 * Turn an AWS SDK error into what a person needs: a kind (access denied, expired credentials, not signed
 * in...) and a one-line message. Pure. The message is the service's own text, sanitised; AWS error
 * messages do not carry credentials, and we never add any.
 */
import { sanitizeLine } from '../core/sanitize.js';

export type AwsErrorKind =
  | 'access-denied'
  | 'expired'
  | 'sso-signed-out'
  | 'no-credentials'
  | 'invalid-credentials'
  | 'not-found'
  | 'validation'
  | 'network'
  | 'other';

export interface AwsErrorInfo {
  kind: AwsErrorKind;
  /** The SDK error name, e.g. AccessDeniedException. */
  name: string;
  message: string;
}

export function classifyAwsError(err: unknown): AwsErrorInfo {
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = String(e?.name ?? e?.code ?? 'Error');
  const raw = String(e?.message ?? err);
  const message = sanitizeLine(raw.length > 300 ? `${raw.slice(0, 297)}...` : raw);
  const lower = raw.toLowerCase();
  let kind: AwsErrorKind = 'other';
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) kind = 'access-denied';
  else if (/Expired/i.test(name) || /token.*expired|expired.*token/.test(lower)) kind = 'expired';
  else if (
    /sso/i.test(lower) &&
    /(session|token).*(expired|invalid|refresh)|not.*(signed|logged) in|login/.test(lower)
  ) {
    kind = 'sso-signed-out';
  } else if (
    name === 'CredentialsProviderError' ||
    name === 'TokenProviderError' ||
    /could not load credentials/.test(lower)
  ) {
    kind = 'no-credentials';
  } else if (
    /UnrecognizedClient|InvalidClientTokenId|SignatureDoesNotMatch|IncompleteSignature/i.test(name)
  ) {
    kind = 'invalid-credentials';
  } else if (/ResourceNotFound|NotFound/i.test(name)) kind = 'not-found';
  else if (/Validation/i.test(name)) kind = 'validation';
  else if (
    /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|Timeout|socket hang up/i.test(
      `${name} ${raw} ${e?.code ?? ''}`,
    )
  ) {
    kind = 'network';
  }
  return { kind, name, message };
}
