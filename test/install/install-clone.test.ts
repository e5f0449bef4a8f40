/**
 * ./install.sh from a clone: it builds (npm run build; npm ci only when node_modules is missing or older
 * than package-lock.json) and installs the result. The clone is a copy of the repo's sources; its
 * node_modules is a symlink to a hard-linked throwaway copy of the repo's, so nothing is downloaded and
 * nothing the repo owns can be touched. package-lock.json is made newer than the dependencies, so without
 * install.sh's guard (never npm ci through a symlinked node_modules: it would empty the directory the link
 * points to) the install would run npm ci.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-cli.js';
import { type InstallHome, makeInstallHome, run, runInstallSh } from './install-harness.js';

let clone: string;
let h: InstallHome;

let deps: string;

beforeAll(() => {
  clone = realpathSync(mkdtempSync(join(tmpdir(), 'bp-clone-')));
  deps = realpathSync(mkdtempSync(join(tmpdir(), 'bp-deps-')));
  for (const item of readdirSync(REPO_ROOT)) {
    if (['node_modules', 'dist', '.git', 'coverage'].includes(item)) continue;
    cpSync(join(REPO_ROOT, item), join(clone, item), { recursive: true, preserveTimestamps: true });
  }
  execFileSync('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(deps, 'node_modules')]);
  symlinkSync(join(deps, 'node_modules'), join(clone, 'node_modules'));
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(clone, 'package-lock.json'), later, later);
  h = makeInstallHome();
}, 120_000);
afterAll(() => {
  h.cleanup();
  rmSync(clone, { recursive: true, force: true });
  rmSync(deps, { recursive: true, force: true });
});

it('builds the clone and installs what it built', async () => {
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  const r = await runInstallSh(clone, h, ['--yes', '--no-doctor', '--no-service', '--no-shell']);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toContain('==> Building (npm run build)');
  expect(r.stdout).not.toContain('npm ci');
  expect(r.stdout).toContain('node_modules is a link; using the dependencies it points to as they are');
  expect(existsSync(join(deps, 'node_modules', 'vitest', 'package.json'))).toBe(true);
  expect(existsSync(join(clone, 'dist', 'cli.js'))).toBe(true);
  expect(existsSync(join(h.prefix, 'dist', 'cli.js'))).toBe(true);
  // The prefix holds the program, not the sources.
  expect(existsSync(join(h.prefix, 'src'))).toBe(false);
  expect((await run(h.link, ['--version'], { env: h.env })).stdout).toBe('0.1.0\n');
}, 300_000);
