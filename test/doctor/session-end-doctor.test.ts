/**
 * doctor and the session's end, as the real CLI in the guide's temp HOME: the `sso-session` check shows
 * the end and warns within an hour of it (fix: login --renew); `legacy-sso` names every legacy profile in
 * use (here and in the repos the hooks know) with `migrate` as the fix.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { resolvePaths } from '../../src/platform/paths.js';
import { sessionLifeFile } from '../../src/state/session-life.js';
import { runCli } from '../support/run-cli.js';
import { AWS_CONFIG, type GuideHome, makeGuideHome } from './setup-home.js';

let home: GuideHome;
afterEach(() => home?.cleanup());

interface Check {
  id: string;
  status: string;
  detail: string;
  fix?: string;
}
async function checks(cwd: string): Promise<Check[]> {
  const r = await runCli(['doctor', '--json'], { env: home.env, cwd });
  return JSON.parse(r.stdout).checks as Check[];
}

describe('doctor: the session end', () => {
  test('a known end within the hour: warn, with login --renew as the fix', async () => {
    home = makeGuideHome();
    home.env.XDG_STATE_HOME = join(home.root, 'state');
    home.env.XDG_CONFIG_HOME = join(home.root, 'config');
    home.signIn('corp', 30 * 60_000);
    const paths = resolvePaths(home.env);
    const fp = (await import('../../src/state/session-life.js')).fingerprint;
    // The sign-in 7 h 20 min ago was noted (its refresh token's fingerprint), the session lasts 8 h.
    home.write(sessionLifeFile(paths), {
      version: 1,
      sessions: {
        corp: {
          startedAt: Date.now() - 440 * 60_000,
          refreshFp: fp('refresh-corp'),
          clientFp: fp('client-corp'),
        },
      },
    });
    home.write(paths.configFile, { sessionDuration: '8h' });
    const c = (await checks(home.repo)).find((x) => x.id === 'sso-session')!;
    expect(c.status).toBe('warn');
    expect(c.detail).toMatch(/^corp: session ends \d\d:\d\d \(in (39|40)m\), refreshable$/);
    expect(c.fix).toBe('bedrock-profile login --profile dev --renew');
  });

  test('legacy profiles in use, here and in a known repo: one warning naming them, migrate as the fix', async () => {
    home = makeGuideHome();
    home.env.XDG_STATE_HOME = join(home.root, 'state');
    home.write(
      '.aws/config',
      `${AWS_CONFIG}\n[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 333333333333\nsso_role_name = Dev\nregion = us-east-1\n\n[profile older]\nsso_start_url = https://older.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 444444444444\nsso_role_name = Dev\nregion = us-east-1\n`,
    );
    const legacyRepo = home.mkdir('src/legacy');
    home.write('src/legacy/.claude/settings.json', { env: { AWS_PROFILE: 'older' } });
    home.write(resolvePaths(home.env).knownReposFile, { repos: [{ dir: legacyRepo, lastSeen: Date.now() }] });
    const app = home.mkdir('src/app');
    home.write('src/app/.claude/settings.json', { env: { AWS_PROFILE: 'old' } });
    const c = (await checks(app)).find((x) => x.id === 'legacy-sso')!;
    expect(c.status).toBe('warn');
    expect(c.detail).toBe(
      'old, older: legacy SSO (no refresh token): a fixed session and a new sign-in every time it ends',
    );
    expect(c.fix).toBe('bedrock-profile migrate old older (preview first with --dry-run)');
    const none = (await checks(home.repo)).find((x) => x.id === 'legacy-sso')!;
    expect(none.status).toBe('warn');
    expect(none.detail).toMatch(/^older: /);
  });
});
