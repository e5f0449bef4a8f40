/**
 * Which credentials Claude Code signs in with, seen from inside it: a hook runs in Claude Code's own
 * environment (its settings' `env` applied; checked with the 2.1.335 binary), so `AWS_PROFILE`,
 * `AWS_REGION` and the AWS file variables in it are the ones its SDK uses. From there: the profile's
 * facts (`src/statusline/profile-facts.ts`) and its SSO token.
 */
import { readSsoToken } from '../aws/token-cache.js';
import type { Env } from '../context.js';
import { type SessionState, sessionState } from '../core/session-state.js';
import type { TokenRead } from '../core/types.js';
import type { Paths } from '../platform/paths.js';
import { profileFacts } from '../statusline/facts-cache.js';
import type { ProfileFacts } from '../statusline/profile-facts.js';

export type ClaudeCredentials =
  | { source: 'api-key' }
  | { source: 'env-keys' }
  | { source: 'profile'; profile: string; facts: ProfileFacts; read?: TokenRead; state?: SessionState };

export async function claudeCredentials(env: Env, paths: Paths, now: number): Promise<ClaudeCredentials> {
  if (env.AWS_BEARER_TOKEN_BEDROCK) return { source: 'api-key' };
  // The JS SDK's chain: keys in the environment win unless AWS_PROFILE is set.
  if (env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) return { source: 'env-keys' };
  const profile = env.AWS_PROFILE || 'default';
  const facts = await profileFacts(paths, profile, env, now);
  if (!facts.tokenFile) return { source: 'profile', profile, facts };
  const read = await readSsoToken(facts.tokenFile);
  return { source: 'profile', profile, facts, read, state: sessionState(read, now) };
}

/** The session as refreshSession takes it. */
export function sessionOf(facts: ProfileFacts) {
  return {
    file: facts.tokenFile ?? '',
    kind: facts.legacy ? ('legacy-sso' as const) : ('sso' as const),
    ...(facts.ssoRegion ? { ssoRegion: facts.ssoRegion } : {}),
  };
}
