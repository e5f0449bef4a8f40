/**
 * `bedrock-profile allow [dir]`: trust the repo's settings file with the profile it names, so the hooks
 * switch AWS_PROFILE to it in the repo's subtree. Re-asked only when the named profile changes.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Register } from './index.js';

export async function runTrustChange(
  ctx: Context,
  dirArg: string | undefined,
  verb: 'allow' | 'deny',
): Promise<number> {
  const { resolvePaths } = await import('../platform/paths.js');
  const { BedrockProfileError } = await import('../errors.js');
  const { findLaunchContext } = await import('../hook/launch-context.js');
  const { resolveHookRecord } = await import('../hook/resolve-record.js');
  const { writeRecord } = await import('../hook/record-store.js');
  const { loadTrust, saveTrust, withAllowed, withDenied } = await import('../hook/trust-store.js');
  const { sanitizeLine } = await import('../core/sanitize.js');
  const { trustKey } = await import('../hook/trust-key.js');
  const { resolve } = await import('node:path');
  const paths = resolvePaths(ctx.env);
  const start = dirArg === undefined ? ctx.cwd : resolve(ctx.cwd, dirArg);
  const found = await findLaunchContext(start, paths.home);
  if (!found) {
    throw new BedrockProfileError(
      `${start} is in no repo and has no .claude/settings.json; run 'bedrock-profile ${verb}' inside the repo`,
    );
  }
  const before = await resolveHookRecord({
    dir: found.dir,
    env: ctx.env,
    paths,
    now: ctx.now(),
    owned: true,
  });
  if (!before.record.profile || !before.profileFile) {
    const named = before.settings.env.AWS_PROFILE;
    const why = named?.value
      ? before.record.expect
        ? `its AWS_PROFILE comes from ${named.file ?? named.scope}, not from the repo`
        : `the AWS_PROFILE in ${named.file ?? named.scope} is not a valid profile name`
      : 'no .claude/settings.json or .claude/settings.local.json here names env.AWS_PROFILE';
    throw new BedrockProfileError(
      sanitizeLine(
        `nothing to ${verb} in ${found.dir}: ${why}; set env.AWS_PROFILE in the repo's .claude/settings.json first`,
      ),
    );
  }
  if (verb === 'allow') {
    // As `use` does: a profile no AWS file defines would switch the shell to a name that fails.
    // Without any AWS file there is nothing to compare with (doctor says what to set up first).
    const { profileExists } = await import('../aws/profiles.js');
    const { exists } = await import('../fs/exists.js');
    const anyFile = (await exists(paths.awsConfigFile)) || (await exists(paths.awsCredentialsFile));
    if (anyFile && !(await profileExists(paths, before.record.profile))) {
      ctx.stderr.write(
        `warning: profile ${before.record.profile} is not in ${sanitizeLine(paths.awsConfigFile)} or ${sanitizeLine(paths.awsCredentialsFile)}; create it with \`aws configure sso --profile ${before.record.profile}\`\n`,
      );
    }
  }
  const store = await loadTrust(paths);
  const now = ctx.now();
  const key = await trustKey(before.profileFile);
  const next =
    verb === 'allow'
      ? withAllowed(store, key, before.record.profile, now)
      : withDenied(store, key, before.record.profile, now);
  await saveTrust(paths, next);
  // Rewrite this context's record now, so the next prompt switches without spawning anything. No
  // margin: the trust list was written just before, by us; it must not look newer than the record.
  const startedAt = ctx.now();
  const after = await resolveHookRecord({ dir: found.dir, env: ctx.env, paths, now: startedAt, owned: true });
  await writeRecord(paths, after, startedAt, 0);
  const what =
    verb === 'allow'
      ? `allowed: AWS_PROFILE=${before.record.profile} in ${found.dir} and below (from ${before.profileFile})${after.mode === 'warn' ? '; mode is "warn" in the config, so the hooks only warn' : ''}`
      : `denied: the hooks will not switch to ${before.record.profile} for ${before.profileFile}, nor ask again until the profile changes`;
  ctx.stdout.write(`${sanitizeLine(what)}\n`);
  return 0;
}

export const registerAllow: Register = (program: Command, ctx: Context, setExit) => {
  program
    .command('allow')
    .description("trust this repo's AWS_PROFILE: the shell hooks switch to it in the repo")
    .argument('[dir]', 'a directory in the repo (default: the current directory)')
    .action(async (dir: string | undefined) => {
      setExit(await runTrustChange(ctx, dir, 'allow'));
    });
};
