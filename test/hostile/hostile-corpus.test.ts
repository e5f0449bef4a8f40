/**
 * The hostile-input corpus: one table over every input surface (Claude settings files, AWS config and
 * credentials, token cache files, our config file, directory names, environment values, command-line
 * arguments). Each case plants its input in a HOME that also holds a secret in every place one can be, runs
 * real commands (in-process through `main()`, or the built CLI as a process where a hang must be killable),
 * and checks the same things every time: the canary file never appears (no code executed), every run ends
 * within its timeout (no hang), no stack trace or "internal error" (no crash), no secret and no raw control
 * character in the output, the user's files byte-identical afterwards (no data lost), and a clear message
 * (the case's pattern: the file, the key or the value, and what to do).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliResult, runCli, runMain } from '../support/run-cli.js';
import { type HostileWorld, makeHostileWorld, outputProblems, snapshotUserData } from './world.js';

type Surface =
  | 'settings'
  | 'aws-config'
  | 'credentials'
  | 'token-cache'
  | 'config'
  | 'directory'
  | 'env'
  | 'argv';

interface Prepared {
  cwd?: string;
  /** Variables to set (a string) or remove (undefined) for this case. */
  env?: Record<string, string | undefined>;
}

interface HostileCase {
  name: string;
  surface: Surface;
  setup?: (w: HostileWorld) => Prepared | undefined;
  /** The commands to run, each checked alone; argv may use the world (payloads). */
  runs: (w: HostileWorld) => string[][];
  /** Run the built CLI as a child process (needed where a blocking read would hang this worker). */
  proc?: boolean;
  /** The clear message: must match the output of at least one run. */
  message: RegExp | ((w: HostileWorld) => RegExp);
  /** Exit codes allowed for every run (default: any documented code, 0-5). */
  codes?: number[];
}

const mkfifo = (file: string) => {
  mkdirSync(join(file, '..'), { recursive: true });
  rmSync(file, { force: true });
  mkfifoSync(file);
};

/** Node has no mkfifo; use the one coreutils ships. */
function mkfifoSync(file: string): void {
  execFileSync('mkfifo', [file]);
}

const repoSettings = (w: HostileWorld) => join(w.repo, '.claude', 'settings.json');
const isRoot = process.getuid?.() === 0;
const ESC = '\u001b';

