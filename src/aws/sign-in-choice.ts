/**
 * The sign-in method for this machine: `BEDROCK_PROFILE_SIGN_IN` (one shell's override), else the config's
 * `signIn`, and for `auto` the environment and the container marker files (src/core/sign-in-method.ts).
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config/config.js';
import type { Env } from '../context.js';
import { type SignInDecision, type SignInSetting, signInMethod } from '../core/sign-in-method.js';

const SETTINGS: readonly string[] = ['browser', 'device-code', 'auto'];

export function chooseSignIn(
  env: Env,
  config: Pick<Config, 'signIn'>,
  platform = process.platform,
): SignInDecision {
  const own = env.BEDROCK_PROFILE_SIGN_IN;
  if (own !== undefined && SETTINGS.includes(own)) {
    const d = signInMethod(own as SignInSetting, { env, platform, exists: existsSync });
    return own === 'auto' ? d : { method: d.method, why: `BEDROCK_PROFILE_SIGN_IN is "${own}"` };
  }
  return signInMethod(config.signIn, { env, platform, exists: existsSync });
}
