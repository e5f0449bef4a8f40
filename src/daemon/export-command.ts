/**
 * The body of `export`: the credentials of one profile on stdout, for Claude Code's `awsCredentialExport`,
 * a `credential_process` or the user's shell. The one command whose output is a secret, on purpose: the
 * secret goes to stdout only (never stderr, a log or a file), and not to a terminal without --yes.
 * Before resolving, the SSO session behind the profile (at the end of a role chain) gets our silent
 * refresh when it is under 15 minutes from its end; a browser is never started (that is `login`'s job):
 * a session that is over is a one-line error naming `login`.
 */
import { loadAwsProfiles, profileInfo } from '../aws/profiles.js';
import { resolveCredentials } from '../aws/resolve-credentials.js';
import { readSsoToken } from '../aws/token-cache.js';
import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import type { Context } from '../context.js';
import { effectiveProfile } from '../core/effective-profile.js';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  formatCredentials,
  type ShellSyntax,
  shellSyntaxOf,
} from '../core/export-format.js';
import { isValidProfileName, PROFILE_NAME_RULE } from '../core/profile-name.js';
import { sanitizeLine } from '../core/sanitize.js';
import { sessionState } from '../core/session-state.js';
import { signInCommand } from '../core/sign-in-command.js';
import { parseExportCommand } from '../core/two-identities.js';
import { sessionProfile } from '../doctor/gather.js';
import { BedrockProfileError, UsageError } from '../errors.js';
import { resolvePaths } from '../platform/paths.js';
import { refreshSession, type SessionRefresh, sessionOfProfile } from './refresh-session.js';

export interface ExportOptions {
  profile?: string;
  format?: string;
  shell?: string;
  yes?: boolean;
}

/** The command the user runs instead of printing to the terminal, in their shell's syntax. */
function pipedForm(profile: string, shell: ShellSyntax): string {
  return shell === 'fish'
    ? `bedrock-profile export --profile ${profile} --format env | source`
    : `eval "$(bedrock-profile export --profile ${profile} --format env)"`;
}

/**
 * Without --profile: the profile Claude Code signs Bedrock with here (the one our own
 * `awsCredentialExport` names), else the one in effect (settings env, then the shell).
 */
async function profileHere(ctx: Context): Promise<string> {
  const paths = resolvePaths(ctx.env);
  const resolved = await resolveClaudeSettings({ cwd: ctx.cwd, env: ctx.env, paths });
  const ours = resolved.awsCredentialExport && parseExportCommand(resolved.awsCredentialExport.value);
  if (ours?.profile) return ours.profile;
  return effectiveProfile(resolved.env, ctx.env).value ?? 'default';
}

function sessionOver(profile: string, why: string): BedrockProfileError {
  return new BedrockProfileError(
    `the AWS SSO session of profile ${profile} is over (${sanitizeLine(why)}); sign in with "${signInCommand(profile)}" (export never opens a browser), then run it again`,
  );
}

function refreshWords(r: SessionRefresh): string {
  switch (r.outcome) {
    case 'rejected':
      return `AWS refused to refresh it: ${r.reason}`;
    case 'not-refreshable':
      return r.reason === 'legacy'
        ? 'a legacy SSO profile has no refresh token'
        : 'the cache has no refresh token';
    case 'failed':
      return `the refresh could not reach AWS SSO: ${r.detail}`;
    default:
      return '';
  }
}

/**
 * Refresh the SSO session behind `profile` when it ends within 15 minutes, and throw when it is over.
 * Not an SSO profile (static keys, credential_process...): nothing to do.
 */
