/** Trust is keyed on (settings file, profile), several per file: unrelated edits keep it, a new profile asks again. */
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
    // Denying another profile of the same file keeps this one's trust (a branch names another profile).
    expect(trustState(denied, '/r/.claude/settings.json', 'ui-dev')).toBe('allowed');
    expect(statSync(paths.trustFile).mode & 0o777).toBe(0o600);
  });

  it('several profiles per file: allowing a second keeps the first; allowing after a deny lifts it', () => {
    const file = '/r/.claude/settings.json';
    let store = withAllowed({ allowed: [], denied: [] }, file, 'ui-dev', 1);
    store = withAllowed(store, file, 'data-prod', 2);
    expect(trustState(store, file, 'ui-dev')).toBe('allowed');
    expect(trustState(store, file, 'data-prod')).toBe('allowed');
    store = withDenied(store, file, 'data-prod', 3);
    expect(trustState(store, file, 'data-prod')).toBe('denied');
    expect(trustState(store, file, 'ui-dev')).toBe('allowed');
    store = withAllowed(store, file, 'data-prod', 4);
    expect(store.allowed.map((e) => e.profile)).toEqual(['ui-dev', 'data-prod']);
    expect(store.denied).toEqual([]);
  });

  it('a corrupt trust file is an error naming the file, not an empty trust list', async () => {
    const paths = resolvePaths(t.env, 'linux');
    t.write(paths.trustFile, '{"allowed": 3}');
    await expect(loadTrust(paths)).rejects.toThrow(`${paths.trustFile}: allowed: must be a list`);
  });
});
