import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type WatchEvent, Watcher } from '../../src/daemon/watcher.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let home: TempHome | undefined;
let watcher: Watcher | undefined;
afterEach(async () => {
  await watcher?.close();
  home?.cleanup();
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for a watch event');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watcher', () => {
  it('sees a cache file appear in a directory that does not exist yet, and follows ~/.aws deleted and re-created', async () => {
    home = makeTempHome();
    const cache = join(home.home, '.aws', 'sso', 'cache');
    const config = join(home.home, '.aws', 'config');
    const events: WatchEvent[] = [];
    watcher = new Watcher((e) => events.push(e));
    await watcher.setTargets({ files: [config], dirs: [cache] });

    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'a.json'), '{}');
    await until(() => events.some((e) => e.path.endsWith('a.json') || e.kind === 'rescan'));

    // Now the cache dir is watched directly: a change is reported as such.
    events.length = 0;
    await new Promise((r) => setTimeout(r, 200));
    writeFileSync(join(cache, 'b.json'), '{}');
    await until(() => events.some((e) => e.kind === 'dir-entry' && e.path === join(cache, 'b.json')));

    rmSync(join(home.home, '.aws'), { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 300));
    events.length = 0;
    mkdirSync(cache, { recursive: true });
    writeFileSync(config, '[profile x]\n');
    await until(() => events.some((e) => e.kind === 'rescan' || e.path === config));
    await new Promise((r) => setTimeout(r, 300));
    events.length = 0;
    writeFileSync(join(cache, 'c.json'), '{}');
    await until(() => events.some((e) => e.kind === 'dir-entry' && e.path === join(cache, 'c.json')));
    writeFileSync(config, '[profile y]\n');
    await until(() => events.some((e) => e.kind === 'file' && e.path === config));
  });

  it('reports only the target files, not their neighbours', async () => {
    home = makeTempHome();
    const settings = home.write('.claude/settings.json', {});
    const events: WatchEvent[] = [];
    watcher = new Watcher((e) => events.push(e));
    await watcher.setTargets({ files: [settings], dirs: [] });
    home.write('.claude/history.jsonl', 'x\n');
    home.write('.claude/settings.json', { env: { AWS_PROFILE: 'dev' } });
    await until(() => events.some((e) => e.path === settings));
    expect(events.filter((e) => e.path.endsWith('history.jsonl'))).toEqual([]);
  });
});
