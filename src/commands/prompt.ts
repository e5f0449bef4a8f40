/**
 * `bedrock-profile prompt`: print the prompt segment (`ui-dev 42m`) for prompts that cannot call the
 * builtins-only shell function `bedrock_profile_prompt`. Reads the record of the current context, and
 * resolves it (quietly) when there is none yet.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Register } from './index.js';

export async function runPrompt(ctx: Context): Promise<number> {
  const { resolvePaths } = await import('../platform/paths.js');
  const { findLaunchContext } = await import('../hook/launch-context.js');
  const { recordFile, writeRecord } = await import('../hook/record-store.js');
  const { parseRecord } = await import('../hook/record.js');
  const { resolveHookRecord } = await import('../hook/resolve-record.js');
  const { promptSegment } = await import('../hook/prompt-segment.js');
  const { readOwnedTextFile } = await import('../fs/owned-dir.js');
  const paths = resolvePaths(ctx.env);
  const found = await findLaunchContext(ctx.cwd, paths.home);
  let record: import('../hook/record.js').HookRecord | undefined;
  if (found) {
    const file = recordFile(paths, found.dir);
    record = file
      ? parseRecord((await readOwnedTextFile(file, paths.recordsDir).catch(() => undefined)) ?? '')
      : undefined;
    if (!record) {
      const startedAt = ctx.now();
      const resolved = await resolveHookRecord({
        dir: found.dir,
        env: ctx.env,
        paths,
        now: startedAt,
        owned: false,
      });
      await writeRecord(paths, resolved, startedAt);
      record = resolved.record;
    }
  }
  const segment = promptSegment(record, ctx.env.AWS_PROFILE, ctx.now());
  if (segment) ctx.stdout.write(`${segment}\n`);
  return 0;
}

export const registerPrompt: Register = (program: Command, ctx: Context, setExit) => {
  program
    .command('prompt')
    .description('print the prompt segment, e.g. "ui-dev 42m" (profile and minutes its SSO session has left)')
    .action(async () => {
      setExit(await runPrompt(ctx));
    });
};
