/**
 * Two identities (docs/two-identities.md): Claude Code signs Bedrock with what
 * `bedrock-profile export --profile P` prints while the agent's commands use AWS_PROFILE. Offline, the
 * export resolves when P exists, is a kind Claude Code accepts (temporary keys: it refuses long-lived
 * ones) and its SSO session is alive or refreshable. Pure.
 */
import { timeLeftWords } from '../core/duration-words.js';
import { signInCommand } from '../core/sign-in-command.js';
import { profileAccount, twoIdentitiesWords } from '../core/two-identities.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';
import { profileArg, shown, tilde } from './describe.js';
import type { DoctorFacts } from './facts.js';

export function checkBedrockExport(f: DoctorFacts): CheckResult {
  const id = 'bedrock-identity';
  const title = 'Bedrock identity';
  const b = f.bedrockExport;
  if (!b) return skip(id, title, 'one identity: no awsCredentialExport of ours names another profile');
  const name = profileArg(b.profile);
  const both = twoIdentitiesWords(
    { profile: shown(b.profile), account: b.info ? profileAccount(b.info) : undefined },
    { profile: shown(f.profile.value), account: f.profileInfo ? profileAccount(f.profileInfo) : undefined },
  );
  const home = f.shellEnv.HOME;
  const source = f.settings.awsCredentialExport?.file;
  const where = source ? ` (awsCredentialExport in ${tilde(source, home)})` : '';
  if (f.awsConfigError) return skip(id, title, `${both}: the AWS config cannot be read (see profile)`);
  if (!b.info || b.info.kind === 'missing') {
    return fail(
      id,
      title,
      `${both}${where}: profile ${name} is not in ${tilde(f.awsConfigFile, home)} or ${tilde(f.awsCredentialsFile, home)}, so Claude Code gets no Bedrock credentials`,
      `aws configure sso --profile ${name}   (or name another: bedrock-profile use ${profileArg(f.profile.value)} --bedrock <profile>)`,
    );
  }
  if (b.info.kind === 'static-keys') {
    return fail(
      id,
      title,
      `${both}: profile ${name} has long-lived keys, and Claude Code's awsCredentialExport accepts only temporary ones (with a session token)`,
      `bedrock-profile use ${profileArg(f.profile.value)} --bedrock <an SSO or role profile>`,
    );
  }
  const s = b.session;
  if (!s) return pass(id, title, `${both}; profile ${name} is ${b.info.kind}`);
  const login = signInCommand(name);
  if (s.status !== 'ok') {
    const why = s.status === 'missing' ? 'not signed in: no cached token' : shown(s.reason ?? s.status);
    return fail(id, title, `${both}: SSO session ${shown(s.id)}: ${why}; the export fails`, login);
  }
  const left = (s.expiresAt ?? 0) - f.now;
  const refreshable =
    s.refreshable === true && (s.registrationExpiresAt === undefined || s.registrationExpiresAt > f.now);
  if (left <= 0 && !refreshable)
    return fail(
      id,
      title,
      `${both}: SSO session ${shown(s.id)} ${timeLeftWords(left)}, not refreshable; the export fails`,
      login,
    );
  if (left <= 0)
    return warn(
      id,
      title,
      `${both}: SSO session ${shown(s.id)} ${timeLeftWords(left)}, refreshable: the export refreshes it first`,
      `bedrock-profile refresh --profile ${name}`,
    );
  return pass(
    id,
    title,
    `${both}; SSO session ${shown(s.id)}: ${timeLeftWords(left)} left, ${refreshable ? 'refreshable' : 'not refreshable'}`,
  );
}