const CASES: HostileCase[] = [
  // --- Claude Code settings -------------------------------------------------------------------------
  ...[0, 1, 2, 3, 4, 5, 6].map(
    (i): HostileCase => ({
      name: `settings: AWS_PROFILE is shell payload #${i}`,
      surface: 'settings',
      setup: (w) => void w.write(repoSettings(w), { env: { AWS_PROFILE: w.payloads[i] } }),
      runs: () => [['resolve'], ['status'], ['allow'], ['prompt'], ['doctor']],
      message: /not a (valid )?profile name/,
    }),
  ),
  {
    name: 'settings: AWS_PROFILE with ANSI escapes and a fake prompt line',
    surface: 'settings',
    setup: (w) =>
      void w.write(repoSettings(w), {
        env: { AWS_PROFILE: `${ESC}[2J${ESC}]0;owned\u0007\r\nuser@host:~$ sudo rm -rf /` },
      }),
    runs: () => [['resolve'], ['status'], ['status', '--json'], ['doctor']],
    message: /refusing AWS_PROFILE/,
  },
  {
    name: 'settings: invalid JSON',
    surface: 'settings',
    setup: (w) => void w.write(repoSettings(w), '{"env": {"AWS_PROFILE": "dev",}\n'),
    runs: () => [['status'], ['resolve'], ['doctor'], ['use', 'other']],
    message: (w) => new RegExp(`${escapeRe(repoSettings(w))}:1:\\d+: invalid JSON`),
  },
  {
    name: 'settings: invalid UTF-8',
    surface: 'settings',
    setup: (w) =>
      void writeFileSync(repoSettings(w), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
    runs: () => [['status'], ['resolve'], ['doctor']],
    message: /is not valid UTF-8/,
  },
  {
    name: 'settings: a FIFO (a read would block forever)',
    surface: 'settings',
    setup: (w) => void mkfifo(repoSettings(w)),
    runs: () => [['status'], ['resolve'], ['doctor'], ['allow'], ['use', 'other']],
    proc: true,
    message: /not a regular file/,
  },
  {
    name: 'settings: 50 MB',
    surface: 'settings',
    setup: (w) =>
      void writeFileSync(repoSettings(w), `{"env":{"AWS_PROFILE":"${'a'.repeat(50 * 1024 * 1024)}"}}`),
    runs: () => [['status'], ['resolve'], ['doctor']],
    proc: true,
    message: /larger than the \d+ (bytes )?we read/,
  },
  {
    name: 'settings: a symlink loop',
    surface: 'settings',
    setup: (w) => {
      rmSync(repoSettings(w));
      symlinkSync(repoSettings(w), repoSettings(w));
      return undefined;
    },
    runs: () => [['status'], ['resolve'], ['doctor'], ['use', 'other']],
    message: /symbolic links|symlink|loop/i,
  },
  {
    name: 'settings: a directory where the file should be',
    surface: 'settings',
    setup: (w) => {
      rmSync(repoSettings(w));
      mkdirSync(repoSettings(w));
      return undefined;
    },
    runs: () => [['status'], ['resolve'], ['use', 'other']],
    message: /not a regular file|is a directory/i,
  },
  {
    name: 'settings: 100 000 nested arrays (parser recursion)',
    surface: 'settings',
    setup: (w) => void w.write(repoSettings(w), `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    runs: () => [['status'], ['resolve'], ['doctor'], ['use', 'other']],
    message: /settings\.json/,
  },
  {
    name: 'settings: __proto__ and constructor keys, non-string env values',
    surface: 'settings',
    setup: (w) =>
      void w.write(
        repoSettings(w),
        '{"env": {"__proto__": {"AWS_PROFILE": "polluted"}, "constructor": {"prototype": {"x": 1}}, "AWS_PROFILE": 42, "AWS_REGION": ["us-east-1"]}, "__proto__": {"env": {"AWS_PROFILE": "polluted"}}}',
      ),
    runs: () => [['status', '--json'], ['resolve'], ['doctor']],
    message: /not a string|must be a string|wrong type|skipped/i,
  },
  {
    name: 'settings: managed drop-in with a payload file name and a payload value',
    surface: 'settings',
    setup: (w) => {
      w.write(join(w.managedDir, 'managed-settings.d', '$(touch x).json'), {
        env: { AWS_PROFILE: w.payloads[0] },
      });
      return undefined;
    },
    runs: () => [['status'], ['resolve'], ['doctor']],
    message: /not a (valid )?profile name/,
  },
  {
    name: 'settings: user settings unreadable (mode 000)',
    surface: 'settings',
    setup: (w) => {
      chmodSync(join(w.home, '.claude', 'settings.json'), 0o000);
      return undefined;
    },
    runs: () => [['status'], ['doctor'], ['init', '--region', 'us-east-1', '--dry-run']],
    // root reads anything: then the file is simply read.
    message: isRoot ? /profile|region/ : /permission denied/i,
  },

  // --- AWS config and credentials --------------------------------------------------------------------
  {
    name: 'aws config: credential_process that would run the payload',
    surface: 'aws-config',
    setup: (w) =>
      void w.write(
        '.aws/config',
        `[profile dev]\ncredential_process = sh -c 'touch ${w.canary}'\nregion = us-east-1\n`,
      ),
    runs: () => [['status'], ['status', '--json'], ['doctor'], ['resolve']],
    message: /credential-process|credential_process/,
  },
  {
    name: 'aws config: section and value payloads, ANSI in the start URL',
    surface: 'aws-config',
    setup: (w) =>
      void w.write(
        '.aws/config',
        `[profile $(touch ${w.canary})]\nregion = us-east-1\n[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_start_url = https://x${ESC}[31m\`touch ${w.canary}\`\nsso_region = us-east-1\n`,
      ),
    runs: () => [['status'], ['doctor'], ['status', '--json']],
    message: /dev/,
  },
  {
    name: 'aws config: a FIFO',
    surface: 'aws-config',
    setup: (w) => void mkfifo(join(w.home, '.aws', 'config')),
    runs: () => [['status'], ['doctor'], ['resolve']],
    proc: true,
    message: /config.*not a regular file/,
  },
  {
    name: 'aws config: binary garbage (invalid UTF-8, NUL bytes)',
    surface: 'aws-config',
    setup: (w) =>
      void writeFileSync(
        join(w.home, '.aws', 'config'),
        Buffer.from([0, 1, 2, 0xff, 0x5b, 0x0a, 0xc3, 0x28]),
      ),
    runs: () => [['status'], ['doctor']],
    message: /not valid UTF-8/,
  },
  {
    name: 'aws config: 20 MB',
    surface: 'aws-config',
    setup: (w) =>
      void writeFileSync(join(w.home, '.aws', 'config'), `[profile dev]\n${'# x\n'.repeat(5_000_000)}`),
    runs: () => [['status'], ['doctor']],
    proc: true,
    message: /larger than/,
  },
  {
    name: 'env: AWS_CONFIG_FILE is /dev/zero (endless) and AWS_SHARED_CREDENTIALS_FILE a directory',
    surface: 'env',
    setup: (w) => ({ env: { AWS_CONFIG_FILE: '/dev/zero', AWS_SHARED_CREDENTIALS_FILE: w.home } }),
    runs: () => [['status'], ['doctor'], ['resolve']],
    proc: true,
    message: /not a regular file/,
  },
  {
    name: 'credentials: garbage lines around the secrets, keys profile in effect',
    surface: 'credentials',
    setup: (w) => {
      w.write(
        '.aws/credentials',
        `garbage ${ESC}[31m line\n[keys\naws_secret_access_key = ${w.secrets.credentialsSecretKey}\n[keys]\naws_access_key_id = AKIAHOSTILEEXAMPLE02\naws_secret_access_key = ${w.secrets.credentialsSecretKey}\naws_session_token = ${w.secrets.credentialsSessionToken}\n`,
        0o600,
      );
      w.write(repoSettings(w), { env: { AWS_PROFILE: 'keys' } });
      return undefined;
    },
    runs: () => [['status'], ['status', '--json'], ['doctor'], ['doctor', '--json']],
    message: /keys/,
  },

  // --- SSO token cache -------------------------------------------------------------------------------
  {
    name: 'token cache: truncated JSON holding the tokens (a parse error must not quote them)',
    surface: 'token-cache',
    setup: (w) =>
      void writeFileSync(
        w.cacheFile,
        `{"accessToken": "${w.secrets.cacheAccessToken}", "refreshToken": "${w.secrets.cacheRefreshToken}", "clientSecret": "${w.secrets.cacheClientSecret}", "expiresAt": "20`,
      ),
    runs: () => [['status'], ['status', '--json'], ['doctor'], ['prompt'], ['refresh', '--profile', 'dev']],
    message: /corrupt|invalid|not valid JSON|invalid JSON/i,
  },
  {
    name: 'token cache: tokens of the wrong type, expiresAt not a date',
    surface: 'token-cache',
    setup: (w) =>
      void writeFileSync(
        w.cacheFile,
        JSON.stringify({
          accessToken: { nested: w.secrets.cacheAccessToken },
          expiresAt: `tomorrow ${w.payloads[0]}`,
          refreshToken: [w.secrets.cacheRefreshToken],
          clientSecret: 12345,
        }),
      ),
    runs: () => [['status'], ['doctor'], ['prompt'], ['refresh', '--profile', 'dev']],
    message: /expiresAt|accessToken|corrupt|invalid/i,
  },
  {
    name: 'token cache: a FIFO',
    surface: 'token-cache',
    setup: (w) => void mkfifo(w.cacheFile),
    runs: () => [['status'], ['doctor'], ['prompt'], ['refresh', '--profile', 'dev'], ['daemon', '--once']],
    proc: true,
    message: /not a regular file/,
  },
  {
    name: 'token cache: 30 MB of JSON',
    surface: 'token-cache',
    setup: (w) =>
      void writeFileSync(
        w.cacheFile,
        JSON.stringify({ accessToken: w.secrets.cacheAccessToken, pad: 'x'.repeat(30 * 1024 * 1024) }),
      ),
    runs: () => [['status'], ['doctor'], ['refresh', '--profile', 'dev']],
    proc: true,
    message: /larger than/,
  },
  {
    name: 'token cache: a symlink to /dev/zero',
    surface: 'token-cache',
    setup: (w) => {
      rmSync(w.cacheFile);
      symlinkSync('/dev/zero', w.cacheFile);
      return undefined;
    },
    runs: () => [['status'], ['doctor'], ['refresh', '--profile', 'dev'], ['daemon', '--once']],
    proc: true,
    message: /not a regular file/,
  },

  // --- our config file ---------------------------------------------------------------------------------
  {
    name: 'config: invalid JSON',
    surface: 'config',
    setup: (w) => void w.write(w.configFile, '{"refreshBefore": "20m",,}'),
    runs: () => [['daemon', '--once'], ['resolve'], ['status']],
    proc: true,
    message: (w) => new RegExp(`${escapeRe(w.configFile)}:1:\\d+: invalid JSON`),
  },
  {
    name: 'config: unknown key with control characters and a payload, out-of-range values',
    surface: 'config',
    setup: (w) =>
      void w.write(w.configFile, {
        [`x${ESC}[31m$(touch ${w.canary})`]: 1,
        refreshBefore: '1e309m',
        notifyBefore: [-5],
      }),
    runs: () => [['daemon', '--once'], ['resolve'], ['status']],
    proc: true,
    message: /unknown key|refreshBefore|notifyBefore/,
  },
  {
    name: 'config: mode is a payload; sessions an object',
    surface: 'config',
    setup: (w) => void w.write(w.configFile, { mode: w.payloads[2], sessions: { all: true } }),
    runs: () => [['daemon', '--once'], ['resolve'], ['status']],
    proc: true,
    message: /mode|sessions/,
  },
  {
    name: 'config: a FIFO',
    surface: 'config',
    setup: (w) => void mkfifo(w.configFile),
    runs: () => [['daemon', '--once'], ['resolve'], ['status']],
    proc: true,
    message: /not a regular file/,
  },

  // --- directory names ---------------------------------------------------------------------------------
  {
    name: 'directory: a repo whose name is a payload with a newline, quotes and ANSI',
    surface: 'directory',
    setup: (w) => {
      const dir = w.mkdir(`work/a'b"c\n$(touch ${w.canary})${ESC}[31m\`id\``);
      mkdirSync(join(dir, '.git'));
      w.write(join(dir, '.claude', 'settings.json'), { env: { AWS_PROFILE: 'dev' } });
      return { cwd: dir };
    },
    runs: () => [['status'], ['resolve'], ['allow'], ['doctor'], ['use', 'dev', '--dry-run'], ['trust']],
    message: /dev/,
  },
  {
    name: 'directory: the working directory was deleted',
    surface: 'directory',
    setup: (w) => {
      const dir = w.mkdir('work/gone');
      rmSync(dir, { recursive: true });
      return { cwd: dir };
    },
    runs: () => [['status'], ['resolve'], ['prompt']],
    message: /gone|directory|profile/,
  },
  {
    name: 'directory: 200 levels deep with long names',
    surface: 'directory',
    setup: (w) => {
      let dir = w.repo;
      for (let i = 0; i < 200 && dir.length < 3800; i++) dir = join(dir, `d${i}`.padEnd(16, 'x'));
      mkdirSync(dir, { recursive: true });
      return { cwd: dir };
    },
    runs: () => [['status'], ['resolve'], ['prompt']],
    message: /profile|dev|record/,
  },

  // --- environment values ------------------------------------------------------------------------------
  {
    name: 'env: AWS_PROFILE and AWS_REGION are payloads with control characters',
    surface: 'env',
    setup: (w) => ({
      env: { AWS_PROFILE: `${w.payloads[0]}${ESC}[31m`, AWS_REGION: `us-east-1\n${w.payloads[1]}` },
    }),
    runs: () => [['status'], ['doctor'], ['resolve'], ['prompt']],
    message: /AWS_PROFILE|AWS_REGION|region/,
  },
  {
    name: 'env: HOME unset',
    surface: 'env',
    setup: (w) => ({ env: { HOME: undefined }, cwd: w.repo }),
    runs: () => [['status'], ['resolve'], ['doctor'], ['allow']],
    message: /HOME/,
  },
  {
    name: 'env: HOME relative, XDG dirs relative and payload-named',
    surface: 'env',
    setup: (w) => ({
      env: { HOME: 'relative/home', XDG_STATE_HOME: `$(touch ${w.canary})`, XDG_CACHE_HOME: 'x' },
      cwd: w.repo,
    }),
    runs: () => [['status'], ['resolve'], ['allow']],
    // A process: a relative HOME would resolve against the process's cwd (the repo), and nothing may be
    // written there. Relative XDG dirs are ignored (the XDG spec).
    proc: true,
    message: /HOME .*absolute path/,
  },
  {
    name: 'env: CLAUDE_CONFIG_DIR is a file; BEDROCK_PROFILE_MANAGED_DIR a FIFO',
    surface: 'env',
    setup: (w) => {
      const fifo = join(w.root, 'managed-fifo');
      mkfifo(fifo);
      return {
        env: { CLAUDE_CONFIG_DIR: join(w.home, '.aws', 'config'), BEDROCK_PROFILE_MANAGED_DIR: fifo },
      };
    },
    runs: () => [['status'], ['resolve'], ['doctor']],
    proc: true,
    message: /profile|region|settings/,
  },

  ...[0, 1, 2, 3].map(
    (i): HostileCase => ({
      name: `settings: awsCredentialExport is shell payload #${i} (bare, and as our export's --profile)`,
      surface: 'settings',
      setup: (w) =>
        void w.write(repoSettings(w), {
          env: { AWS_PROFILE: 'dev' },
          awsCredentialExport: i % 2 ? w.payloads[i] : `bedrock-profile export --profile ${w.payloads[i]}`,
        }),
      // Nothing runs the command: status and doctor read it, export and the daemon parse it as words.
      runs: () => [
        ['status'],
        ['status', '--json'],
        ['resolve'],
        ['doctor'],
        ['export'],
        ['daemon', '--once'],
      ],
      message: /awsCredentialExport/,
    }),
  ),

  // --- command-line arguments ----------------------------------------------------------------------------
  {
    name: 'argv: export and use --bedrock with payload profile names, formats and shells',
    surface: 'argv',
    runs: (w) => [
      ...w.payloads.map((p) => ['export', '--profile', p]),
      ...w.payloads.map((p) => ['use', 'dev', '--bedrock', p]),
      ['use', '--bedrock', w.payloads[1]!],
      ['export', '--format', w.payloads[0]!],
      ['export', '--shell', w.payloads[3]!],
    ],
    message: /a profile name has|not a valid profile name/,
    codes: [2],
  },
  {
    name: 'argv: use with payload profile names',
    surface: 'argv',
    runs: (w) => w.payloads.map((p) => ['use', p]),
    message: /not a (valid )?profile name/,
    codes: [2],
  },
  {
    name: 'argv: login / refresh with a payload profile',
    surface: 'argv',
    runs: (w) => [
      ['login', '--profile', w.payloads[2]!],
      ['refresh', '--profile', w.payloads[0]!],
    ],
    proc: true,
    message: /--profile .*: a profile name has letters, digits and _\.\+=,@- only/,
  },
  {
    name: 'argv: init with payload region, model and profile',
    surface: 'argv',
    runs: (w) => [
      ['init', '--region', w.payloads[1]!],
      ['init', '--region', 'us-east-1', '--model', w.payloads[0]!],
      ['init', '--region', 'us-east-1', '--profile', w.payloads[3]!],
    ],
    message: /region|model|profile/,
    codes: [2, 3],
  },
  {
    name: 'argv: unknown options and commands with ANSI escapes',
    surface: 'argv',
    runs: () => [[`--${ESC}[31mx`], [`st${ESC}]0;t\u0007atus`], ['status', `--${ESC}[2Jfoo`]],
    message: /unknown (option|command)/,
    codes: [2],
  },
  {
    name: 'argv: allow / deny / resolve on payload and missing paths',
    surface: 'argv',
    runs: (w) => [
      ['allow', join(w.home, 'no', `$(touch ${w.canary})`)],
      ['deny', `${w.home}/x\n${ESC}[31m`],
      ['resolve', 'relative/dir'],
      ['resolve', 'x'.repeat(10_000)],
    ],
    message: /no such|not a directory|does not exist|absolute|nothing to allow|not found/i,
  },
  {
    name: 'argv: hook with an unknown shell; logs with a bad line count',
    surface: 'argv',
    runs: (w) => [
      ['hook', w.payloads[0]!],
      ['logs', '-n', w.payloads[1]!],
    ],
    message: /zsh|bash|fish|shell|unknown option|invalid/i,
    codes: [2],
  },
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const TIMEOUT_MS = 15_000;

async function runOne(
  w: HostileWorld,
  args: string[],
  prepared: Prepared,
  proc: boolean,
): Promise<CliResult & { timedOut: boolean }> {
  const env: Record<string, string> = { ...w.env };
  for (const [k, v] of Object.entries(prepared.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const cwd = prepared.cwd ?? w.repo;
  if (proc) {
    const started = Date.now();
    // A process cwd must exist; a deleted one is an in-process case.
    const r = await runCli(args, { env, cwd, timeoutMs: TIMEOUT_MS });
    return { ...r, timedOut: Date.now() - started >= TIMEOUT_MS };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => r('timeout'), TIMEOUT_MS);
  });
  const r = await Promise.race([runMain(args, { env, cwd }), timeout]);
  clearTimeout(timer);
  if (r === 'timeout') return { code: -1, stdout: '', stderr: '', timedOut: true };
  return { ...r, timedOut: false };
}

let w: HostileWorld | undefined;
afterEach(() => {
  if (w) chmodSync(join(w.home, '.claude', 'settings.json'), 0o644);
  w?.cleanup();
  w = undefined;
});

describe('hostile input corpus', () => {
  it('has at least 30 cases covering every input surface', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    const surfaces = new Set(CASES.map((c) => c.surface));
    for (const s of [
      'settings',
      'aws-config',
      'credentials',
      'token-cache',
      'config',
      'directory',
      'env',
      'argv',
    ] as const)
      expect(surfaces).toContain(s);
  });

  it('the canary works: a shell that evaluates a payload creates it', () => {
    w = makeHostileWorld();
    for (const p of w.payloads) {
      rmSync(w.canary, { force: true });
      execFileSync('sh', ['-c', `eval "echo ${p.replace(/(["\\])/g, '\\$1')}" >/dev/null 2>&1 || true`]);
      expect(existsSync(w.canary), p).toBe(true);
    }
    rmSync(w.canary, { force: true });
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      w = makeHostileWorld();
      const prepared = c.setup?.(w) ?? {};
      const before = snapshotUserData(w);
      const outputs: string[] = [];
      for (const args of c.runs(w)) {
        const r = await runOne(w, args, prepared, c.proc === true);
        const text = r.stdout + r.stderr;
        const label = `\`${args.join(' ').slice(0, 80)}\``;
        expect(r.timedOut, `${label} hung`).toBe(false);
        // `resolve` prints the hook record: a protocol read with `read` (never a terminal), whose dir= line
        // must hold the directory name exactly; its stderr is for the terminal and is checked in full.
        const problems =
          args[0] === 'resolve'
            ? [...outputProblems(r.stderr, w), ...outputProblems(r.stdout, w, { protocol: true })]
            : outputProblems(text, w);
        expect(problems, `${label}:\n${text}`).toEqual([]);
        expect(c.codes ?? [0, 1, 2, 3, 4, 5], `${label} exit code:\n${text}`).toContain(r.code);
        outputs.push(text);
      }
      expect(existsSync(w.canary), 'a payload was executed').toBe(false);
      expect(snapshotUserData(w), "the user's files changed").toEqual(before);
      const message = typeof c.message === 'function' ? c.message(w) : c.message;
      expect(outputs.join('\n---\n')).toMatch(message);
    },
    120_000,
  );
});
