/**
 * Read one settings file into a layer, or a file state saying why not. Never throws for a bad file:
 * one broken file must not hide what the others say.
 */

import type { SettingsLayer } from '../core/precedence.js';
import type { SettingsFileState } from '../core/types.js';
import { BedrockProfileError } from '../errors.js';
import { parseJson } from '../fs/parse-json.js';
import { readTextFile } from '../fs/read-text-file.js';
import type { SettingsCandidate } from './settings-locations.js';

export interface ReadSettingsResult {
  state: SettingsFileState;
  layer?: SettingsLayer;
}

export async function readSettingsFile(candidate: SettingsCandidate): Promise<ReadSettingsResult> {
  const { scope, file } = candidate;
  if (candidate.listError) return { state: { scope, file, status: 'invalid', error: candidate.listError } };
  try {
    const text = await readTextFile(file);
    if (text === undefined) return { state: { scope, file, status: 'missing' } };
    const data = await parseJson(text, file);
    return { state: { scope, file, status: 'ok' }, layer: { scope, file, data } };
  } catch (err) {
    if (err instanceof BedrockProfileError)
      return { state: { scope, file, status: 'invalid', error: err.message } };
    throw err;
  }
}
