/**
 * The words for a refresh that could not reach AWS or got no usable answer, shared by `refresh` and
 * `login`: the cause (already redacted and bounded by src/aws/refresh-token.ts), that the session has
 * not ended, how long the current token still works, and the fix. Never "signed out", never a browser.
 */
import type { FailureKind } from '../aws/refresh-token.js';
import { timeLeftWords } from '../core/duration-words.js';
import { sanitizeLine } from '../core/sanitize.js';

export function refreshFailedText(
  profile: string,
  kind: FailureKind,
  detail: string,
  msLeft: number,
  command: 'login' | 'refresh',
): string {
  const p = sanitizeLine(profile);
  const cause =
    kind === 'timeout'
      ? `AWS SSO did not answer in time: ${sanitizeLine(detail)}`
      : kind === 'network'
        ? `could not reach AWS SSO (a network failure: ${sanitizeLine(detail)})`
        : `AWS SSO could not refresh the session now (${sanitizeLine(detail)})`;
  const session =
    msLeft > 0
      ? `the SSO session of profile ${p} has not ended: its token works for ${timeLeftWords(msLeft)} more`
      : `the SSO session of profile ${p} has not ended, but its access token expired ${timeLeftWords(msLeft).replace(/^expired /, '')}; it can still be refreshed`;
  const fix =
    kind === 'service'
      ? `run "bedrock-profile ${command} --profile ${p}" again in a few minutes`
      : `check the network (Wi-Fi, VPN, proxy, DNS) and run "bedrock-profile ${command} --profile ${p}" again`;
  return `${cause}; ${session}${command === 'login' ? '; no browser sign-in was started' : ''}; ${fix}`;
}
