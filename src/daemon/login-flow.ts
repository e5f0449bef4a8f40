/**
 * Signing in, made to be Claude Code's `awsAuthRefresh` command as well as a person's: first the silent
 * refresh (no browser when the refresh token still works), then, only if the session is really over, one
 * `aws sso login` per session at a time. Concurrent callers (several Claude sessions) wait for the running
 * sign-in and share its result instead of opening more browser tabs. Success means the profile's
 * credentials resolve afterwards, checked the way Claude Code's SDK resolves them.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { checkCredentials } from '../aws/credentials-check.js';
import { requireAwsCliV2, runSsoLogin } from '../aws/sso-login.js';
import { readSsoToken } from '../aws/token-cache.js';
import type { Env, Output } from '../context.js';
import { timeLeftWords } from '../core/duration-words.js';
import { minutesLeft } from '../core/refresh-plan.js';
import { sanitizeLine } from '../core/sanitize.js';
import { shellArg } from '../core/shell-quote.js';
import { signInCommand } from '../core/sign-in-command.js';
import { ssoLoginArgs } from '../core/sign-in-method.js';
import { BedrockProfileError } from '../errors.js';
import { type LockInfo, tryAcquireLock, waitForRelease } from '../fs/lock.js';
import type { Paths } from '../platform/paths.js';
import { refreshFailedText } from './refresh-failed-text.js';
import { lockDir, refreshSession, sessionOfProfile } from './refresh-session.js';
import type { DiscoveredSession } from './sessions.js';
import { afterSignIn, beforeSignIn, noteRefusal } from './sign-in-extras.js';

/** A device-code sign-in lasts at most about 10 minutes; waiters give up a little after that. */
export const SIGN_IN_WAIT_MS = 15 * 60_000;

export function signInLockFile(paths: Pick<Paths, 'stateDir'>, sessionKey: string): string {
  return join(
    lockDir(paths),
    `sign-in-${createHash('sha1').update(sessionKey).digest('hex').slice(0, 16)}.lock`,
  );
}

export interface LoginOptions {
  profile: string;
  env: Env;
  paths: Paths;
  now: () => number;
  /** Progress lines (stderr): what we do and why. */
  out: Output;
  /** Skip the silent path and run `aws sso login` even if the session still works. */
  force?: boolean;
  /** For tests: how long a waiter waits. */
  waitMs?: number;
  signal?: AbortSignal;
}

export type LoginResult =
  | { how: 'already-valid' | 'refreshed' | 'signed-in' | 'waited'; expiration?: number }
  | { how: 'failed'; error: string };

function say(out: Output, text: string): void {
  out.write(`bedrock-profile: ${sanitizeLine(text)}\n`);
}

function failed(profile: string, why: string): BedrockProfileError {
  return new BedrockProfileError(
    `the credentials of profile ${profile} still do not resolve (${sanitizeLine(why)}); run "${signInCommand(profile)}" again, or check the profile with "bedrock-profile doctor"`,
  );
}

