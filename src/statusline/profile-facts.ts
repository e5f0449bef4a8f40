/**
 * What the status line needs to know about one AWS profile, from the AWS files Claude Code reads: its
 * kind (the JS SDK's choice), the account it signs in to (sso_account_id, or the account of a role_arn),
 * and the SSO token cache file behind it (the profile's own, or the one at the end of its role chain).
 * This is the slow part (the SDK's config parser); `facts-cache.ts` keeps the answer until the files change.
 */
import { loadAwsProfiles, profileInfo } from '../aws/profiles.js';
import { ssoCacheId, tokenCacheFile } from '../aws/token-cache.js';
import type { Env } from '../context.js';
import type { ProfileKind } from '../core/types.js';
import type { Paths } from '../platform/paths.js';

export interface ProfileFacts {
  profile: string;
  kind: ProfileKind;
  /** 12 digits: the account the profile's credentials belong to, when the files say. */
  account?: string;
  /** The SSO session's cache id (sso_session name or legacy start URL) and its cache file. */
  sessionKey?: string;
  tokenFile?: string;
  /** The SSO session's region (where CreateToken goes when the cache does not say). */
  ssoRegion?: string;
  legacy?: boolean;
  /** The profile's own `region` (Claude Code >= 2.1.172 signs for it without AWS_REGION / AWS_DEFAULT_REGION). */
  region?: string;
}

const ACCOUNT_OF_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\//;

export async function computeProfileFacts(paths: Paths, profile: string, env: Env): Promise<ProfileFacts> {
  const model = await loadAwsProfiles(paths, env);
  const first = profileInfo(model, profile);
  const facts: ProfileFacts = { profile, kind: first.kind };
  const account = first.ssoAccountId ?? ACCOUNT_OF_ARN.exec(first.roleArn ?? '')?.[1];
  if (account && /^\d{12}$/.test(account)) facts.account = account;
  if (first.kind !== 'missing' && first.region) facts.region = first.region;
  // A role chain signs in through its source profile: follow it (bounded) to the SSO session, if any.
  let info = first;
  const seen = new Set<string>([profile]);
  while (info.kind === 'role-chain' && info.sourceProfile && !seen.has(info.sourceProfile) && seen.size < 8) {
    seen.add(info.sourceProfile);
    info = profileInfo(model, info.sourceProfile);
  }
  const id = ssoCacheId(info);
  if (id !== undefined) {
    facts.sessionKey = id;
    facts.tokenFile = tokenCacheFile(paths.ssoCacheDir, id);
    if (info.ssoRegion) facts.ssoRegion = info.ssoRegion;
    if (info.kind === 'legacy-sso') facts.legacy = true;
  }
  return facts;
}
