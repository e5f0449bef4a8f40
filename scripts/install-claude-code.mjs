#!/usr/bin/env node
// Installs the real Claude Code binary from the npm registry into the repository's gitignored cache and
// prints its path. The version is pinned in scripts/claude-code.version (one place); `--latest` (or
// BP_CLAUDE_CODE_VERSION=latest) takes the registry's newest, BP_CLAUDE_CODE_VERSION=<x.y.z> a given one.
// The platform package (@anthropic-ai/claude-code-<os>-<arch>) holds the native binary; the
// @anthropic-ai/claude-code wrapper would only fetch it again.
//
//   node scripts/install-claude-code.mjs [--latest] [--print-version]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const fail = (msg) => {
  process.stderr.write(`install-claude-code: ${msg}\n`);
  process.exit(1);
};
for (const a of args) if (a !== '--latest' && a !== '--print-version') fail(`unknown argument ${a}`);

const platform = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
if (!platform || !arch) fail(`no Claude Code package for ${process.platform}-${process.arch}`);
const pkg = `@anthropic-ai/claude-code-${platform}-${arch}`;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const pinned = readFileSync(join(root, 'scripts', 'claude-code.version'), 'utf8').trim();
const wanted = args.includes('--latest') ? 'latest' : (process.env.BP_CLAUDE_CODE_VERSION?.trim() || pinned);
let version = wanted;
if (wanted === 'latest') {
  version = execFileSync(npm, ['view', `${pkg}@latest`, 'version'], { encoding: 'utf8' }).trim();
}
if (!/^\d+\.\d+\.\d+(?:-[\w.]+)?$/.test(version)) fail(`not a version: ${JSON.stringify(version)}`);

const cache = join(root, '.cache', 'claude-code');
const dir = join(cache, version);
const binary = join(dir, 'node_modules', ...pkg.split('/'), process.platform === 'win32' ? 'claude.exe' : 'claude');

if (!existsSync(binary)) {
  mkdirSync(cache, { recursive: true });
  // Install into a fresh directory and rename it into place: a concurrent or interrupted install never
  // leaves a half-written binary under the version's name.
  const tmp = mkdtempSync(join(cache, `.${version}-`));
  try {
    execFileSync(
      npm,
      [
        'install',
        '--prefix',
        tmp,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `${pkg}@${version}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Someone else installed the same version meanwhile: theirs is as good as ours.
      if (!existsSync(binary)) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
if (!existsSync(binary)) fail(`${pkg}@${version} installed, but ${binary} is missing`);
process.stdout.write(`${args.includes('--print-version') ? version : binary}\n`);
