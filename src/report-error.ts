/**
 * The one place an error that reached the top becomes output and an exit code: a BedrockProfileError (or
 * an fs error no module wrapped) prints its message, which ends with the fix; anything else is an
 * internal error. Used by the CLI (src/cli.ts) and by the hooks' `resolve` fast path, which skips
 * commander (src/commands/resolve-fast.ts).
 */
import type { Context } from './context.js';
import { sanitizeForTerminal } from './core/sanitize.js';
import { BedrockProfileError, ExitCode, fsErrorToUserError } from './errors.js';
import { processSecrets } from './log/redact.js';

export function reportError(err: unknown, ctx: Context): number {
  // An fs error no module wrapped (disk full, EFBIG, EACCES) is still the user's to fix, not an internal error.
  const known = err instanceof BedrockProfileError ? err : fsErrorToUserError(err);
  if (known) {
    // Last net: no secret this process read or received leaves in an error message.
    ctx.stderr.write(`bedrock-profile: ${sanitizeForTerminal(processSecrets.redactKnown(known.message))}\n`);
    return known.exitCode;
  }
  const msg = err instanceof Error ? err.message : String(err);
  ctx.stderr.write(
    `bedrock-profile: internal error: ${sanitizeForTerminal(processSecrets.redactKnown(msg))}; run again with BEDROCK_PROFILE_DEBUG=1 and report it\n`,
  );
  if (ctx.env.BEDROCK_PROFILE_DEBUG && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  return ExitCode.failure;
}
