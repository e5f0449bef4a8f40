/**
 * Stray `AWS_*` variables, judged per consumer. Pure: settings, shell env and profile are passed in.
 *
 * The rules (DESIGN.md facts, botocore checked against aws-cli 1.45 / botocore 1.43 on this machine):
 * - Claude Code (JS SDK v3) gets the shell env with the settings `env` on top. With AWS_PROFILE set it
 *   skips AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (with a warning); without it, env keys win over the
 *   `default` profile. AWS_BEARER_TOKEN_BEDROCK makes it skip the credential chain entirely. It ignores
 *   AWS_DEFAULT_PROFILE and AWS_SECURITY_TOKEN. Its region: AWS_REGION, else AWS_DEFAULT_REGION, else the
 *   profile's region, else us-east-1 (claudeRegion; Claude Code >= 2.1.172).
 * - Claude Code started in a subdirectory: the same, without the start directory's .claude/settings.json.
 * - The aws CLI (botocore) sees only the shell: env keys beat any profile; AWS_DEFAULT_PROFILE beats
 *   AWS_PROFILE; one key without the other is an error ("Partial credentials found in env"); the session
 *   token is AWS_SESSION_TOKEN, else AWS_SECURITY_TOKEN; region is AWS_DEFAULT_REGION (CLI v1) or
 *   AWS_REGION then AWS_DEFAULT_REGION (CLI v2).
 * - `aws sso login` uses the same profile selection and files, but no credentials.
 * Findings name variables only; the only values shown are profile names, regions and file paths.
 */
import type { Env } from '../context.js';
import { claudeProcessEnv, claudeRegion, effectiveProfile, profileRegionOf } from './effective-profile.js';
import { sanitizeLine } from './sanitize.js';
import { parseExportCommand } from './two-identities.js';
import type { Consumer, ProfileInfo, ResolvedSettings, Sourced, StrayFinding } from './types.js';

export interface StrayInput {
  /** With `awsCredentialExport`, Claude Code signs Bedrock with what that command prints, not the chain. */
  settings: Pick<ResolvedSettings, 'env' | 'subdirEnv' | 'awsCredentialExport'>;
  shellEnv: Env;
  /** The effective profile of Claude Code started here, if known (its kind goes into explanations). */
  profile?: ProfileInfo;
  /** Which aws CLI the user runs; they differ on AWS_REGION. Default 2 (v1 has no `aws sso login`). */
  awsCliVersion?: 1 | 2;
}

type SettingsEnv = Readonly<Record<string, Sourced<string>>>;

const WHO: Record<Consumer, string> = {
  'claude-here': 'Claude Code started here',
  'claude-subdir': 'Claude Code started in a subdirectory',
  'aws-cli': 'aws commands in this shell',
  'aws-sso-login': '`aws sso login`',
  'agent-commands': "the agent's AWS commands (Claude Code's Bash tool)",
};

const PROFILE_NAME = /^[A-Za-z0-9_.+=,@-]{1,128}$/;
const REGION_NAME = /^[a-z0-9-]{1,32}$/;

/** A value safe to print: control characters stripped, bounded. */
function shown(value: string): string {
  const line = sanitizeLine(value);
  return line.length > 128 ? `${line.slice(0, 125)}...` : line;
}

