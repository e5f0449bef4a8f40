/**
 * The bodies of `login` and `refresh`: find the profile (the one Claude Code would use here unless
 * --profile names one), then run the login flow or one silent refresh, and print the outcome in words.
 */

import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import type { Context } from '../context.js';
import { effectiveProfile } from '../core/effective-profile.js';
import { isValidProfileName, PROFILE_NAME_RULE } from '../core/profile-name.js';
import { minutesLeft } from '../core/refresh-plan.js';
import { sanitizeLine } from '../core/sanitize.js';
import { signInCommand } from '../core/sign-in-command.js';
import { parseExportCommand } from '../core/two-identities.js';
import { BedrockProfileError, ExitCode, UsageError } from '../errors.js';
import { resolvePaths } from '../platform/paths.js';
import { login } from './login-flow.js';
import { refreshFailedText } from './refresh-failed-text.js';
import { refreshSession, sessionOfProfile } from './refresh-session.js';
import { renew } from './renew-flow.js';
import { untilStopped } from './stop-signal.js';

async function profileHere(ctx: Context, given: string | undefined): Promise<string> {
  if (given !== undefined) {
    if (!isValidProfileName(given))
      throw new UsageError(
        `--profile ${JSON.stringify(sanitizeLine(given))}: a profile name has ${PROFILE_NAME_RULE}; fix the name`,
      );
    return given;
  }
  const paths = resolvePaths(ctx.env);
  const resolved = await resolveClaudeSettings({ cwd: ctx.cwd, env: ctx.env, paths });
  // Two identities: Claude Code signs Bedrock with the profile our awsCredentialExport exports, so that
  // is the session its awsAuthRefresh (`bedrock-profile login`) must keep working.
  const exported = resolved.awsCredentialExport?.value;
  const bedrock = exported === undefined ? undefined : parseExportCommand(exported)?.profile;
  if (bedrock) return bedrock;
  const p = effectiveProfile(resolved.env, ctx.env);
  if (!p.value) throw new UsageError('no AWS profile is in effect here; name one with --profile');
  // From a repo's settings (Claude Code runs `login` as awsAuthRefresh inside the repo): a name that
  // is not a profile name reaches no output, no log and no command line.
  if (!isValidProfileName(p.value)) {
    const from = p.source.file ? sanitizeLine(p.source.file) : `the ${p.source.scope} AWS_PROFILE`;
    throw new BedrockProfileError(
      `the AWS_PROFILE in effect here (from ${from}) is not a profile name (${PROFILE_NAME_RULE}); fix it there, or name a profile with --profile`,
      ExitCode.badInput,
    );
  }
  return p.value;
}

export async function runLoginCommand(
  ctx: Context,
  opts: { profile?: string; force?: boolean; renew?: boolean },
): Promise<number> {
  const profile = await profileHere(ctx, opts.profile);
  const paths = resolvePaths(ctx.env);
  return untilStopped(async (signal) => {
    const r = await (opts.renew ? renew : login)({
      profile,
      env: ctx.env,
      paths,
      now: () => ctx.now(),
      out: ctx.stderr,
      force: Boolean(opts.force),
      signal,
    });
    if (r.how === 'already-valid')
      ctx.stderr.write(`bedrock-profile: profile ${sanitizeLine(profile)} already has working credentials\n`);
    return 0;
  });
}

export async function runRefreshCommand(ctx: Context, opts: { profile?: string }): Promise<number> {
  const profile = await profileHere(ctx, opts.profile);
  const paths = resolvePaths(ctx.env);
  const { info, session } = await sessionOfProfile(paths, profile);
  const p = sanitizeLine(profile);
  if (!session)
    throw new BedrockProfileError(
      `profile ${p} does not use AWS SSO (it is ${info.kind}), so there is no session to refresh; pick an SSO profile with --profile`,
    );
  const r = await untilStopped((signal) =>
    refreshSession(session, { env: ctx.env, paths, now: () => ctx.now(), signal }),
  );
  const now = ctx.now();
  const signIn = `sign in with "${signInCommand(profile)}"`;
  switch (r.outcome) {
    case 'refreshed':
      ctx.stdout.write(
        `refreshed the SSO session ${sanitizeLine(session.key)} (profile ${p}): valid until ${new Date(r.expiresAt).toISOString()} (${minutesLeft(r.expiresAt - now)} minutes)\n`,
      );
      return 0;
    case 'kept-newer':
      ctx.stdout.write(
        `the SSO session ${sanitizeLine(session.key)} (profile ${p}) was refreshed by another process just now; using its token: valid until ${new Date(r.expiresAt).toISOString()} (${minutesLeft(r.expiresAt - now)} minutes)\n`,
      );
      return 0;
    case 'rejected':
      throw new BedrockProfileError(
        `AWS refused to refresh the SSO session of profile ${p} (${r.reason}); it ends ${r.expiresAt > now ? `in ${minutesLeft(r.expiresAt - now)} minutes` : 'now'}; ${signIn}`,
      );
    case 'not-refreshable':
      throw new BedrockProfileError(
        r.reason === 'legacy'
          ? `profile ${p} uses the legacy SSO configuration (sso_start_url in the profile, no sso_session), which has no refresh token; make it refreshable with "bedrock-profile migrate ${p}" (preview with --dry-run), then ${signIn}`
          : `the token cache of profile ${p} has no refresh token (signed in with an old AWS CLI?); ${signIn}`,
      );
    case 'failed':
      throw new BedrockProfileError(
        refreshFailedText(profile, r.kind, r.detail, r.expiresAt - now, 'refresh'),
      );
    case 'no-token':
      throw new BedrockProfileError(
        `no usable SSO token for profile ${p} (${r.status}: ${sanitizeLine(r.reason)}); ${signIn}`,
      );
    case 'skipped':
      throw new BedrockProfileError(
        `the SSO session of profile ${p} was not refreshed (${sanitizeLine(r.reason)})${/run the command again$/.test(r.reason) ? '' : '; run the command again'}`,
      );
  }
}
