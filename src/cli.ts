/**
 * Commander wiring and the one catch: a BedrockProfileError prints its message (which ends with the fix)
 * and sets the exit code; anything else is an internal error. No command logic lives here.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { type Context, processContext } from './context.js';
import { sanitizeForTerminal } from './core/sanitize.js';
import { BedrockProfileError, ExitCode, fsErrorToUserError } from './errors.js';
import { VERSION } from './version.js';

export async function main(argv: string[], ctx: Context = processContext()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('bedrock-profile')
    .description(
      'The right AWS account in every repo, and no SSO session that expires in the middle of work.',
    )
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(sanitizeForTerminal(s)),
    });
  registerCommands(program, ctx, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error (already printed).
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    // An fs error no module wrapped (disk full, EFBIG, EACCES) is still the user's to fix, not an internal error.
    const known = err instanceof BedrockProfileError ? err : fsErrorToUserError(err);
    if (known) {
      ctx.stderr.write(`bedrock-profile: ${sanitizeForTerminal(known.message)}\n`);
      return known.exitCode;
    }
    const msg = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(
      `bedrock-profile: internal error: ${sanitizeForTerminal(msg)}; run again with BEDROCK_PROFILE_DEBUG=1 and report it\n`,
    );
    if (ctx.env.BEDROCK_PROFILE_DEBUG && err instanceof Error && err.stack)
      ctx.stderr.write(`${err.stack}\n`);
    return ExitCode.failure;
  }
}