function listWho(consumers: Consumer[]): string {
  const names = consumers.map((c) => WHO[c]);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function withoutVar(env: Env, name: string): Env {
  const out: Record<string, string | undefined> = { ...env };
  delete out[name];
  return out;
}

function set(env: Env | Record<string, string>, name: string): string | undefined {
  const v = env[name];
  return v ? v : undefined;
}

/** Does a JS SDK process with this env take its credentials from the env keys? */
function sdkUsesEnvKeys(env: Record<string, string>): boolean {
  return (
    !set(env, 'AWS_BEARER_TOKEN_BEDROCK') &&
    !set(env, 'AWS_PROFILE') &&
    !!set(env, 'AWS_ACCESS_KEY_ID') &&
    !!set(env, 'AWS_SECRET_ACCESS_KEY')
  );
}

export function analyzeStray(input: StrayInput): StrayFinding[] {
  const shell = input.shellEnv;
  const here: SettingsEnv = input.settings.env;
  const subdir: SettingsEnv = input.settings.subdirEnv ?? input.settings.env;
  const cliVersion = input.awsCliVersion ?? 2;
  const claudeHere = claudeProcessEnv(here, shell);
  const claudeSubdir = claudeProcessEnv(subdir, shell);
  const profileHere = effectiveProfile(here, shell).value ?? 'default';
  const kind = input.profile && input.profile.name === profileHere ? ` (${input.profile.kind})` : '';
  const cliProfile = set(shell, 'AWS_DEFAULT_PROFILE') ?? set(shell, 'AWS_PROFILE') ?? 'default';
  const cliHasKeys = !!set(shell, 'AWS_ACCESS_KEY_ID') && !!set(shell, 'AWS_SECRET_ACCESS_KEY');
  // Two identities: awsCredentialExport signs Claude's Bedrock calls (the chain variables do not reach
  // them), and the agent's commands get Claude's env with the repo's AWS_PROFILE. A project-file export
  // is not read by Claude started in a subdirectory.
  const exported = input.settings.awsCredentialExport;
  const exportHere = exported !== undefined;
  const exportSubdir = exported !== undefined && exported.scope !== 'project';
  const bedrockProfile = (exported && parseExportCommand(exported.value)?.profile) ?? profileHere;
  const agentHasKeys = !!set(claudeHere, 'AWS_ACCESS_KEY_ID') && !!set(claudeHere, 'AWS_SECRET_ACCESS_KEY');
  const findings: StrayFinding[] = [];

  const add = (
    name: string,
    consumers: Consumer[],
    what: string,
    fix: string,
    severity: StrayFinding['severity'],
  ): void => {
    if (consumers.length === 0) return;
    findings.push({
      name,
      consumers,
      explanation: `${name}${what.startsWith('=') ? '' : ' '}${what} for ${listWho(consumers)}`,
      fix,
      severity,
    });
  };

  // --- Static keys and their session token --------------------------------------------------------
  const keyNames = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'];
  const presentKeyNames = keyNames.filter((n) => set(shell, n));
  const unsetKeys = `unset ${presentKeyNames.join(' ')}`;
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
    if (!set(shell, name)) continue;
    const consumers: Consumer[] = [];
    // A key in the settings env replaces the shell's for Claude: then the shell's is not what Claude uses.
    if (!exportHere && !(name in here) && sdkUsesEnvKeys(claudeHere)) consumers.push('claude-here');
    if (!exportSubdir && !(name in subdir) && sdkUsesEnvKeys(claudeSubdir)) consumers.push('claude-subdir');
    consumers.push('aws-cli');
    const cliText = cliHasKeys
      ? `replaces profile '${shown(cliProfile)}' with static keys`
      : `is set without its pair, so aws commands fail ("Partial credentials")`;
    const claudeText = consumers.includes('claude-here')
      ? ` and replaces profile '${shown(profileHere)}'${kind}`
      : '';
    add(name, consumers, `${cliText}${claudeText}`, unsetKeys, 'error');
    // Two identities: botocore in the agent's Bash tool gets the same keys, which beat the repo's profile.
    if (exportHere && !(name in here)) {
      add(
        name,
        ['agent-commands'],
        agentHasKeys
          ? `replaces profile '${shown(profileHere)}'${kind} with static keys`
          : `is set without its pair, so the agent's aws commands fail ("Partial credentials")`,
        unsetKeys,
        'error',
      );
    }
  }
  const tokenConsumers = (name: 'AWS_SESSION_TOKEN' | 'AWS_SECURITY_TOKEN'): Consumer[] => {
    const out: Consumer[] = [];
    if (name === 'AWS_SESSION_TOKEN') {
      if (!exportHere && !(name in here) && sdkUsesEnvKeys(claudeHere)) out.push('claude-here');
      if (!exportSubdir && !(name in subdir) && sdkUsesEnvKeys(claudeSubdir)) out.push('claude-subdir');
    }
    // botocore reads AWS_SESSION_TOKEN first, AWS_SECURITY_TOKEN only as the fallback.
    const botoUses = (env: Env | Record<string, string>) =>
      name === 'AWS_SESSION_TOKEN' || !set(env, 'AWS_SESSION_TOKEN');
    if (cliHasKeys && botoUses(shell)) out.push('aws-cli');
    if (exportHere && agentHasKeys && !(name in here) && botoUses(claudeHere)) out.push('agent-commands');
    return out;
  };
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'] as const) {
    if (!set(shell, name)) continue;
    add(
      name,
      tokenConsumers(name),
      'is the session token of static keys that replace the profile',
      unsetKeys,
      'error',
    );
  }

  // --- Profile selection ----------------------------------------------------------------------------
  const shellProfile = set(shell, 'AWS_PROFILE');
  const settingsProfile = here.AWS_PROFILE?.value;
  if (shellProfile && settingsProfile && shellProfile !== settingsProfile) {
    const consumers: Consumer[] = [];
    if (!('AWS_PROFILE' in subdir)) consumers.push('claude-subdir');
    if (!set(shell, 'AWS_DEFAULT_PROFILE')) consumers.push('aws-cli', 'aws-sso-login');
    const fix = PROFILE_NAME.test(settingsProfile)
      ? `export AWS_PROFILE=${settingsProfile}`
      : 'unset AWS_PROFILE';
    add(
      'AWS_PROFILE',
      consumers,
      `='${shown(shellProfile)}' in this shell selects another account than the repo's profile '${shown(settingsProfile)}'${kind}`,
      fix,
      'error',
    );
  }
  const defaultProfile = set(shell, 'AWS_DEFAULT_PROFILE');
  if (defaultProfile && defaultProfile !== profileHere) {
    add(
      'AWS_DEFAULT_PROFILE',
      exportHere && !('AWS_DEFAULT_PROFILE' in here)
        ? ['aws-cli', 'aws-sso-login', 'agent-commands']
        : ['aws-cli', 'aws-sso-login'],
      `='${shown(defaultProfile)}' beats AWS_PROFILE in botocore and selects another profile than '${shown(profileHere)}'${kind}`,
      'unset AWS_DEFAULT_PROFILE',
      'error',
    );
  }

  // --- Bedrock API key --------------------------------------------------------------------------------
  // Set in the settings env it is the chosen method; from the shell it silently replaces the profile.
  if (set(shell, 'AWS_BEARER_TOKEN_BEDROCK')) {
    const consumers: Consumer[] = [];
    if (!('AWS_BEARER_TOKEN_BEDROCK' in here)) consumers.push('claude-here');
    if (!('AWS_BEARER_TOKEN_BEDROCK' in subdir)) consumers.push('claude-subdir');
    add(
      'AWS_BEARER_TOKEN_BEDROCK',
      consumers,
      exportHere
        ? `makes Claude Code sign Bedrock with that key instead of awsCredentialExport (profile '${shown(bedrockProfile)}' is not used)`
        : `makes Claude Code skip the AWS credential chain (profile '${shown(profileHere)}'${kind} is not used)`,
      'unset AWS_BEARER_TOKEN_BEDROCK',
      'error',
    );
  }

  // --- Redirected shared files ------------------------------------------------------------------------
  for (const name of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
    const value = set(shell, name);
    if (!value) continue;
    const consumers: Consumer[] = [];
    if (here[name]?.value !== value) consumers.push('claude-here');
    if (subdir[name]?.value !== value) consumers.push('claude-subdir');
    // Settings set the same file for Claude: the shell agrees with the repo, nothing is stray.
    if (consumers.length === 0) continue;
    consumers.push('aws-cli', 'aws-sso-login');
    add(
      name,
      consumers,
      `redirects the AWS ${name === 'AWS_CONFIG_FILE' ? 'config' : 'credentials'} file to ${shown(value)}`,
      `unset ${name}`,
      'warn',
    );
  }

  // --- Region -----------------------------------------------------------------------------------------
  const settingsRegion = here.AWS_REGION?.value || undefined;
  const shellRegion = set(shell, 'AWS_REGION');
  if (shellRegion && settingsRegion && shellRegion !== settingsRegion) {
    const consumers: Consumer[] = [];
    if (!('AWS_REGION' in subdir)) consumers.push('claude-subdir');
    if (cliVersion === 2) consumers.push('aws-cli');
    const fix = REGION_NAME.test(settingsRegion) ? `export AWS_REGION=${settingsRegion}` : 'unset AWS_REGION';
    add(
      'AWS_REGION',
      consumers,
      `='${shown(shellRegion)}' differs from the settings' region '${shown(settingsRegion)}'`,
      fix,
      'warn',
    );
  }
  const profileRegion = profileRegionOf(input.profile);
  const targetRegion = claudeRegion(here, shell, profileRegion);
  const defaultRegion = set(shell, 'AWS_DEFAULT_REGION');
  if (defaultRegion) {
    const consumers: Consumer[] = [];
    // Claude Code reads it when neither AWS_REGION nor a settings AWS_DEFAULT_REGION is there: it then
    // beats the profile's region (or Claude Code's us-east-1 default).
    const without = claudeRegion(here, withoutVar(shell, 'AWS_DEFAULT_REGION'), profileRegion);
    const decidesClaude =
      targetRegion.source.scope === 'shell' && targetRegion.source.variable === 'AWS_DEFAULT_REGION';
    if (decidesClaude && without.value !== defaultRegion) {
      consumers.push('claude-here');
      const sub = claudeRegion(subdir, shell, profileRegion);
      if (sub.source.scope === 'shell' && sub.source.variable === 'AWS_DEFAULT_REGION')
        consumers.push('claude-subdir');
    }
    // CLI v2 reads AWS_REGION first; v1 reads only AWS_DEFAULT_REGION.
    const cliUsesIt = cliVersion === 1 || !shellRegion;
    if (cliUsesIt && targetRegion.value !== defaultRegion) consumers.push('aws-cli');
    if (consumers.length > 0) {
      const explanation = decidesClaude
        ? `='${shown(defaultRegion)}' sets Claude Code's region instead of ${without.source.scope === 'aws-config' ? `the profile's '${shown(without.value ?? '')}'` : `its default '${shown(without.value ?? '')}'`}`
        : `='${shown(defaultRegion)}' differs from Claude Code's region '${shown(targetRegion.value ?? '')}'`;
      add('AWS_DEFAULT_REGION', consumers, explanation, 'unset AWS_DEFAULT_REGION', 'warn');
    }
  }
  return findings;
}

/** One `unset`/`export` line per kind, every variable once, for the end of a report. */
export function combinedFix(findings: readonly StrayFinding[]): string[] {
  const unset = new Set<string>();
  const other: string[] = [];
  for (const f of findings) {
    if (f.fix.startsWith('unset ')) for (const n of f.fix.slice(6).split(' ')) unset.add(n);
    else if (!other.includes(f.fix)) other.push(f.fix);
  }
  return [...(unset.size ? [`unset ${[...unset].join(' ')}`] : []), ...other];
}
