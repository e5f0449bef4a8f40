/**
 * Two identities in one repo: Claude Code signs its Bedrock calls with the credentials its
 * `awsCredentialExport` command prints, while the agent's Bash tool and MCP servers inherit
 * `env.AWS_PROFILE`. Pure: which profile an `awsCredentialExport` value exports, and the command
 * `use --bedrock` writes.
 */
import { isValidProfileName } from './profile-name.js';

/** Split a command line into words the way sh would for plain words and '…' / "…" quotes. */
export function shellWords(cmd: string): string[] | undefined {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i]!;
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      if (end < 0) return undefined;
      cur += cmd.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < cmd.length && cmd[j] !== '"'; j++) {
        if (cmd[j] === '\\' && j + 1 < cmd.length && '"\\$`'.includes(cmd[j + 1]!)) j++;
        else if ('$`'.includes(cmd[j]!)) return undefined;
        cur += cmd[j];
      }
      if (j >= cmd.length) return undefined;
      i = j;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
      inWord = true;
    } else if (';&|<>()$`\n*?[]{}~#'.includes(c) && !(inWord && '~#'.includes(c))) {
      // Anything a shell would treat specially: not a plain command we can read.
      return undefined;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export interface ExportCommand {
  /** The profile named with --profile; undefined when the command relies on AWS_PROFILE. */
  profile?: string;
}

/**
 * Is this `awsCredentialExport` value our export (`bedrock-profile export [--profile P] ...`, the program
 * bare or as a path)? Then which profile. Anything else (another tool, shell syntax) is undefined.
 */
export function parseExportCommand(cmd: string): ExportCommand | undefined {
  const words = shellWords(cmd.trim());
  if (!words || words.length < 2) return undefined;
  const program = words[0]!.split('/').pop()!;
  if (program !== 'bedrock-profile' && program !== 'bedrock-profile.js') return undefined;
  if (words[1] !== 'export') return undefined;
  const out: ExportCommand = {};
  for (let i = 2; i < words.length; i++) {
    const w = words[i]!;
    let value: string | undefined;
    if (w === '--profile') value = words[++i];
    else if (w.startsWith('--profile=')) value = w.slice('--profile='.length);
    else continue;
    if (value === undefined || !isValidProfileName(value)) return undefined;
    out.profile = value;
  }
  return out;
}

/** A word for a POSIX shell command line: bare when it is made of safe characters, else single-quoted. */
export function shellWord(v: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** The `awsCredentialExport` value `use --bedrock P` writes. */
export function exportCommandFor(profile: string): string {
  return `bedrock-profile export --profile ${shellWord(profile)}`;
}

/**
 * The profile Claude Code signs Bedrock with here, when `awsCredentialExport` is our export command and
 * names a profile other than the one the agent's commands get: undefined when there is only one identity.
 */
export function bedrockExportProfile(
  awsCredentialExport: string | undefined,
  agentProfile: string,
): string | undefined {
  if (awsCredentialExport === undefined) return undefined;
  const parsed = parseExportCommand(awsCredentialExport);
  if (!parsed?.profile || parsed.profile === agentProfile) return undefined;
  return parsed.profile;
}

/** The AWS account a profile lands in, when its config says so (SSO account id, a role ARN's account). */
export function profileAccount(p: { ssoAccountId?: string; roleArn?: string }): string | undefined {
  if (p.ssoAccountId && /^\d{12}$/.test(p.ssoAccountId)) return p.ssoAccountId;
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(p.roleArn ?? '');
  return m?.[1];
}

/** "ai-platform (444455556666)", or the name alone when the account is not in the config. */
export function identityWords(profile: string, account: string | undefined | null): string {
  return account ? `${profile} (${account})` : profile;
}

/** The one line status and doctor print for two identities. */
export function twoIdentitiesWords(
  bedrock: { profile: string; account?: string | null },
  agent: { profile: string; account?: string | null },
): string {
  return `Bedrock: ${identityWords(bedrock.profile, bedrock.account)}, agent's AWS commands: ${identityWords(agent.profile, agent.account)}`;
}
