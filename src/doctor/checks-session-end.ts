/**
 * Doctor checks about the session's real end: the end itself (warn within an hour, with the renewal as
 * the fix) and legacy SSO profiles in use (they cannot be refreshed: `migrate` upgrades them).
 */
import { sanitizeLine } from '../core/sanitize.js';
import { signInCommand } from '../core/sign-in-command.js';
import type { SessionEndJson } from '../status/session-end-json.js';
import { type CheckResult, pass, warn } from './check.js';
import type { DoctorFacts, SessionFacts } from './facts.js';

const HOUR = 3_600_000;

export function sessionEndCheck(
  id: string,
  title: string,
  s: SessionFacts,
  end: SessionEndJson,
  how: string,
  now: number,
): CheckResult {
  const detail = `${sanitizeLine(s.id)}: session ${sanitizeLine(end.words)}, ${how}`;
  const at = end.at ? Date.parse(end.at) : undefined;
  if (at !== undefined && at > now && at - now < HOUR && end.source !== 'token')
    return warn(id, title, detail, signInCommand(s.profile, { renew: true }));
  return pass(id, title, detail);
}

export function checkLegacyProfiles(f: DoctorFacts): CheckResult {
  const id = 'legacy-sso';
  const title = 'legacy SSO profiles';
  const list = f.legacyInUse ?? [];
  if (list.length === 0) return pass(id, title, 'none in use (every SSO profile in use has an sso_session)');
  const names = list.map((n) => sanitizeLine(n));
  return warn(
    id,
    title,
    `${names.join(', ')}: legacy SSO (no refresh token): a fixed session and a new sign-in every time it ends`,
    `bedrock-profile migrate ${names.join(' ')} (preview first with --dry-run)`,
  );
}
