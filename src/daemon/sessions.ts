/**
 * Which SSO sessions the daemon keeps alive, and which files it must watch to notice when that changes.
 * "In use" (the default): the profiles Claude Code would use started in HOME (user and managed settings)
 * and in every repo the hooks have visited, with the profile our awsCredentialExport exports for Bedrock. `sessions: "all"` widens it to every SSO profile in the AWS
 * config; a list names sso-sessions or profiles. Several profiles on one sso-session are one session.
 */

import { type AwsProfiles, allProfiles, loadAwsProfiles, profileInfo } from '../aws/profiles.js';
import { ssoCacheId, tokenCacheFile } from '../aws/token-cache.js';
import { resolveClaudeSettings } from '../claude/resolve-settings.js';
import type { Config } from '../config/config.js';
import type { Env } from '../context.js';
import { effectiveProfile } from '../core/effective-profile.js';
import { isValidProfileName, PROFILE_NAME_RULE } from '../core/profile-name.js';
import { parseExportCommand } from '../core/two-identities.js';
import type { ProfileInfo } from '../core/types.js';
import type { Paths } from '../platform/paths.js';
import { type KnownRepo, readKnownRepos } from '../state/known-repos.js';

export interface DiscoveredSession {
  /** The cache id: sso-session name, or the start URL of a legacy profile. */
  key: string;
  kind: 'sso' | 'legacy-sso';
  /** Profiles using it, in-use ones first. */
  profiles: string[];
  ssoRegion?: string;
  file: string;
}

export interface Discovery {
  sessions: DiscoveredSession[];
  /** Every Claude settings file consulted (existing or not): changes to them can change the answer. */
  settingsFiles: string[];
  /** Settings file → the launch directories whose resolution read it (for the hooks' records). */
  settingsOwners: Map<string, string[]>;
  repos: KnownRepo[];
  /** Profiles in use that are missing or not SSO: logged once, not an error. */
  notSso: string[];
  problems: string[];
}

export async function discoverSessions(opts: { env: Env; paths: Paths; config: Config }): Promise<Discovery> {
  const { paths, config } = opts;
  const model = await loadAwsProfiles(paths);
  const repos = await readKnownRepos(paths);
  const settingsOwners = new Map<string, string[]>();
  const inUse: string[] = [];
  const problems = [...model.problems];
  // The daemon's own environment is not a shell's: resolve as a fresh terminal would, without AWS_PROFILE.
  const shellEnv: Env = {};
  const dirs = [paths.home, ...repos.map((r) => r.dir).filter((d) => d !== paths.home)];
  // Bounded concurrency: hundreds of repos must not open hundreds of files at once.
  const queue = [...dirs];
  const worker = async () => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      try {
        const resolved = await resolveClaudeSettings({ cwd: dir, env: shellEnv, paths });
        for (const f of resolved.files)
          settingsOwners.set(f.file, [...(settingsOwners.get(f.file) ?? []), dir]);
        const profile = effectiveProfile(resolved.env, shellEnv);
        // A repo's name reaches the log (notSso) and our records only when it is a profile name.
        if (profile.value && isValidProfileName(profile.value)) inUse.push(profile.value);
        else if (profile.value)
          problems.push(
            `${profile.source.file ?? dir}: AWS_PROFILE is not a profile name (${PROFILE_NAME_RULE}); ignored`,
          );
        // Two identities: Claude Code signs Bedrock with the profile our awsCredentialExport exports.
        const exported = resolved.awsCredentialExport?.value;
        const bedrock = exported === undefined ? undefined : parseExportCommand(exported)?.profile;
        if (bedrock) inUse.push(bedrock);
      } catch (err) {
        problems.push(`${dir}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  const chosen = chooseProfiles(model, config, inUse);
  const byKey = new Map<string, DiscoveredSession>();
  const notSso: string[] = [];
  for (const p of chosen) {
    const id = ssoCacheId(p);
    if (id === undefined || (p.kind !== 'sso' && p.kind !== 'legacy-sso')) {
      notSso.push(p.name);
      continue;
    }
    const existing = byKey.get(id);
    if (existing) {
      if (!existing.profiles.includes(p.name)) existing.profiles.push(p.name);
      continue;
    }
    byKey.set(id, {
      key: id,
      kind: p.kind,
      profiles: [p.name],
      ...(p.ssoRegion ? { ssoRegion: p.ssoRegion } : {}),
      file: tokenCacheFile(paths.ssoCacheDir, id),
    });
  }
  return {
    sessions: [...byKey.values()],
    settingsFiles: [...settingsOwners.keys()],
    settingsOwners,
    repos,
    notSso: [...new Set(notSso)],
    problems,
  };
}

function chooseProfiles(model: AwsProfiles, config: Config, inUse: string[]): ProfileInfo[] {
  const seen = new Set<string>();
  const out: ProfileInfo[] = [];
  const add = (p: ProfileInfo) => {
    if (!seen.has(p.name)) {
      seen.add(p.name);
      out.push(p);
    }
  };
  for (const name of inUse) add(profileInfo(model, name));
  if (config.sessions === 'all') {
    for (const p of allProfiles(model)) if (p.kind === 'sso' || p.kind === 'legacy-sso') add(p);
  } else if (Array.isArray(config.sessions)) {
    const wanted = new Set(config.sessions);
    for (const p of allProfiles(model)) {
      if (wanted.has(p.name) || (p.ssoSession !== undefined && wanted.has(p.ssoSession))) add(p);
    }
  }
  return out;
}
