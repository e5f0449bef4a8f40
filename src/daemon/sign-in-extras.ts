/**
 * What `login` adds around `aws sso login` for the session's end and the sign-in method: the method for
 * this machine (browser or device code, said when it is the device code), and the session-life store
 * told what it looked like before and after, so a real sign-in is noted with its moment.
 */
import { chooseSignIn } from '../aws/sign-in-choice.js';
import { type Config, DEFAULT_CONFIG, loadConfig } from '../config/config.js';
import type { Env, Output } from '../context.js';
import type { SignInDecision } from '../core/sign-in-method.js';
import type { Paths } from '../platform/paths.js';
import { noteRefusal as noteRefused, observeSessions } from './session-life-observe.js';
import type { DiscoveredSession } from './sessions.js';

export async function configOrDefaults(paths: Pick<Paths, 'configFile'>): Promise<Config> {
  try {
    return await loadConfig(paths.configFile);
  } catch {
    // doctor and the daemon report a bad config file; signing in must still work.
    return { ...DEFAULT_CONFIG, sessionDurationMs: {} };
  }
}

export async function beforeSignIn(o: {
  env: Env;
  paths: Paths;
  now: () => number;
  out: Output;
  session: DiscoveredSession;
}): Promise<SignInDecision> {
  const config = await configOrDefaults(o.paths);
  await observeSessions({ paths: o.paths, sessions: [o.session], config, now: o.now() }).catch(() => {});
  const d = chooseSignIn(o.env, config);
  if (d.method === 'device-code') o.out.write(`bedrock-profile: signing in with a device code: ${d.why}\n`);
  return d;
}

export async function afterSignIn(o: {
  paths: Paths;
  now: () => number;
  session: DiscoveredSession;
  how?: 'look' | 'renewed';
}): Promise<void> {
  const config = await configOrDefaults(o.paths);
  await observeSessions({
    paths: o.paths,
    sessions: [o.session],
    config,
    now: o.now(),
    ...(o.how ? { how: o.how } : {}),
  }).catch(() => {});
}

/** AWS refused the refresh (invalid_grant) in `login`: remembered as the daemon would, never fatal. */
export async function noteRefusal(paths: Paths, session: DiscoveredSession, now: number): Promise<void> {
  await noteRefused(paths, session, await configOrDefaults(paths), now).catch(() => {});
}
