/**
 * Our refresh against other writers of the same cache file, hundreds of times. Readers must never see a
 * torn or empty file; an older token must never replace a newer one. Another process running our own
 * writer (a `refresh` while the daemon runs) and the real botocore writer (the aws CLI refreshing) are used.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeRefreshedToken } from '../../src/aws/token-cache-write.js';
import { parseRfc3339 } from '../../src/core/rfc3339.js';
import { writeSsoCache } from '../support/aws-fixtures.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

const SUPPORT = join(REPO_ROOT, 'test', 'daemon', 'support');
let home: TempHome | undefined;
afterEach(() => home?.cleanup());

function run(cmd: string, args: string[]): { done: Promise<string> } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  return {
    done: new Promise((resolve, reject) =>
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}`)),
      ),
    ),
  };
}

const BASE = Date.UTC(2026, 10, 24, 10, 0, 0);

function seed(h: TempHome): string {
  return writeSsoCache(h, 'corp', {
    accessToken: 'seed-Token-123',
    expiresAt: BASE,
    refreshToken: 'seed-Refresh-123',
    clientId: 'cid',
    clientSecret: 'seed-Secret-123',
    registrationExpiresAt: BASE + 90 * 86_400_000,
    region: 'us-east-1',
    startUrl: 'https://corp.awsapps.com/start',
  });
}

describe('cache write races', () => {
  it('against our own writer in another process: never torn, never older over newer, the newest wins', async () => {
    home = makeTempHome('bp-race-');
    const file = seed(home);
    const lockDir = join(home.root, 'locks');
    const stop = join(home.root, 'stop');
    const reader = run(process.execPath, [join(SUPPORT, 'race-reader.mjs'), file, stop]);
    const other = run(process.execPath, [
      join(SUPPORT, 'race-writer.mjs'),
      file,
      lockDir,
      '300',
      String(BASE),
      '100000',
      'other',
    ]);
    let mine = 0;
    let maxTried = 0;
    for (let i = 0; i < 300; i++) {
      const expiresAt = BASE + Math.floor(Math.random() * 100000) * 1000;
      maxTried = Math.max(maxTried, expiresAt);
      const r = await writeRefreshedToken({
        file,
        lockDir,
        now: Date.now,
        next: { accessToken: `mine-${i}`, expiresAt },
      });
      if (r.status === 'written') mine++;
    }
    const otherResult = JSON.parse(await other.done);
    writeFileSync(stop, '');
    const seen = JSON.parse(await reader.done);
    expect(seen.reads).toBeGreaterThan(100);
    expect(seen.torn).toBe(0);
    expect(seen.decreases).toBe(0);
    expect(mine + otherResult.written).toBeGreaterThan(2);
    const final = JSON.parse(readFileSync(file, 'utf8'));
    expect(parseRfc3339(final.expiresAt)).toBeGreaterThanOrEqual(Math.floor(maxTried / 1000) * 1000);
    // Unknown and untouched fields kept, mode 0600.
    expect(final.clientSecret).toBe('seed-Secret-123');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('against the real botocore writer (the aws CLI refreshing): never torn; a newer token on disk is never replaced', async () => {
    home = makeTempHome('bp-race-');
    const file = seed(home);
    const lockDir = join(home.root, 'locks');
    const stop = join(home.root, 'stop');
    const reader = run(process.execPath, [join(SUPPORT, 'race-reader.mjs'), file, stop]);
    // botocore's own JSONFileCache with its SSO dumps, as SSOTokenProvider writes after a refresh: each
    // token newer than the last. Ours are all older than botocore's first, so once botocore wrote, we must
    // never win again.
    const py = [
      'import sys, datetime',
      'from botocore.utils import JSONFileCache',
      'from botocore.tokens import _sso_json_dumps',
      'import json',
      'd, key, n, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])',
      'cache = JSONFileCache(d, dumps_func=_sso_json_dumps)',
      'cur = json.load(open(d + "/" + key + ".json"))',
      'for i in range(n):',
      '    cur["accessToken"] = "boto-%d" % i',
      '    cur["expiresAt"] = datetime.datetime.fromtimestamp(base + 10**6 + i, datetime.timezone.utc)',
      '    cache[key] = cur',
    ].join('\n');
    const dir = join(home.home, '.aws', 'sso', 'cache');
    const key = file.slice(dir.length + 1, -'.json'.length);
    let botoStarted = false;
    const ours = (async () => {
      let i = 0;
      let afterBoto = 0;
      let wonAfterBoto = 0;
      while (i < 600) {
        const before = JSON.parse(readFileSync(file, 'utf8'));
        const botoOnDisk = String(before.accessToken).startsWith('boto-');
        const r = await writeRefreshedToken({
          file,
          lockDir,
          now: Date.now,
          next: { accessToken: `mine-${i}`, expiresAt: BASE + (i + 1) * 1000 },
        });
        if (botoOnDisk) {
          afterBoto++;
          if (r.status === 'written') wonAfterBoto++;
        }
        if (botoStarted && afterBoto > 200) break;
        i++;
      }
      return { attempts: i, afterBoto, wonAfterBoto };
    })();
    await new Promise((r) => setTimeout(r, 30));
    botoStarted = true;
    await run('python3', ['-c', py, dir, key, '300', String(BASE / 1000)]).done.catch(async (e) => {
      // pyenv: the interpreter that has botocore is the one behind the aws script.
      throw e;
    });
    const result = await ours;
    writeFileSync(stop, '');
    const seen = JSON.parse(await reader.done);
    expect(seen.torn).toBe(0);
    expect(seen.reads).toBeGreaterThan(100);
    expect(result.afterBoto).toBeGreaterThan(0);
    expect(result.wonAfterBoto).toBe(0);
    const final = JSON.parse(readFileSync(file, 'utf8'));
    expect(final.accessToken).toMatch(/^boto-/);
  });
});
