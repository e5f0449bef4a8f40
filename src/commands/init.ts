/**
 * `bedrock-profile init`: write the user-level Claude Code settings the Bedrock guide describes
 * (CLAUDE_CODE_USE_BEDROCK, AWS_REGION unless the profile has a region, optionally AWS_PROFILE,
 * ANTHROPIC_MODEL and awsAuthRefresh),
 * merged into whatever ~/.claude/settings.json already holds.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Register } from './index.js';

export interface InitOptions {
  profile?: string;
  region?: string;
  model?: string;
  authRefresh?: boolean;
  dryRun?: boolean;
  claudeIntegration?: boolean;
  force?: boolean;
  remove?: boolean;
}

/** The command `awsAuthRefresh` runs: a silent refresh first, one browser sign-in at most. */
export const AUTH_REFRESH_COMMAND = 'bedrock-profile login';

export async function runInit(ctx: Context, opts: InitOptions): Promise<number> {
  const [{ resolvePaths }, { UsageError }, { isValidRegion, parseModelId, regionFit, suggestForRegion }] =
    await Promise.all([
      import('../platform/paths.js'),
      import('../errors.js'),
      import('../core/model-id.js'),
    ]);
  const { isValidProfileName, PROFILE_NAME_RULE } = await import('../core/profile-name.js');
  const { editSettingsFile } = await import('../settings-edit/edit-settings-file.js');
  const { readTextFile } = await import('../fs/read-text-file.js');
  const { parseJson } = await import('../fs/parse-json.js');
  const { printEditResult } = await import('../settings-edit/print-edit.js');
  const paths = resolvePaths(ctx.env);
  const file = paths.claudeUserSettings;

  let region = opts.region;
  /** Set when the region comes from the profile: then AWS_REGION is not written (Claude Code reads it). */
  let profileRegion: string | undefined;
  if (region === undefined) {
    // Keep the region the file already has; else the profile's own region, which Claude Code (>= 2.1.172)
    // reads itself: pinning it again in AWS_REGION would go stale when `use` switches profiles.
    const text = await readTextFile(file);
    const data = text?.trim()
      ? ((await parseJson(text, file)) as { env?: { AWS_REGION?: unknown; AWS_PROFILE?: unknown } } | null)
      : undefined;
    const current = data?.env?.AWS_REGION;
    region = typeof current === 'string' && current !== '' ? current : undefined;
    if (!region) {
      const { loadAwsProfiles, profileInfo } = await import('../aws/profiles.js');
      const named = data?.env?.AWS_PROFILE;
      const name =
        opts.profile ??
        (typeof named === 'string' && named !== '' ? named : undefined) ??
        ctx.env.AWS_PROFILE ??
        'default';
      try {
        profileRegion = profileInfo(await loadAwsProfiles(paths), name).region;
      } catch {
        profileRegion = undefined;
      }
      region = profileRegion;
    }
    if (!region) {
      throw new UsageError(
        'no region given, none in the user settings and none in the profile; pass --region, e.g. `bedrock-profile init --region us-east-1` (or set `region` in the profile: Claude Code reads it)',
      );
    }
  }
  if (!isValidRegion(region)) {
    throw new UsageError(
      `--region ${JSON.stringify(region)} is not an AWS region; pass one such as us-east-1 or eu-west-1`,
    );
  }
  if (opts.profile !== undefined && !isValidProfileName(opts.profile)) {
    throw new UsageError(
      `--profile ${JSON.stringify(opts.profile)} is not a valid profile name (${PROFILE_NAME_RULE})`,
    );
  }
  if (opts.model !== undefined) {
    const parsed = parseModelId(opts.model);
    if (parsed.kind === 'invalid') {
      throw new UsageError(
        `--model ${JSON.stringify(opts.model)}: ${parsed.reason}; list them with \`bedrock-profile models\``,
      );
    }
    const fit = regionFit(parsed, region);
    if (!fit.fits) {
      const s = suggestForRegion(opts.model, region);
      throw new UsageError(
        `--model ${opts.model}: ${fit.reason}${s ? `; use --model ${s}` : '; pick one with `bedrock-profile models`'}`,
      );
    }
  }

  if (opts.profile !== undefined) {
    const { profileExists } = await import('../aws/profiles.js');
    const { sanitizeLine } = await import('../core/sanitize.js');
    const { shellArg } = await import('../core/shell-quote.js');
    if (!(await profileExists(paths, opts.profile))) {
      ctx.stderr.write(
        `warning: profile ${opts.profile} is not in ${sanitizeLine(paths.awsConfigFile)} or ${sanitizeLine(paths.awsCredentialsFile)}; create it with \`aws configure sso --profile ${shellArg(opts.profile)}\`\n`,
      );
    }
  }

  const edits = [{ path: ['env', 'CLAUDE_CODE_USE_BEDROCK'], value: '1' }];
  if (profileRegion === undefined) edits.push({ path: ['env', 'AWS_REGION'], value: region });
  else ctx.stdout.write(`region: ${region} from the profile (Claude Code reads it; AWS_REGION is not set)\n`);
  if (opts.profile !== undefined) edits.push({ path: ['env', 'AWS_PROFILE'], value: opts.profile });
  if (opts.model !== undefined) edits.push({ path: ['env', 'ANTHROPIC_MODEL'], value: opts.model });
  if (opts.authRefresh) edits.push({ path: ['awsAuthRefresh'], value: AUTH_REFRESH_COMMAND });

  const result = await editSettingsFile(file, edits, { dryRun: opts.dryRun, dirMode: 0o700 });
  printEditResult(ctx, result, Boolean(opts.dryRun));
  if (!opts.dryRun) ctx.stdout.write('next: `bedrock-profile doctor` checks the whole setup\n');
  return 0;
}

export const registerInit: Register = (program: Command, ctx: Context, setExit) => {
  program
    .command('init')
    .description(
      'write the Bedrock settings into the user-level Claude Code settings (~/.claude/settings.json)',
    )
    .option('--profile <name>', 'default AWS profile for every repo (env.AWS_PROFILE)')
    .option(
      '--region <region>',
      "AWS region for Bedrock (env.AWS_REGION); without it, the settings' AWS_REGION or else the profile's region (not written: Claude Code reads it)",
    )
    .option('--model <id>', 'pin the model: an inference profile id or ARN (env.ANTHROPIC_MODEL)')
    .option(
      '--auth-refresh',
      `set "awsAuthRefresh": "${AUTH_REFRESH_COMMAND}" (silent refresh first, one browser sign-in at most)`,
    )
    .option('--dry-run', 'print the change as a unified diff and write nothing')
    .option(
      '--claude-integration',
      'add our statusLine and hooks (session-start, stop-failure, cwd-changed) to the user settings',
    )
    .option('--force', "with --claude-integration: replace the user's own statusLine (put back on removal)")
    .option('--remove', 'with --claude-integration: remove exactly what it added')
    .action(async (opts: InitOptions) => {
      if (!opts.claudeIntegration) return setExit(await runInit(ctx, opts));
      const m = await import('../claude-integration/claude-integration.js');
      const launcher = process.argv[1] ?? 'bedrock-profile';
      setExit(
        opts.remove
          ? await m.removeClaudeIntegration(ctx, opts)
          : await m.installClaudeIntegration(ctx, { ...opts, launcher }),
      );
      // The Bedrock settings too, when asked for in the same run.
      const { profile, region, model, authRefresh } = opts;
      if (!opts.remove && [profile, region, model, authRefresh].some((v) => v !== undefined))
        setExit(await runInit(ctx, opts));
    });
};
