#!/usr/bin/env node
// npm run test:claude [-- --latest] [vitest args...]: the conformance suite against the real Claude Code.
// `--latest` runs it against the npm registry's newest Claude Code instead of the pinned version
// (scripts/claude-code.version); the choice reaches the installer as BP_CLAUDE_CODE_VERSION.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const env = { ...process.env };
const rest = args.filter((a) => a !== '--latest');
if (rest.length !== args.length) env.BP_CLAUDE_CODE_VERSION = 'latest';
// Install once up front (the download is ~100 MB), so test workers find it in the cache.
const version = execFileSync(process.execPath, [join(root, 'scripts', 'install-claude-code.mjs'), '--print-version'], {
  env,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).trim();
// Pin the resolved version for the workers: `latest` must not move under a running suite.
env.BP_CLAUDE_CODE_VERSION = version;
process.stdout.write(`Claude Code under test: ${version}\n`);
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', '-c', 'vitest.claude.config.ts', ...rest], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
