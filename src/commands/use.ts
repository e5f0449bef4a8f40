/**
 * `bedrock-profile use <profile> [--local]`: pin the repo's AWS profile in its Claude Code settings.
 * Without --local: `.claude/settings.json` in the current directory (Claude Code reads that file only from
 * the directory it is started in). With --local: `.claude/settings.local.json` at the git root (personal,
 * usually git-ignored). Then it says where Claude Code will really read the profile from (a local or
 * managed file that names another one wins, and --local is the fix), and points at `allow`, which lets
 * the shell hook switch to the profile here. The backup goes to our state directory, not into the repo.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Register } from './index.js';

export interface UseOptions {
  local?: boolean;
  dryRun?: boolean;
  /** The profile Claude Code signs Bedrock with (awsCredentialExport); see src/commands/use-bedrock.ts. */
  bedrock?: string;
  followSymlinks?: boolean;
}

export async function runUse(ctx: Context, profile: string | undefined, opts: UseOptions): Promise<number> {
  const { bedrockEdits, runUseBedrockOnly, twoIdentitiesLine } = await import('./use-bedrock.js');
  if (profile === undefined) return runUseBedrockOnly(ctx, opts);
  const { join } = await import('node:path');
  const { resolvePaths } = await import('../platform/paths.js');
  const { UsageError } = await import('../errors.js');
  const { isValidProfileName, PROFILE_NAME_RULE } = await import('../core/profile-name.js');
  const { findGitRoot } = await import('../claude/git-root.js');
  const { editSettingsFile } = await import('../settings-edit/edit-settings-file.js');
  const { printEditResult } = await import('../settings-edit/print-edit.js');
  const { sanitizeLine } = await import('../core/sanitize.js');
  const { profileExists } = await import('../aws/profiles.js');
  const { shellArg } = await import('../core/shell-quote.js');

  if (!isValidProfileName(profile)) {
    throw new UsageError(
      `${JSON.stringify(sanitizeLine(profile))} is not a valid profile name (${PROFILE_NAME_RULE})`,
    );
  }
  const paths = resolvePaths(ctx.env);
  const gitRoot = await findGitRoot(ctx.cwd);
  let file: string;
  if (opts.local) {
    if (!gitRoot) {
      throw new UsageError(
        `${sanitizeLine(ctx.cwd)} is not in a git repository, and settings.local.json lives at the git root; run it inside a repo, or drop --local`,
      );
    }
    file = join(gitRoot, '.claude', 'settings.local.json');
  } else {
    file = join(ctx.cwd, '.claude', 'settings.json');
  }
  if (file === paths.claudeUserSettings) {
    throw new UsageError(
      `${sanitizeLine(file)} is your user-level settings file; for a default profile everywhere run \`bedrock-profile init --profile ${shellArg(profile)}\``,
    );
  }

  const exists = await profileExists(paths, profile);
  if (!exists) {
    ctx.stderr.write(
      `warning: profile ${profile} is not in ${sanitizeLine(paths.awsConfigFile)} or ${sanitizeLine(paths.awsCredentialsFile)}; create it with \`aws configure sso --profile ${shellArg(profile)}\`\n`,
    );
  }

  const edits = [
    { path: ['env', 'AWS_PROFILE'], value: profile },
    ...(await bedrockEdits(ctx, opts.bedrock)),
  ];
  const result = await editSettingsFile(file, edits, {
    dryRun: opts.dryRun,
    dirMode: 0o755,
    // Never outside the repo through a planted link, unless the user asks for it.
    containedIn: gitRoot ?? ctx.cwd,
    followOutside: Boolean(opts.followSymlinks),
    backupDir: join(paths.stateDir, 'backups'),
  });
  printEditResult(ctx, result, Boolean(opts.dryRun));
  const launch = opts.local ? gitRoot! : ctx.cwd;
  const where = sanitizeLine(launch);
  // What Claude Code started there reads, with this file as written (or, for --dry-run, as it would be).
  const { resolveClaudeSettings } = await import('../claude/resolve-settings.js');
  const resolved = await resolveClaudeSettings({ cwd: launch, env: ctx.env, paths });
  const winner = resolved.env.AWS_PROFILE;
  if (winner?.value !== undefined && winner.file !== file && winner.value !== profile) {
    const { relative } = await import('node:path');
    const shown = (f: string) => {
      const rel = relative(ctx.cwd, f);
      return sanitizeLine(rel && !rel.startsWith('..') && !rel.startsWith('/') ? rel : f);
    };
    const from = winner.file ? shown(winner.file) : winner.scope;
    const name = sanitizeLine(winner.value);
    const who = launch === ctx.cwd ? 'here' : `in ${where}`;
    ctx.stderr.write(`warning: ${from} names AWS profile ${name} and wins over ${shown(file)}\n`);
    ctx.stderr.write(
      winner.scope === 'local'
        ? `  Claude Code started ${who} still uses ${name}; fix: bedrock-profile use ${profile} --local${opts.dryRun ? ' --dry-run' : ''}\n`
        : `  Claude Code started ${who} still uses ${name}: managed settings win over every file; ask their admin\n`,
    );
    return 0;
  }
  if (opts.dryRun) return 0;
  ctx.stdout.write(
    opts.bedrock
      ? twoIdentitiesLine(where, profile, opts.bedrock)
      : `Claude Code started in ${where} now uses AWS profile ${profile}\n`,
  );
  if (!opts.local && gitRoot && gitRoot !== ctx.cwd) {
    ctx.stdout.write(
      'note: Claude Code reads .claude/settings.json only from the directory it is started in; use --local for the whole repo\n',
    );
  }
  ctx.stdout.write('next: run `bedrock-profile allow` to let your shell switch to this profile here\n');
  return 0;
}

export const registerUse: Register = (program: Command, ctx: Context, setExit) => {
  program
    .command('use')
    .description("pin the repo's AWS profile in .claude/settings.json (or settings.local.json with --local)")
    .argument('[profile]', "the AWS profile for the agent's commands (from ~/.aws/config)")
    .option('--bedrock <profile>', 'sign Bedrock with this profile instead (awsCredentialExport)')
    .option('--local', 'write .claude/settings.local.json at the git root (personal, usually git-ignored)')
    .option('--dry-run', 'print the change as a unified diff and write nothing')
    .option('--follow-symlinks', 'edit the settings file where its symlink points, even outside the repo')
    .action(async (profile: string | undefined, opts: UseOptions) =>
      setExit(await runUse(ctx, profile, opts)),
    );
};
