/**
 * `use --bedrock <profile>`: Claude Code signs its Bedrock calls with that profile (through
 * `awsCredentialExport = "bedrock-profile export --profile <profile>"`) while `env.AWS_PROFILE` stays the
 * profile the agent's Bash tool and MCP servers get. With a work profile it is one more edit to the same
 * repo file; alone it goes to the user settings, the default for every repo. See docs/two-identities.md.
 */
import type { Context } from '../context.js';
import { isValidProfileName, PROFILE_NAME_RULE } from '../core/profile-name.js';
import { sanitizeLine } from '../core/sanitize.js';
import { exportCommandFor } from '../core/two-identities.js';
import { UsageError } from '../errors.js';
import { type Paths, resolvePaths } from '../platform/paths.js';
import type { SettingsEdit } from '../settings-edit/edit-settings-file.js';
import type { UseOptions } from './use.js';

async function checkedProfile(ctx: Context, paths: Paths, profile: string): Promise<void> {
  if (!isValidProfileName(profile)) {
    throw new UsageError(
      `--bedrock ${JSON.stringify(sanitizeLine(profile))} is not a valid profile name (${PROFILE_NAME_RULE})`,
    );
  }
  const { profileExists } = await import('../aws/profiles.js');
  if (!(await profileExists(paths, profile))) {
    ctx.stderr.write(
      `warning: profile ${profile} is not in ${sanitizeLine(paths.awsConfigFile)} or ${sanitizeLine(paths.awsCredentialsFile)}; create it with \`aws configure sso --profile ${profile}\`\n`,
    );
  }
}

/** The edit `--bedrock` adds to the repo file `use` writes (none without --bedrock). */
export async function bedrockEdits(ctx: Context, bedrock: string | undefined): Promise<SettingsEdit[]> {
  if (bedrock === undefined) return [];
  await checkedProfile(ctx, resolvePaths(ctx.env), bedrock);
  return [{ path: ['awsCredentialExport'], value: exportCommandFor(bedrock) }];
}

/** What `use` says after writing, when Bedrock and the agent's commands get different profiles. */
export function twoIdentitiesLine(where: string, profile: string, bedrock: string): string {
  return `Claude Code started in ${where} now signs Bedrock with AWS profile ${bedrock}; the agent's AWS commands use ${profile}\n`;
}

/** `use --bedrock P` without a work profile: the user settings, so every repo signs Bedrock with P. */
export async function runUseBedrockOnly(ctx: Context, opts: UseOptions): Promise<number> {
  if (opts.bedrock === undefined)
    throw new UsageError(
      'name the profile: `bedrock-profile use <profile>`, or `bedrock-profile use --bedrock <profile>` for the profile every repo signs Bedrock with',
    );
  if (opts.local)
    throw new UsageError(
      '--bedrock without a work profile writes your user settings, and --local a repo file; name the work profile too (`bedrock-profile use <profile> --bedrock <profile> --local`), or drop --local',
    );
  const paths = resolvePaths(ctx.env);
  const edits = await bedrockEdits(ctx, opts.bedrock);
  const { editSettingsFile } = await import('../settings-edit/edit-settings-file.js');
  const { printEditResult } = await import('../settings-edit/print-edit.js');
  const result = await editSettingsFile(paths.claudeUserSettings, edits, {
    dryRun: opts.dryRun,
    dirMode: 0o700,
  });
  printEditResult(ctx, result, Boolean(opts.dryRun));
  if (opts.dryRun) return 0;
  ctx.stdout.write(
    `Claude Code now signs Bedrock with AWS profile ${opts.bedrock} in every repo without an awsCredentialExport of its own; each repo's AWS_PROFILE stays the one the agent's AWS commands use\n`,
  );
  return 0;
}
