/**
 * The one sign-in command every message suggests: `bedrock-profile login --profile P`, with the name
 * quoted for the user's shell (zsh expands a word that starts with `=`) and no control character.
 */
import { sanitizeLine } from './sanitize.js';
import { shellArg } from './shell-quote.js';

export function signInCommand(profile: string, opts: { renew?: boolean } = {}): string {
  return `bedrock-profile login --profile ${shellArg(sanitizeLine(profile))}${opts.renew ? ' --renew' : ''}`;
}
