/**
 * Running install.sh for real: a source directory laid out like a release (bin, dist, shell, launchd,
 * systemd, install.sh, package files; node_modules linked to the repo's, which install.sh copies and prunes,
 * so no test builds or downloads anything), a throwaway HOME, and the launchctl/systemctl stand-ins first on
 * PATH recording their calls. Plus a snapshot of a directory tree, to compare byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, REPO_ROOT, type RunOptions, runProcess } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

export const STANDIN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');

const RELEASE_ITEMS = [
  'bin',
  'dist',
  'shell',
  'launchd',
  'systemd',
  'install.sh',
  'package.json',
  'package-lock.json',
  'README.md',
];

/** A release-shaped copy of the repo (needs `npm run build` first). Returns its directory. */
export function makeReleaseSource(): string {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli.js')))
    throw new Error('run npm run build before the install tests');
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bp-src-')));
  for (const item of RELEASE_ITEMS) {
    if (existsSync(join(REPO_ROOT, item)))
      cpSync(join(REPO_ROOT, item), join(dir, item), { recursive: true, preserveTimestamps: true });
  }
  rmSync(join(dir, 'bin', 'bedrock-profile'), { force: true });
  // A hard-linked copy, never a symlink: an `npm ci` or `npm prune` run through a link would wipe the repo's own.
  execFileSync('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules')]);
  return dir;
}

export interface InstallHome extends TempHome {
  /** Where the stand-ins record their calls. */
  callLog: string;
  prefix: string;
  link: string;
  /** Calls recorded since the last take (then cleared). */
  takeCalls(): string[];
}

export function makeInstallHome(extraEnv: Record<string, string> = {}): InstallHome {
  const th = makeTempHome('bp-install-');
  const callLog = join(th.root, 'service-calls.log');
  Object.assign(th.env, {
    PATH: `${STANDIN_BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    SERVICE_STANDIN_LOG: callLog,
    // npm's own cache and logs go outside HOME, so a snapshot of HOME shows only what install.sh did.
    npm_config_cache: join(th.root, 'npm-cache'),
    npm_config_update_notifier: 'false',
    TMPDIR: join(th.root),
    ...extraEnv,
  });
  return {
    ...th,
    callLog,
    prefix: join(th.home, '.local', 'share', 'bedrock-profile'),
    link: join(th.home, '.local', 'bin', 'bedrock-profile'),
    takeCalls() {
      if (!existsSync(callLog)) return [];
      const lines = readFileSync(callLog, 'utf8').split('\n').filter(Boolean);
      writeFileSync(callLog, '');
      return lines;
    },
  };
}

export type RunResult = CliResult;

/** A command in the install fixture; installs are slow on a loaded machine, so 90 s before a hang fails. */
export function run(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return runProcess(cmd, args, opts, 90_000);
}

/** `bash <source>/install.sh args...` in the throwaway HOME. */
export function runInstallSh(
  source: string,
  h: InstallHome,
  args: string[],
  extraEnv: Record<string, string> = {},
) {
  return run('bash', [join(source, 'install.sh'), ...args], { env: { ...h.env, ...extraEnv } });
}

/**
 * Every entry under dir: type, mode, and content hash or link target. Two equal snapshots mean the trees
 * are byte-identical (node_modules is summarised by its file list and hashes too, but skipped when asked).
 */
export function snapshot(
  dir: string,
  opts: { skip?: (rel: string) => boolean } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (opts.skip?.(r)) continue;
      const st = lstatSync(a);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(a)}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${mode}`;
        walk(a, r);
      } else out[r] = `file ${mode} ${createHash('sha256').update(readFileSync(a)).digest('hex')}`;
    }
  };
  walk(dir, '');
  return out;
}