async function freshSession(ctx: Context, profile: string): Promise<void> {
  const paths = resolvePaths(ctx.env);
  const model = await loadAwsProfiles(paths);
  const info = profileInfo(model, profile);
  if (info.kind === 'missing') {
    throw new BedrockProfileError(
      `there is no profile ${profile} in ${sanitizeLine(paths.awsConfigFile)} or ${sanitizeLine(paths.awsCredentialsFile)}; create it with "aws configure sso --profile ${profile}" or name another with --profile`,
    );
  }
  const sso = sessionProfile(model, info);
  if (sso.kind !== 'sso' && sso.kind !== 'legacy-sso') return;
  const { session } = await sessionOfProfile(paths, sso.name);
  if (!session) return;
  const before = sessionState(await readSsoToken(session.file), ctx.now());
  let why = '';
  let unreachable: string | undefined;
  if ((before.status === 'expiring' || before.status === 'expired') && before.refreshable) {
    const r = await refreshSession(session, { env: ctx.env, paths, now: () => ctx.now() });
    why = refreshWords(r);
    if (r.outcome === 'failed') unreachable = r.detail;
  } else if (!before.refreshable) {
    why = sso.kind === 'legacy-sso' ? 'a legacy SSO profile has no refresh token' : (before.reason ?? '');
  }
  const after = sessionState(await readSsoToken(session.file), ctx.now());
  if (after.status === 'missing') throw sessionOver(profile, 'no one has signed in to it on this machine');
  if (after.status === 'invalid') throw sessionOver(profile, after.reason ?? 'its token cache is unreadable');
  if (after.status === 'expired' && unreachable !== undefined) {
    // Not the end of the session: the network. A sign-in would not help.
    throw new BedrockProfileError(
      `could not reach AWS SSO to refresh the expired session of profile ${profile} (${sanitizeLine(unreachable)}); check the network (VPN, proxy) and run it again`,
    );
  }
  if (after.status === 'expired') {
    const at = new Date(after.expiresAt!).toISOString().slice(0, 16).replace('T', ' ');
    throw sessionOver(profile, `it ended at ${at} UTC${why ? `; ${why}` : ''}`);
  }
}

export async function runExportCommand(ctx: Context, opts: ExportOptions): Promise<number> {
  const format = (opts.format ?? 'process') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format))
    throw new UsageError(
      `--format ${JSON.stringify(sanitizeLine(String(opts.format)))}: use process, env or claude`,
    );
  let shell: ShellSyntax = shellSyntaxOf(ctx.env);
  if (opts.shell !== undefined) {
    if (!['sh', 'bash', 'zsh', 'fish'].includes(opts.shell))
      throw new UsageError(`--shell ${JSON.stringify(sanitizeLine(opts.shell))}: use sh, bash, zsh or fish`);
    shell = opts.shell === 'fish' ? 'fish' : 'posix';
  }
  if (opts.profile !== undefined && !isValidProfileName(opts.profile))
    throw new UsageError(
      `--profile ${JSON.stringify(sanitizeLine(opts.profile))}: a profile name has ${PROFILE_NAME_RULE}; fix the name`,
    );
  const profile = opts.profile ?? (await profileHere(ctx));
  if (ctx.stdout.isTTY && !opts.yes) {
    // Checked before any work: a pasted screen or a terminal's scrollback is a leak.
    throw new UsageError(
      `export prints the secret AWS credentials of profile ${profile}, and stdout is a terminal; pipe it into what needs them, e.g. ${pipedForm(profile, shell)}, or add --yes to print them here`,
    );
  }

  await freshSession(ctx, profile);
  const r = await resolveCredentials({ profile, env: ctx.env });
  if (!r.ok) {
    // The session may have ended between our check and the SDK's call; the SDK's words say so.
    if (
      /SSO session .*expired|token .*expired|ExpiredToken|UnauthorizedException/i.test(`${r.name} ${r.error}`)
    )
      throw sessionOver(profile, r.error);
    throw new BedrockProfileError(
      `the credentials of profile ${profile} do not resolve (${r.error}); check the profile with "bedrock-profile doctor"`,
    );
  }
  if (format === 'claude' && r.credentials.sessionToken === undefined) {
    throw new BedrockProfileError(
      `profile ${profile} has long-lived keys without a session token, which Claude Code's awsCredentialExport refuses; point --profile at an SSO or role profile, or use --format process for a credential_process`,
    );
  }
  ctx.stdout.write(formatCredentials(r.credentials, format, shell));
  return 0;
}
