/**
 * The real Claude Code, run the way a user would (`claude -p ...`), against the project's fake AWS.
 *
 * `claudeBinary()` installs the pinned version (scripts/claude-code.version; BP_CLAUDE_CODE_VERSION=latest
 * for the registry's newest) into the repo's gitignored .cache via scripts/install-claude-code.mjs.
 * `runClaude()` starts it under a clean environment, as `env -i` would: only HOME, PATH, TERM, the switches
 * that stop telemetry, auto-update and other traffic to the internet, the fake's endpoints, and what the
 * case sets. A hard timeout kills the whole process group, so no case can hang the suite.
 */
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeAws, FakeRequest } from './fake-aws.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const installer = join(repoRoot, 'scripts', 'install-claude-code.mjs');

let cached: { binary: string; version: string } | undefined;

function install(): { binary: string; version: string } {
  if (!cached) {
    const run = (extra: string[]) =>
      execFileSync(process.execPath, [installer, ...extra], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: 300_000,
      }).trim();
    const binary = run([]);
    cached = { binary, version: run(['--print-version']) };
  }
  return cached;
}

/** The path of the Claude Code binary under test (installed on first use). */
export function claudeBinary(): string {
  return install().binary;
}

/** The version of the binary under test, as the npm registry names it. */
export function claudeVersion(): string {
  return install().version;
}

/** Switches that keep Claude Code off the internet and quiet: no telemetry, no update check, no error
 * reports, no feature-flag fetches, and a bounded number of retries so a failing case ends quickly. */
export const QUIET_ENV: Readonly<Record<string, string>> = {
  DISABLE_TELEMETRY: '1',
  DISABLE_AUTOUPDATER: '1',
  DISABLE_ERROR_REPORTING: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  CLAUDE_CODE_DISABLE_FEATURE_FLAGS: '1',
  CLAUDE_CODE_MAX_RETRIES: '1',
  // No real AWS: the SDK's instance metadata lookup would otherwise wait on 169.254.169.254.
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Where Claude Code's AWS traffic goes: every AWS endpoint variable, the Bedrock base URL and Mantle's. */
export function fakeEndpoints(fake: FakeAws): Record<string, string> {
  return {
    ...fake.endpointEnv(),
    AWS_ENDPOINT_URL: fake.url,
    ANTHROPIC_BEDROCK_BASE_URL: fake.url,
    ANTHROPIC_BEDROCK_MANTLE_BASE_URL: `${fake.url}/anthropic`,
  };
}

export interface RunClaudeOptions {
  home: string;
  cwd: string;
  fake: FakeAws;
  /** Added to the clean environment; a value of `undefined` removes a default (e.g. the base URL). */
  env?: Record<string, string | undefined>;
  /** The prompt for `-p` (default: "Say hi."). */
  prompt?: string;
  /** More arguments after `-p <prompt>`. */
  args?: string[];
  /** Hard limit; the process group is killed after it (default 90 s). */
  timeoutMs?: number;
}

export interface ClaudeRun {
  /** Exit code, or null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** What the fake recorded while this run lasted. */
  requests: FakeRequest[];
  /** The environment it ran with (to print on failure; holds no secret the fake did not invent). */
  env: Record<string, string>;
}

/** The environment `runClaude` starts Claude Code with. */
export function claudeEnv(opts: Pick<RunClaudeOptions, 'home' | 'fake' | 'env'>): Record<string, string> {
  const env: Record<string, string | undefined> = {
    HOME: opts.home,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    TERM: 'dumb',
    ...QUIET_ENV,
    ...fakeEndpoints(opts.fake),
    ...opts.env,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export function runClaude(opts: RunClaudeOptions): Promise<ClaudeRun> {
  const binary = claudeBinary();
  const env = claudeEnv(opts);
  const from = opts.fake.requests.length;
  const args = ['-p', opts.prompt ?? 'Say hi.', ...(opts.args ?? [])];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs ?? 90_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        timedOut,
        stdout,
        stderr,
        requests: opts.fake.requests.slice(from),
        env,
      });
    });
  });
}
