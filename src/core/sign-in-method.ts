/**
 * Browser or device code for `aws sso login`. Since AWS CLI 2.22 it defaults to the PKCE flow, whose
 * callback goes to http://127.0.0.1:<port> on the machine running the CLI: over SSH, in a container or a
 * codespace, or on a Linux box without a display, no browser there can reach it, and only
 * `--use-device-code` works (the user opens the URL anywhere and types the code). Pure: the environment
 * and a file-existence check are passed in.
 */
export type SignInSetting = 'browser' | 'device-code' | 'auto';

export type SignInMethod = 'browser' | 'device-code';

export interface SignInFacts {
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  exists: (path: string) => boolean;
}

export interface SignInDecision {
  method: SignInMethod;
  /** Why, in words, for the progress line. */
  why: string;
}

const set = (v: string | undefined) => v !== undefined && v !== '';

export function signInMethod(setting: SignInSetting, f: SignInFacts): SignInDecision {
  if (setting === 'browser') return { method: 'browser', why: 'signIn is "browser" in the config' };
  if (setting === 'device-code')
    return { method: 'device-code', why: 'signIn is "device-code" in the config' };
  const e = f.env;
  if (set(e.SSH_CONNECTION) || set(e.SSH_TTY))
    return { method: 'device-code', why: 'this is an SSH session: a browser here cannot reach the CLI' };
  if (set(e.CODESPACES)) return { method: 'device-code', why: 'this is a GitHub codespace' };
  if (set(e.REMOTE_CONTAINERS)) return { method: 'device-code', why: 'this is a dev container' };
  if (f.exists('/.dockerenv') || f.exists('/run/.containerenv'))
    return { method: 'device-code', why: 'this is a container' };
  if (f.platform === 'linux' && !set(e.DISPLAY) && !set(e.WAYLAND_DISPLAY))
    return { method: 'device-code', why: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { method: 'browser', why: 'a local browser can receive the sign-in' };
}

/**
 * The verification URL and user code in what `aws sso login --use-device-code` printed so far, for a
 * daemon sign-in nobody watches (shown in a notification). Undefined until both have appeared.
 */
export function deviceCodePrompt(output: string): { url: string; code: string } | undefined {
  const url = /https:\/\/[^\s"'<>]+/.exec(output)?.[0];
  const code = /^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$/m.exec(output)?.[1];
  return url && code ? { url, code } : undefined;
}

/** The `aws sso login` arguments for a profile. */
export function ssoLoginArgs(profile: string, method: SignInMethod): string[] {
  return ['sso', 'login', '--profile', profile, ...(method === 'device-code' ? ['--use-device-code'] : [])];
}
