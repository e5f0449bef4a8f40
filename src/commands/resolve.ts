/**
 * `bedrock-profile resolve [dir]` (internal, for the shell hooks): resolve a launch context, write its
 * record, print the record on stdout and what the user should know on stderr (one line each).
 * Kept light: no AWS SDK import; start-up is what a first visit to a repo costs.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Register } from './index.js';

export interface ResolveOptions {
  owned?: boolean;
  quiet?: boolean;
  /** The repo's profile changed since the hook last applied it here. */
  changed?: boolean;
  /** Space-separated variables already said in this context (not said again). */
  said?: string;
}

export async function runResolve(
  ctx: Context,
  dirArg: string | undefined,
  opts: ResolveOptions,
): Promise<number> {
  // In parallel: this is what a first visit to a repo waits for, so the module files load together.
  const [
    { resolvePaths },
    { UsageError, BedrockProfileError, ExitCode },
    { findLaunchContext },
    { resolveHookRecord },
    { writeRecord },
    { serializeRecord },
    { rememberRepo },
    { findGitRoot },
    { isAbsolute, resolve },
    { unfaithfulPath },
  ] = await Promise.all([
    import('../platform/paths.js'),
    import('../errors.js'),
    import('../hook/launch-context.js'),
    import('../hook/resolve-record.js'),
    import('../hook/record-store.js'),
    import('../hook/record.js'),
    import('../state/known-repos.js'),
    import('../claude/git-root.js'),
    import('node:path'),
    import('../platform/logical-cwd.js'),
  ]);
  const paths = resolvePaths(ctx.env);
  let dir: string;
  if (dirArg !== undefined) {
    if (!isAbsolute(dirArg))
      throw new UsageError(
        `${JSON.stringify(dirArg)} is not an absolute path; pass the launch directory as /abs/path`,
      );
    dir = resolve(dirArg);
    const unfaithful = unfaithfulPath(dir);
    if (unfaithful) throw new BedrockProfileError(unfaithful, ExitCode.io);
  } else {
    const found = await findLaunchContext(ctx.cwd, paths.home);
    if (!found) return 0;
    dir = found.dir;
  }
  const startedAt = ctx.now();
  // First, so the state directory it may create is not a freshly appeared source of this very record.
  // The daemon watches the repos the hooks visit; a failure here must not cost the user the prompt.
  const gitRoot = await findGitRoot(dir);
  await rememberRepo(paths, gitRoot ? { dir, gitRoot } : { dir }, startedAt).catch(() => false);
  const resolved = await resolveHookRecord({
    dir,
    env: ctx.env,
    paths,
    now: startedAt,
    owned: opts.owned === true,
    changed: opts.changed === true,
    said: (opts.said ?? '').split(' ').filter(Boolean),
  });
  await writeRecord(paths, resolved, startedAt);
  ctx.stdout.write(serializeRecord(resolved.record));
  if (!opts.quiet) for (const line of resolved.messages) ctx.stderr.write(`${line}\n`);
  return 0;
}

export const registerResolve: Register = (program: Command, ctx: Context, setExit) => {
  program
    .command('resolve')
    .description('(for the shell hooks) write and print the hook record of a launch directory')
    .argument('[dir]', 'the launch directory, absolute (default: found from the current directory)')
    .option('--owned', 'the hook may set AWS_PROFILE: judge stray variables as they will be after switching')
    .option('--quiet', 'print the record only, no warnings')
    .option('--changed', "the repo's profile changed since the hook applied it: say what the hook did")
    .option('--said <names>', 'variables already said in this context, space-separated: not said again')
    .action(async (dir: string | undefined, opts: ResolveOptions) => {
      setExit(await runResolve(ctx, dir, opts));
    });
};