/** Throws a BedrockProfileError when the credentials do not resolve in the end. */
export async function login(o: LoginOptions): Promise<LoginResult> {
  const { session } = await sessionOfProfile(o.paths, o.profile);
  if (!session) {
    // Not SSO: nothing to sign in to, but say whether it works.
    const c = await checkCredentials({ profile: o.profile, env: o.env });
    if (c.ok) return { how: 'already-valid', ...(c.expiration ? { expiration: c.expiration } : {}) };
    throw new BedrockProfileError(
      `profile ${o.profile} does not use AWS SSO, so there is nothing to sign in to, and its credentials do not resolve (${sanitizeLine(c.error)}); fix the profile in ${o.paths.awsConfigFile}`,
    );
  }

  if (!o.force) {
    const silent = await trySilent(o, session);
    if (silent) return silent;
  }

  const lockFile = signInLockFile(o.paths, session.key);
  const got = await tryAcquireLock(lockFile, `sign-in ${o.profile}`, o.now());
  if (!got.acquired) return waitForOther(o, lockFile, got.holder);
  try {
    // Someone may have signed in between our silent attempt and taking the lock.
    if (!o.force) {
      const c = await checkCredentials({ profile: o.profile, env: o.env });
      const t = await readSsoToken(session.file);
      if (c.ok && t.status === 'ok' && t.token.expiresAt > o.now() + 60_000)
        return { how: 'waited', ...(c.expiration ? { expiration: c.expiration } : {}) };
    }
    await requireAwsCliV2(o.env);
    const how = await beforeSignIn({ ...o, session });
    say(
      o.out,
      `signing in to AWS SSO for profile ${o.profile}: running "aws ${ssoLoginArgs(o.profile, how.method)
        .map((a) => shellArg(a))
        .join(' ')}" (it prints the verification URL and code)`,
    );
    const code = await runSsoLogin({
      profile: o.profile,
      env: o.env,
      attached: true,
      method: how.method,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (code !== 0) throw failed(o.profile, `aws sso login exited with ${code}`);
    // Without --force we sign in only when the session was over: this sign-in starts a new one.
    await afterSignIn({ ...o, session, how: o.force ? 'look' : 'renewed' });
  } finally {
    await got.lock.release();
  }
  const c = await checkCredentials({ profile: o.profile, env: o.env });
  if (!c.ok) throw failed(o.profile, c.error);
  say(o.out, `signed in: profile ${o.profile} has working credentials`);
  return { how: 'signed-in', ...(c.expiration ? { expiration: c.expiration } : {}) };
}

/**
 * The silent path: refresh if the session allows it, and succeed when the credentials then resolve.
 * Undefined means "sign in with a browser", and only when the session is really over: AWS refused the
 * refresh token (invalid_grant), the client registration expired, there is no refresh token, or the token
 * expired with no way to refresh it. A failure to reach AWS is reported as such and never opens a browser
 * (its page could not load either); so is a refresh that could not be written or had to wait too long.
 */
async function trySilent(o: LoginOptions, session: DiscoveredSession): Promise<LoginResult | undefined> {
  const r = await refreshSession(session, {
    env: o.env,
    paths: o.paths,
    now: o.now,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const now = o.now();
  if (r.outcome === 'rejected' && r.reason === 'invalid_grant') await noteRefusal(o.paths, session, now);
  if (r.outcome === 'refreshed' || r.outcome === 'kept-newer') {
    const c = await checkCredentials({ profile: o.profile, env: o.env });
    if (c.ok) {
      say(
        o.out,
        `refreshed the SSO session of profile ${o.profile} without a browser (valid for ${minutesLeft(r.expiresAt - now)} minutes)`,
      );
      return { how: 'refreshed', ...(c.expiration ? { expiration: c.expiration } : {}) };
    }
    say(
      o.out,
      `the SSO token was refreshed but the credentials do not resolve (${c.error}); signing in again`,
    );
    return undefined;
  }
  if (r.outcome === 'no-token') {
    say(o.out, `no usable SSO token for profile ${o.profile} (${r.reason}); signing in`);
    return undefined;
  }
  if (r.outcome === 'failed') {
    // The network or the service is the problem: a browser would not help. The token may still work.
    if (r.kind === 'service' && r.expiresAt > now + 60_000) {
      const c = await checkCredentials({ profile: o.profile, env: o.env });
      if (c.ok) {
        say(o.out, `could not refresh the SSO session now (${r.detail}); the current token still works`);
        return { how: 'already-valid', ...(c.expiration ? { expiration: c.expiration } : {}) };
      }
    }
    throw new BedrockProfileError(refreshFailedText(o.profile, r.kind, r.detail, r.expiresAt - now, 'login'));
  }
  if (r.outcome === 'skipped') {
    throw new BedrockProfileError(
      `could not refresh the SSO session of profile ${o.profile} (${sanitizeLine(r.reason)}); no browser sign-in was started; run "${signInCommand(o.profile)}" again`,
    );
  }
  const left = r.expiresAt - now;
  if (left > 60_000) {
    const c = await checkCredentials({ profile: o.profile, env: o.env });
    if (c.ok) {
      say(
        o.out,
        `profile ${o.profile} works for ${timeLeftWords(left)} more, then this SSO session ends (${r.outcome === 'rejected' ? `AWS refused the refresh: ${r.reason}` : 'it cannot be refreshed'}); run "${signInCommand(o.profile, { renew: true })}" to start a new one now`,
      );
      return { how: 'already-valid', ...(c.expiration ? { expiration: c.expiration } : {}) };
    }
  }
  const state = left > 0 ? `ends in ${timeLeftWords(left)} and cannot be refreshed` : 'has ended';
  if (r.outcome === 'rejected')
    say(
      o.out,
      `AWS refused to refresh the SSO session of profile ${o.profile} (${r.reason}); it ${state}; signing in`,
    );
  else
    say(
      o.out,
      `the SSO session of profile ${o.profile} ${state} (${r.reason === 'legacy' ? 'legacy SSO profile without a refresh token' : 'no refresh token'}); signing in`,
    );
  return undefined;
}

async function waitForOther(o: LoginOptions, lockFile: string, holder: LockInfo): Promise<LoginResult> {
  say(
    o.out,
    `a sign-in for this SSO session is already running (pid ${holder.pid}); waiting for it instead of opening another browser tab`,
  );
  const released = await waitForRelease(lockFile, {
    timeoutMs: o.waitMs ?? SIGN_IN_WAIT_MS,
    pollMs: 250,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (!released) throw failed(o.profile, `the other sign-in (pid ${holder.pid}) did not finish in time`);
  const c = await checkCredentials({ profile: o.profile, env: o.env });
  if (!c.ok) throw failed(o.profile, `the other sign-in finished but ${c.error}`);
  say(o.out, `the other sign-in succeeded: profile ${o.profile} has working credentials`);
  return { how: 'waited', ...(c.expiration ? { expiration: c.expiration } : {}) };
}
