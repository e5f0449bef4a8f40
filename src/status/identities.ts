/**
 * The second identity in a status report: when `awsCredentialExport` is our export naming another
 * profile than the agent's AWS_PROFILE, Claude Code signs Bedrock with that profile. Its kind, account and
 * SSO session (the session at the end of a role chain), from files only, like the rest of status.
 */
import { type AwsProfiles, profileInfo } from '../aws/profiles.js';
import { readSsoToken, ssoCacheId, tokenCacheFile } from '../aws/token-cache.js';
import { type SessionState, sessionState } from '../core/session-state.js';
import { bedrockExportProfile, profileAccount } from '../core/two-identities.js';
import type { ProfileInfo, ResolvedSettings } from '../core/types.js';
import type { Paths } from '../platform/paths.js';
import { sessionEndJson } from './session-end-json.js';
import type { IdentitiesJson, SessionJson } from './status-report.js';

const MAX_CHAIN = 8;

/** The session of a profile that has no SSO session (or no profile at all). */
export function notSsoSession(): SessionJson {
  return {
    status: 'not-sso',
    profile: null,
    expiresAt: null,
    msLeft: null,
    refreshable: false,
    registrationExpiresAt: null,
    cacheFile: null,
    reason: null,
  };
}
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function chainEnd(model: AwsProfiles, start: ProfileInfo): ProfileInfo {
  let p = start;
  for (let i = 0; i < MAX_CHAIN && p.kind === 'role-chain' && p.sourceProfile; i++) {
    p = profileInfo(model, p.sourceProfile);
  }
  return p;
}

async function sessionOf(
  model: AwsProfiles,
  ssoCacheDir: string,
  p: ProfileInfo,
  now: number,
  paths: Pick<Paths, 'stateDir' | 'configFile'>,
): Promise<SessionJson> {
  const sso = chainEnd(model, p);
  const id = ssoCacheId(sso);
  const cacheFile = id === undefined ? undefined : tokenCacheFile(ssoCacheDir, id);
  const state = sessionState(cacheFile === undefined ? undefined : await readSsoToken(cacheFile), now);
  // The session's real end, as for the agent's session (docs/session.md).
  const end =
    id !== undefined && cacheFile && (sso.kind === 'sso' || sso.kind === 'legacy-sso')
      ? await sessionEndJson({ paths, key: id, kind: sso.kind, file: cacheFile, now })
      : undefined;
  const json = sessionJsonOf(state, id === undefined ? null : sso.name, cacheFile);
  return end ? { end, ...json } : json;
}

/** A session's state as status shows it; `profile` is the one that holds the SSO session. */
export function sessionJsonOf(
  state: SessionState,
  profile: string | null,
  cacheFile: string | undefined,
): SessionJson {
  return {
    status: state.status,
    profile,
    expiresAt: iso(state.expiresAt),
    msLeft: state.msLeft ?? null,
    refreshable: state.refreshable,
    registrationExpiresAt: iso(state.registrationExpiresAt),
    cacheFile: cacheFile ?? null,
    reason: state.reason ?? null,
  };
}

export async function gatherIdentities(opts: {
  settings: Pick<ResolvedSettings, 'awsCredentialExport'>;
  model: AwsProfiles | undefined;
  agentProfile: string;
  ssoCacheDir: string;
  /** Where the session-life store and the config are (the shell's paths, as for the agent's session). */
  paths: Pick<Paths, 'stateDir' | 'configFile'>;
  now: number;
}): Promise<IdentitiesJson | undefined> {
  const bedrock = bedrockExportProfile(opts.settings.awsCredentialExport?.value, opts.agentProfile);
  if (bedrock === undefined) return undefined;
  const info = opts.model ? profileInfo(opts.model, bedrock) : undefined;
  const agent = opts.model ? profileInfo(opts.model, opts.agentProfile) : undefined;
  return {
    bedrock: {
      profile: bedrock,
      account: info ? (profileAccount(info) ?? null) : null,
      kind: info?.kind ?? null,
      session:
        opts.model && info
          ? await sessionOf(opts.model, opts.ssoCacheDir, info, opts.now, opts.paths)
          : notSsoSession(),
    },
    agent: { profile: opts.agentProfile, account: agent ? (profileAccount(agent) ?? null) : null },
  };
}
