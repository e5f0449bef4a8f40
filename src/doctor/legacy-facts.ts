/**
 * The legacy SSO profiles in use: the profile in effect here and those Claude Code uses in HOME and in the
 * repos the hooks know (the daemon's discovery). A bad file costs only the list, never the doctor run.
 */
import type { Env } from '../context.js';
import type { ProfileInfo } from '../core/types.js';
import { discoverSessions } from '../daemon/sessions.js';
import { configOrDefaults } from '../daemon/sign-in-extras.js';
import type { Paths } from '../platform/paths.js';

export async function legacyProfilesInUse(
  env: Env,
  paths: Paths,
  here: ProfileInfo | undefined,
): Promise<string[]> {
  const out = new Set<string>();
  if (here?.kind === 'legacy-sso') out.add(here.name);
  try {
    const d = await discoverSessions({ env, paths, config: await configOrDefaults(paths) });
    for (const s of d.sessions) if (s.kind === 'legacy-sso') for (const p of s.profiles) out.add(p);
  } catch {
    // The AWS config could not be read: the profile check says so.
  }
  return [...out].sort();
}
