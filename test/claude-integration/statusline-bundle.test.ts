/**
 * The status line's one-file bundle (dist/statusline.bundle.cjs, made by `npm run build` with
 * scripts/bundle-statusline.mjs): it is what the build makes from the current sources, it needs no npm
 * package (never the AWS SDK) and no other module of ours on a warm run. The behaviour itself is tested
 * through the launcher, which loads this bundle (statusline.test.ts).
 */

import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { REPO_ROOT, runCli, runProcess } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const BUNDLE = join(REPO_ROOT, 'dist', 'statusline.bundle.cjs');

let t: TempHome;
beforeEach(() => {
  t = makeTempHome('bp-statusline-bundle-');
});
afterEach(() => t.cleanup());

describe('statusline bundle', () => {
  it('is what the build makes from the compiled sources in dist/', async () => {
    const out = join(t.root, 'again.cjs');
    const r = await runProcess(
      process.execPath,
      [join(REPO_ROOT, 'scripts', 'bundle-statusline.mjs'), '--out', out],
      { env: t.env, cwd: REPO_ROOT },
      60_000,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(BUNDLE, 'utf8'));
  });

  it('requires only Node built-ins; its one dynamic import is a module in dist/ (a facts cache miss)', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    const required = [...text.matchAll(/\brequire\(\s*(['"])([^'"]+)\1\s*\)/g)].map((m) => m[2]!);
    expect(required.length).toBeGreaterThan(0);
    for (const spec of required) expect(builtinModules).toContain(spec.replace(/^node:/, ''));
    const imported = [...text.matchAll(/\bimport\(\s*(['"])([^'"]+)\1\s*\)/g)].map((m) => m[2]!);
    expect(imported).toEqual(['./statusline/facts-cache.js']);
    for (const spec of imported) expect(existsSync(resolve(dirname(BUNDLE), spec))).toBe(true);
    expect(text).not.toMatch(/@aws-sdk|@smithy/);
  });

  it('a warm status line runs from the launcher and the bundle alone: no node_modules, no other module', async () => {
    writeAwsConfig(
      t,
      '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    writeSsoCache(t, 'corp', {
      accessToken: 'SEKRITaccess',
      expiresAt: Date.now() + 3 * 3_600_000 + 150_000,
      refreshToken: 'SEKRITrefresh',
      clientId: 'cid',
      clientSecret: 'SEKRITsecret',
      region: 'us-east-1',
    });
    const env = { ...t.env, CLAUDE_CODE_USE_BEDROCK: '1', AWS_PROFILE: 'dev', AWS_REGION: 'eu-west-1' };
    const input = JSON.stringify({ workspace: { current_dir: t.home, project_dir: t.home } });
    // The full install fills the profile facts cache...
    const full = await runCli(['statusline'], { env, input });
    expect(full.stderr).toBe('');
    expect(full.stdout).toBe('dev 111122223333 · eu-west-1 · 3h 2m\n');
    // ...then a copy with only bin/ and the bundle prints the same line.
    const copy = join(t.root, 'install');
    mkdirSync(join(copy, 'bin'), { recursive: true });
    mkdirSync(join(copy, 'dist'));
    for (const f of ['bin/bedrock-profile.js', 'bin/package.json', 'dist/statusline.bundle.cjs'])
      copyFileSync(join(REPO_ROOT, f), join(copy, f));
    const alone = await runProcess(
      process.execPath,
      [join(copy, 'bin', 'bedrock-profile.js'), 'statusline'],
      {
        env,
        input,
      },
    );
    expect(alone.stderr).toBe('');
    expect(alone.code).toBe(0);
    expect(alone.stdout).toBe(full.stdout);
  });
});
