/**
 * `bedrock-profile models [--pin ID] [--sonnet ID] [--haiku ID]`: list the Anthropic system-defined
 * inference profiles of the region in effect (Bedrock ListInferenceProfiles, with the credentials Claude
 * Code would use here) and pin chosen ones in the user settings env (ANTHROPIC_MODEL,
 * ANTHROPIC_DEFAULT_SONNET_MODEL, ANTHROPIC_DEFAULT_HAIKU_MODEL). A pin must be in the list.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Register } from './index.js';

export interface ModelsOptions {
  pin?: string;
  sonnet?: string;
  haiku?: string;
  region?: string;
  json?: boolean;
  dryRun?: boolean;
}

const PINS = [
  { opt: 'pin', flag: '--pin', variable: 'ANTHROPIC_MODEL' },
  { opt: 'sonnet', flag: '--sonnet', variable: 'ANTHROPIC_DEFAULT_SONNET_MODEL' },
  { opt: 'haiku', flag: '--haiku', variable: 'ANTHROPIC_DEFAULT_HAIKU_MODEL' },
] as const;

export async function runModels(ctx: Context, opts: ModelsOptions): Promise<number> {
  const { resolvePaths } = await import('../platform/paths.js');
  const { BedrockProfileError, UsageError } = await import('../errors.js');
  const { resolveClaudeSettings } = await import('../claude/resolve-settings.js');
  const { claudeProcessEnv, effectiveRegion } = await import('../core/effective-profile.js');
  const { isValidRegion } = await import('../core/model-id.js');
  const { sanitizeLine } = await import('../core/sanitize.js');
  const { shellArg } = await import('../core/shell-quote.js');
  const { describePlan, planAccess } = await import('../doctor/aws-access.js');
  const { listAnthropicProfiles } = await import('../doctor/live.js');
  const { IAM_ACTIONS } = await import('../doctor/checks-live.js');

  const paths = resolvePaths(ctx.env);
  const settings = await resolveClaudeSettings({ cwd: ctx.cwd, env: ctx.env, paths });
  const region = opts.region ?? effectiveRegion(settings.env, ctx.env).value;
  if (!region) {
    throw new UsageError(
      'no AWS_REGION in effect; pass --region R, or set it with `bedrock-profile init --region R`',
    );
  }
  if (!isValidRegion(region))
    throw new UsageError(
      `${JSON.stringify(sanitizeLine(region))} is not an AWS region; pass --region such as us-east-1`,
    );
  const { repoRedirections } = await import('../doctor/aws-access.js');
  const redirects = repoRedirections(settings.env);
  if (redirects.length > 0) {
    throw new BedrockProfileError(
      `the repo's settings set ${redirects.map((r) => `${r.name} (${sanitizeLine(r.file)})`).join(', ')}; bedrock-profile does not follow a repo to other AWS files or endpoints: remove them there, or run models outside this repo`,
    );
  }
  const claudeEnv = claudeProcessEnv(settings.env, ctx.env);
  // Our own export names the profile Claude Code signs Bedrock with: list with it (a Bedrock API key wins).
  const { parseExportCommand } = await import('../core/two-identities.js');
  const exported = settings.awsCredentialExport && parseExportCommand(settings.awsCredentialExport.value);
  const plan =
    exported?.profile && !claudeEnv.AWS_BEARER_TOKEN_BEDROCK
      ? { kind: 'profile' as const, profile: exported.profile, region, env: claudeEnv }
      : planAccess(claudeEnv, region);
  if (settings.awsCredentialExport && !exported?.profile) {
    // A command from a settings file (maybe a repo's): never run it; say which credentials are used instead.
    ctx.stderr.write(
      `note: awsCredentialExport is not run by bedrock-profile; listing with ${describePlan(plan)}\n`,
    );
  }
  const listed = await listAnthropicProfiles(plan, resolvePaths(claudeEnv));
  if (!listed.ok) {
    const e = listed.error;
    const fix =
      e.kind === 'access-denied'
        ? `grant ${IAM_ACTIONS.join(', ')} to the role in effect`
        : plan.kind === 'profile'
          ? `aws sso login --profile ${shellArg(plan.profile)}   (then run this again)`
          : 'renew the credentials in effect (`bedrock-profile doctor` says which)';
    throw new BedrockProfileError(
      `ListInferenceProfiles in ${region} with ${describePlan(plan)} failed: ${e.name}: ${e.message}; ${fix}`,
    );
  }
  const list = listed.anthropic;

  const pins = PINS.flatMap((p) => {
    const id = opts[p.opt];
    return id === undefined ? [] : [{ ...p, id }];
  });
  for (const p of pins) {
    if (!list.some((m) => m.id === p.id || m.arn === p.id)) {
      const ids = list.map((m) => m.id);
      throw new UsageError(
        `${p.flag} ${sanitizeLine(p.id)} is not an Anthropic inference profile in ${region}; choose one of: ${ids.join(', ') || '(none listed)'}`,
      );
    }
  }

  if (pins.length === 0) {
    if (opts.json) {
      ctx.stdout.write(`${JSON.stringify({ region, auth: describePlan(plan), profiles: list }, null, 2)}\n`);
      return 0;
    }
    if (list.length === 0) {
      ctx.stdout.write(`no Anthropic inference profiles in ${region}\n`);
      return 0;
    }
    const width = Math.max(...list.map((m) => m.id.length));
    for (const m of list) {
      ctx.stdout.write(
        `${sanitizeLine(m.id).padEnd(width)}  ${sanitizeLine(m.name ?? '')}${m.status && m.status !== 'ACTIVE' ? ` (${sanitizeLine(m.status)})` : ''}\n`,
      );
    }
    ctx.stdout.write(
      `\npin one: bedrock-profile models --pin ${list[0]!.id}   (also --sonnet ID, --haiku ID)\n`,
    );
    return 0;
  }

  const { editSettingsFile } = await import('../settings-edit/edit-settings-file.js');
  const { printEditResult } = await import('../settings-edit/print-edit.js');
  const result = await editSettingsFile(
    paths.claudeUserSettings,
    pins.map((p) => ({ path: ['env', p.variable], value: p.id })),
    { dryRun: opts.dryRun, dirMode: 0o700 },
  );
  printEditResult(ctx, result, Boolean(opts.dryRun));
  const shadow = pins.filter((p) => settings.env[p.variable] && settings.env[p.variable]!.scope !== 'user');
  for (const p of shadow) {
    const s = settings.env[p.variable]!;
    ctx.stderr.write(
      `warning: ${p.variable} is also set in ${sanitizeLine(s.file ?? s.scope)}, which takes precedence here; remove it there\n`,
    );
  }
  return 0;
}

export const registerModels: Register = (program: Command, ctx: Context, setExit) => {
  program
    .command('models')
    .description('list the Anthropic inference profiles of the region in effect, and pin them')
    .option('--pin <id>', 'pin the main model (env.ANTHROPIC_MODEL in the user settings)')
    .option('--sonnet <id>', 'pin env.ANTHROPIC_DEFAULT_SONNET_MODEL')
    .option('--haiku <id>', 'pin env.ANTHROPIC_DEFAULT_HAIKU_MODEL')
    .option('--region <region>', 'list this region instead of the one in effect')
    .option('--json', 'print the list as JSON')
    .option('--dry-run', 'print the settings change as a unified diff and write nothing')
    .action(async (opts: ModelsOptions) => setExit(await runModels(ctx, opts)));
};
