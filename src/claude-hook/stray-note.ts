/**
 * Stray variables that change the account Claude Code signs in with, seen from inside it. The hook's
 * environment is the shell's with the settings' `env` on top; a variable the settings did not set came
 * from the shell Claude Code was started in. The rules are `analyzeStray`'s (src/core/stray.ts), kept to
 * what affects Claude Code started here.
 */
import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import type { Env } from '../context.js';
import { effectiveProfile } from '../core/effective-profile.js';
import { shellSyntaxOf } from '../core/export-format.js';
import { analyzeStray } from '../core/stray.js';
import type { ResolvedSettings } from '../core/types.js';
import type { Paths } from '../platform/paths.js';
import { unsetFix } from './hook-deps.js';

/** The shell's environment as far as it can be told apart: Claude's minus what the settings set. */
export function shellPart(
  env: Env,
  settings: Pick<ResolvedSettings, 'env'>,
): Record<string, string | undefined> {
  const shell: Record<string, string | undefined> = { ...env };
  for (const [k, v] of Object.entries(settings.env)) if (env[k] === v.value) delete shell[k];
  return shell;
}

export async function strayNote(
  env: Env,
  paths: Paths,
  projectDir: string,
): Promise<{ user: string; claude: string } | undefined> {
  const settings = await resolveClaudeSettings({ cwd: projectDir, env, paths });
  const shellEnv = shellPart(env, settings);
  const findings = analyzeStray({ settings, shellEnv }).filter((f) => f.consumers.includes('claude-here'));
  if (findings.length === 0) return undefined;
  const names = [...new Set(findings.map((f) => f.name))];
  const unset = [
    ...new Set(findings.filter((f) => f.fix.startsWith('unset ')).flatMap((f) => f.fix.slice(6).split(' '))),
  ];
  const profile = effectiveProfile(settings.env, shellEnv).value ?? 'default';
  const verb = names.length > 1 ? 'override' : 'overrides';
  const fix = unset.length
    ? `${unsetFix(unset, shellSyntaxOf(env))} in the shell you start Claude Code from, then start it again`
    : 'check them with "bedrock-profile doctor"';
  return {
    user: `bedrock-profile: ${names.join(', ')} from your shell ${verb} profile '${profile}' for this Claude Code session, so it signs in with other credentials than the settings name; fix: ${fix}`,
    claude: `Claude Code's AWS credentials in this session come from the shell variable(s) ${names.join(', ')}, not from the profile '${profile}' the settings name; Bedrock requests may go to another AWS account. If a request fails or the account matters, tell the user to ${fix}.`,
  };
}
