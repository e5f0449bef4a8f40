/**
 * Known secret values for the audit and the hostile corpus: distinctive strings (a marker plus random hex)
 * planted in every place a secret can be, and a scanner that says which of them a text contains.
 * A leak is the whole value or any 12-character slice of it (a truncated or "partly redacted" print).
 */
import { randomBytes } from 'node:crypto';

export type SecretName =
  | 'cacheAccessToken'
  | 'cacheRefreshToken'
  | 'cacheClientSecret'
  | 'credentialsSecretKey'
  | 'credentialsSessionToken'
  | 'envSecretKey'
  | 'envSessionToken'
  | 'envBearerToken'
  | 'settingsSecretKey'
  | 'settingsSessionToken'
  | 'settingsBearerToken';

export type Secrets = Record<SecretName, string>;

const NAMES: SecretName[] = [
  'cacheAccessToken',
  'cacheRefreshToken',
  'cacheClientSecret',
  'credentialsSecretKey',
  'credentialsSessionToken',
  'envSecretKey',
  'envSessionToken',
  'envBearerToken',
  'settingsSecretKey',
  'settingsSessionToken',
  'settingsBearerToken',
];

/** Fresh values; each is unique, at least 40 characters, and shares no 16-character slice with another. */
export function makeSecrets(): Secrets {
  const out = {} as Secrets;
  for (const name of NAMES) out[name] = `SEKRIT${name}${randomBytes(16).toString('hex')}`;
  return out;
}

/** Slices this long of a secret count as a leak (a cut error message must not leave one either). */
export const LEAK_SLICE = 12;

/** Every LEAK_SLICE-character slice of a value, so a partial print is caught too. */
function slices(value: string): string[] {
  if (value.length <= LEAK_SLICE) return [value];
  const out: string[] = [];
  for (let i = 0; i + LEAK_SLICE <= value.length; i++) out.push(value.slice(i, i + LEAK_SLICE));
  return out;
}

/**
 * The names (or given labels) of the secrets found in `text`. `extra` adds values known only at run time
 * (tokens a refresh wrote, role credentials the fake issued), keyed by a label.
 */
export function findLeaks(text: string, secrets: Partial<Record<string, string>>): string[] {
  const hits: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (!value || value.length < LEAK_SLICE) continue;
    // The random part only: the readable prefix ("SEKRITenvSecretKey") may legitimately appear nowhere,
    // but a 12-char slice of the random part cannot appear by chance. The same for the readable prefix
    // of the hostile endpoint's tokens ("hostile-rt-").
    const random = value.replace(/^SEKRIT[A-Za-z]+|^hostile-[a-z]+-/, '');
    if (slices(random).some((s) => text.includes(s))) hits.push(name);
  }
  return hits;
}
