/**
 * `login --renew`: start a new SSO session now, so its end moves to now + the session duration. Signing in
 * again alone does not do it (AWS reuses a live portal session, which keeps its end), so the session is
 * ended first with the portal's `Logout`, then `aws sso login` runs. Order and safety:
 * 1. the AWS CLI v2 is checked before anything is ended (a missing CLI must not cost the session);
 * 2. the cache file is backed up (next to it, mode 0600: it holds the same secrets, so it stays where they are);
 * 3. Logout with the cached access token (refreshed first when it has expired); a network failure stops
 *    here with nothing changed;
 * 4. `aws sso login` (browser or device code); on failure the cache file is put back byte for byte, never
 *    deleted, and the message says what still works;
 * 5. on success the new session's start is noted (its end is then known from sessionDuration).
 */
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkCredentials } from '../aws/credentials-check.js';
import { requireAwsCliV2, runSsoLogin } from '../aws/sso-login.js';
import { ssoLogout } from '../aws/sso-logout.js';
import { readSsoToken } from '../aws/token-cache.js';
import { sanitizeLine } from '../core/sanitize.js';
import { signInCommand } from '../core/sign-in-command.js';
import { type SignInMethod, ssoLoginArgs } from '../core/sign-in-method.js';
import { BedrockProfileError } from '../errors.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { tryAcquireLock } from '../fs/lock.js';
import { type LoginOptions, type LoginResult, signInLockFile } from './login-flow.js';
import { refreshSession, sessionOfProfile } from './refresh-session.js';
import { afterSignIn, beforeSignIn } from './sign-in-extras.js';

function say(o: LoginOptions, text: string): void {
  o.out.write(`bedrock-profile: ${sanitizeLine(text)}\n`);
}

export function renewBackupFile(cacheFile: string): string {
  return join(dirname(cacheFile), `.bedrock-profile-renew-${cacheFile.split('/').pop()}`);
}

/** `unattended`: the daemon's renewal; nobody sees the CLI's output, `onOutput` gets it (a device code). */
export async function renew(
  o: LoginOptions,
  unattended?: { onOutput: (method: SignInMethod) => ((text: string) => void) | undefined },
): Promise<LoginResult> {
  const p = o.profile;
  const { info, session } = await sessionOfProfile(o.paths, p);
  if (!session)
    throw new BedrockProfileError(
      `profile ${p} does not use AWS SSO (it is ${info.kind}), so there is no session to renew; pick an SSO profile with --profile`,
    );
  await requireAwsCliV2(o.env);
  const got = await tryAcquireLock(signInLockFile(o.paths, session.key), `renew ${p}`, o.now());
  if (!got.acquired)
    throw new BedrockProfileError(
      `a sign-in for this SSO session is already running (pid ${got.holder.pid}); wait for it to finish, then run "${signInCommand(p, { renew: true })}" again if you still want a new session`,
    );
  const backup = renewBackupFile(session.file);
  let saved: Buffer | undefined;
  try {
    saved = await fsp.readFile(session.file).catch(() => undefined);
    if (saved) await atomicWriteFile(backup, saved, { mode: 0o600 });

    let read = await readSsoToken(session.file);
    if (read.status === 'ok' && read.token.expiresAt <= o.now() + 60_000 && session.kind === 'sso') {
      // Logout needs a live access token: get one if the session still allows it.
      await refreshSession(session, { env: o.env, paths: o.paths, now: o.now });
      read = await readSsoToken(session.file);
    }
    if (read.status === 'ok' && read.token.expiresAt > o.now()) {
      const region = read.token.region ?? session.ssoRegion;
      if (!region)
        throw new BedrockProfileError(
          `profile ${p} has no sso_region, so its session cannot be ended; add sso_region to its [sso-session] in ${o.paths.awsConfigFile}`,
        );
      const out = await ssoLogout({ accessToken: read.token.accessToken, region, env: o.env });
      if (out.status === 'failed')
        throw new BedrockProfileError(
          `could not reach AWS SSO to end the current session (${sanitizeLine(out.detail)}); nothing was changed: the current session goes on; check the network and run "${signInCommand(p, { renew: true })}" again`,
        );
      say(
        o,
        out.status === 'logged-out'
          ? `ended the current SSO session of profile ${p} (SSO Logout), so the sign-in starts a new one`
          : `the SSO session of profile ${p} had already ended; signing in`,
      );
    } else {
      say(o, `the SSO session of profile ${p} has no live token (nothing to end); signing in`);
    }

    const how = await beforeSignIn({ ...o, session });
    say(
      o,
      `signing in to AWS SSO for profile ${p}: running "aws ${ssoLoginArgs(p, how.method).join(' ')}" (it prints the verification URL and code)`,
    );
    const onOutput = unattended?.onOutput(how.method);
    const code = await runSsoLogin({
      profile: p,
      env: o.env,
      attached: !unattended,
      method: how.method,
      ...(onOutput ? { onOutput } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (code !== 0) {
      const restored = await restore(session.file, saved);
      throw new BedrockProfileError(
        `the sign-in did not complete (aws sso login exited with ${code}); ${restored ? 'the token cache was put back as it was, but ' : ''}AWS had already ended the old session at our request, so profile ${p} needs a new sign-in (AWS role credentials already handed out keep working until they expire); run "${signInCommand(p)}"`,
      );
    }
    await afterSignIn({ ...o, session, how: 'renewed' });
  } finally {
    await fsp.rm(backup, { force: true }).catch(() => {});
    await got.lock.release();
  }
  const c = await checkCredentials({ profile: p, env: o.env });
  if (!c.ok)
    throw new BedrockProfileError(
      `signed in again, but the credentials of profile ${p} do not resolve (${sanitizeLine(c.error)}); check the profile with "bedrock-profile doctor"`,
    );
  say(o, `renewed: profile ${p} has a new SSO session and working credentials`);
  return { how: 'signed-in', ...(c.expiration ? { expiration: c.expiration } : {}) };
}

/** Put the cache file back as it was before the sign-in, when the failed sign-in changed it. */
async function restore(file: string, saved: Buffer | undefined): Promise<boolean> {
  if (!saved) return false;
  const now = await fsp.readFile(file).catch(() => undefined);
  if (now?.equals(saved)) return false;
  await atomicWriteFile(file, saved, { mode: 0o600 });
  return true;
}
