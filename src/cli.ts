/**
 * Commander wiring and the one catch (src/report-error.ts: a BedrockProfileError prints its message, which
 * ends with the fix, and sets the exit code; anything else is an internal error). No command logic here.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { type Context, processContext } from './context.js';
import { sanitizeForTerminal } from './core/sanitize.js';
import { BedrockProfileError, ExitCode } from './errors.js';
import { unfaithfulPath } from './platform/logical-cwd.js';
import { reportError } from './report-error.js';
import { VERSION } from './version.js';

/** The commands whose answer depends on the working directory. */
const CWD_COMMANDS = new Set([
  'status',
  'doctor',
  'allow',
  'deny',
  'use',
  'init',
  'models',
  'prompt',
  'login',
  'refresh',
  'resolve',
]);

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
  // A usage error ends with where the usage is: the command's own --help.
  const pointToHelp = (cmd: Command, path: string): void => {
    cmd.showHelpAfterError(`(run '${path} --help' for its usage)`);
    for (const sub of cmd.commands) pointToHelp(sub, `${path} ${sub.name()}`);
  };
  pointToHelp(program, 'bedrock-profile');
  try {
    // Commands that act on the working directory never act on a different one (src/platform/logical-cwd.ts).
    const unfaithful = CWD_COMMANDS.has(argv[2] ?? '') ? unfaithfulPath(ctx.cwd, '.') : undefined;
    if (unfaithful) throw new BedrockProfileError(unfaithful, ExitCode.io);
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error (already printed).
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(err, ctx);
  }
}
