/**
 * `aws sso login --profile P`: the browser sign-in belongs to the AWS CLI v2 (device authorization with
 * PKCE, its own cache format). We run it with the terminal attached so its output (verification URL and
 * code) reaches the user, or Claude Code's output when Claude runs us as `awsAuthRefresh`. AWS CLI v1 has
 * no `sso login`: detect it and say what to install.
 */
import { spawn } from 'node:child_process';
import type { Env } from '../context.js';
import { sanitizeLine } from '../core/sanitize.js';
import { type SignInMethod, ssoLoginArgs } from '../core/sign-in-method.js';
import { BedrockProfileError } from '../errors.js';
import { withSafePath } from '../platform/tool-path.js';

export const INSTALL_V2 =
  'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html; macOS: brew install awscli)';

export interface AwsCliVersion {
  major: number;
  /** The first line `aws --version` printed, e.g. "aws-cli/2.27.0 Python/3.13.4 ...". */
  text: string;
}

/** Parse `aws --version` output: "aws-cli/1.45.11 Python/3.11.7 ..." (v1 may print it to stderr). */
export function parseAwsVersion(output: string): AwsCliVersion | undefined {
  const m = /aws-cli\/(\d+)\.\d+[^\s]*/.exec(output);
  if (!m) return undefined;
  return { major: Number(m[1]), text: sanitizeLine(output.trim().split('\n')[0] ?? m[0]) };
}

function capture(
  cmd: string,
  args: string[],
  env: Env,
  timeoutMs: number,
): Promise<{ code: number | null; out: string; error?: string }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, {
      env: withSafePath(env) as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, out, error: (err as NodeJS.ErrnoException).code ?? err.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The installed AWS CLI, checked to be v2; throws a BedrockProfileError that says what to install. */
export async function requireAwsCliV2(env: Env): Promise<AwsCliVersion> {
  const r = await capture('aws', ['--version'], env, 20_000);
  if (r.error === 'ENOENT') throw new BedrockProfileError(`the aws command is not on PATH; ${INSTALL_V2}`);
  const v = parseAwsVersion(r.out);
  if (!v) {
    throw new BedrockProfileError(
      `"aws --version" did not print a version (${sanitizeLine(r.out.trim().slice(0, 80)) || `exit ${r.code}`}); ${INSTALL_V2}`,
    );
  }
  if (v.major < 2) {
    throw new BedrockProfileError(
      `the aws command on PATH is the AWS CLI v1 (${v.text}), which has no "aws sso login"; ${INSTALL_V2}`,
    );
  }
  return v;
}

/**
 * Run `aws sso login --profile P`. `attached`: the child shares our stdin/stdout/stderr (the user sees the
 * URL and code). Otherwise (the daemon) its output is dropped: the CLI opens the browser itself.
 * Resolves with the exit code.
 */
export function runSsoLogin(opts: {
  profile: string;
  env: Env;
  attached: boolean;
  /** `device-code` adds --use-device-code (no local browser can receive the PKCE callback). */
  method?: SignInMethod;
  /** Not attached: what the CLI prints, as it comes (the daemon shows a device code in a notification). */
  onOutput?: (text: string) => void;
  signal?: AbortSignal;
}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('aws', ssoLoginArgs(opts.profile, opts.method ?? 'browser'), {
      // Looked up without `.` or empty PATH entries: never a repo's own `aws`.
      env: withSafePath(opts.env) as NodeJS.ProcessEnv,
      // stdin: Claude Code gives awsAuthRefresh no input; the device flow needs none.
      stdio: opts.attached
        ? ['ignore', 'inherit', 'inherit']
        : ['ignore', opts.onOutput ? 'pipe' : 'ignore', opts.onOutput ? 'pipe' : 'ignore'],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    for (const s of [child.stdout, child.stderr])
      s?.setEncoding('utf8').on('data', (d: string) => opts.onOutput?.(d));
    child.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        reject(new BedrockProfileError(`the aws command is not on PATH; ${INSTALL_V2}`));
      else if ((err as Error).name === 'AbortError') resolve(130);
      else reject(err);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
