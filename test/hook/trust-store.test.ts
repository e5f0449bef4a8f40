/** Trust is keyed on (settings file, profile): unrelated edits keep it, a new profile asks again. */
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTrust, saveTrust, trustState, withAllowed, withDenied } from '../../src/hook/trust-store.js';
import { resolvePaths } from '../../src/platform/paths.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let t: TempHome;
beforeEach(() => {
  t = makeTempHome('bp-trust-');
});
afterEach(() => t.cleanup());

describe('trust store', () => {
  it('allow, then a different profile in the same file is unknown again; deny stops the asking', async () => {
    const paths = resolvePaths(t.env, 'linux');
    let store = await loadTrust(paths);
    expect(store).toEqual({ allowed: [], denied: [] });
    store = withAllowed(store, '/r/.claude/settings.json', 'ui-dev', 1);
    await saveTrust(paths, store);
    const loaded = await loadTrust(paths);
    expect(trustState(loaded, '/r/.claude/settings.json', 'ui-dev')).toBe('allowed');
    expect(trustState(loaded, '/r/.claude/settings.json', 'prod')).toBe('unknown');
    expect(trustState(loaded, '/other/.claude/settings.json', 'ui-dev')).toBe('unknown');
    const denied = withDenied(loaded, '/r/.claude/settings.json', 'prod', 2);
    expect(trustState(denied, '/r/.claude/settings.json', 'prod')).toBe('denied');
    expect(trustState(denied, '/r/.claude/settings.json', 'ui-dev')).toBe('unknown');
    expect(statSync(paths.trustFile).mode & 0o777).toBe(0o600);
  });

  it('a corrupt trust file is an error naming the file, not an empty trust list', async () => {
    const paths = resolvePaths(t.env, 'linux');
    t.write(paths.trustFile, '{"allowed": 3}');
    await expect(loadTrust(paths)).rejects.toThrow(`${paths.trustFile}: allowed: must be a list`);
  });
});
