/**
 * Pinned models: every model variable Claude Code reads, and the `model` setting, must be an inference
 * profile id or ARN whose geography fits the region in effect. A wrong one makes every message fail
 * (the guide's "every message fails" row).
 */
import {
  type GeoPrefix,
  isValidRegion,
  parseModelId,
  regionFit,
  suggestForRegion,
} from '../core/model-id.js';
import { type CheckResult, fail, pass, warn } from './check.js';
import { usesMantle } from './checks-settings.js';
import { shown, tilde } from './describe.js';
import type { DoctorFacts } from './facts.js';

/** The model variables, and the `models` flag that pins each. */
export const MODEL_VARIABLES: ReadonlyArray<{ name: string; flag?: string }> = [
  { name: 'ANTHROPIC_MODEL', flag: '--pin' },
  { name: 'ANTHROPIC_DEFAULT_OPUS_MODEL' },
  { name: 'ANTHROPIC_DEFAULT_SONNET_MODEL', flag: '--sonnet' },
  { name: 'ANTHROPIC_DEFAULT_HAIKU_MODEL', flag: '--haiku' },
  { name: 'ANTHROPIC_SMALL_FAST_MODEL' },
];

interface Pinned {
  name: string;
  flag?: string;
  value: string;
  where: string;
}

function pinnedModels(f: DoctorFacts): Pinned[] {
  const home = f.shellEnv.HOME;
  const out: Pinned[] = [];
  for (const v of MODEL_VARIABLES) {
    const s = f.settings.env[v.name];
    const value = s ? s.value : f.shellEnv[v.name];
    if (!value) continue;
    const where = s?.file ? tilde(s.file, home) : 'this shell';
    out.push({ ...v, value, where });
  }
  const m = f.settings.model;
  if (m) out.push({ name: 'model', value: m.value, where: m.file ? tilde(m.file, home) : m.scope });
  // modelOverrides: Anthropic model id → Bedrock id; Claude Code takes the whole map of the highest file
  // that sets it (files are listed highest first).
  const withOverrides = f.files.find(
    (x) =>
      x.status === 'ok' && isObject(x.data) && isObject((x.data as Record<string, unknown>).modelOverrides),
  );
  if (withOverrides) {
    const map = (withOverrides.data as { modelOverrides: Record<string, unknown> }).modelOverrides;
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string' || value === '') continue;
      out.push({ name: `modelOverrides.${key}`, value, where: tilde(withOverrides.file, home) });
    }
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fixFor(p: Pinned, suggestion: string | undefined): string {
  const id = suggestion ?? '<inference-profile-id>';
  if (p.name.startsWith('modelOverrides.')) {
    return `set "${p.name}" to ${suggestion ? JSON.stringify(suggestion) : 'an id from `bedrock-profile models`'} in ${p.where}`;
  }
  if (p.flag)
    return `bedrock-profile models ${p.flag} ${id}   (\`bedrock-profile models\` lists the ids for your region)`;
  return `set "${p.name}" to ${suggestion ? JSON.stringify(suggestion) : 'an id from `bedrock-profile models`'} in ${p.where}`;
}

/** Claude Code's main model on Bedrock when nothing pins one (Claude Code 2.1.335: the opus alias). */
export const DEFAULT_MAIN_ALIAS = 'opus';

/**
 * Whether a pinned model carries the conversation: ANTHROPIC_MODEL and `model` always; an alias pin
 * (ANTHROPIC_DEFAULT_OPUS_MODEL, ...) when the main model is that alias. Other pins serve background
 * work (titles, summaries, small-model calls): when they fail, Claude Code still answers
 * (test/conformance: ANTHROPIC_DEFAULT_HAIKU_MODEL that does not fit the region).
 */
function carriesConversation(p: Pinned, f: DoctorFacts): boolean {
  if (p.name === 'ANTHROPIC_MODEL' || p.name === 'model') return true;
  // An override replaces one Anthropic model id; whether that is the main model depends on the release's
  // default ids, which are not modelled: only a warning.
  if (p.name.startsWith('modelOverrides.')) return false;
  const main = (
    f.settings.env.ANTHROPIC_MODEL?.value ??
    f.shellEnv.ANTHROPIC_MODEL ??
    f.settings.model?.value ??
    DEFAULT_MAIN_ALIAS
  )
    .trim()
    .toLowerCase()
    .replace(/\[1m\]$/, '');
  const alias = /^ANTHROPIC_DEFAULT_(OPUS|SONNET|HAIKU)_MODEL$/.exec(p.name)?.[1]?.toLowerCase();
  return alias !== undefined && (main === alias || (main === 'default' && alias === DEFAULT_MAIN_ALIAS));
}

/** The values Claude Code 2.1.335 accepts for ANTHROPIC_BEDROCK_REGION_PREFIX. */
const REGION_PREFIXES = ['us', 'eu', 'apac', 'jp', 'au', 'global'];

/**
 * ANTHROPIC_BEDROCK_REGION_PREFIX picks the geography of Claude Code's default model ids
 * (test/conformance: `global` in eu-west-1 gives global.anthropic...). One that does not serve the region
 * breaks the default models; Claude Code then picks another model of the region.
 */
export function checkRegionPrefix(f: DoctorFacts): CheckResult[] {
  const s = f.settings.env.ANTHROPIC_BEDROCK_REGION_PREFIX;
  const value = (s ? s.value : f.shellEnv.ANTHROPIC_BEDROCK_REGION_PREFIX)?.trim();
  if (!value) return [];
  const id = 'region-prefix';
  const title = 'ANTHROPIC_BEDROCK_REGION_PREFIX';
  const where = s?.file ? tilde(s.file, f.shellEnv.HOME) : 'this shell';
  const fix = `set it to one of ${REGION_PREFIXES.join(', ')} that serves the region, or remove it (${where})`;
  if (!REGION_PREFIXES.includes(value)) {
    return [
      warn(
        id,
        title,
        `${JSON.stringify(shown(value))} (${where}) is not one Claude Code accepts (${REGION_PREFIXES.join(', ')})`,
        fix,
      ),
    ];
  }
  const region = f.region.value && isValidRegion(f.region.value) ? f.region.value : undefined;
  if (region) {
    const fit = regionFit({ kind: 'inference-profile', geo: value as GeoPrefix }, region);
    if (!fit.fits) {
      // Claude Code 2.1.335 then falls back to a model from the region's inference profiles and still
      // answers (test/conformance), so this is a warning.
      return [
        warn(
          id,
          title,
          `${value} (${where}): ${fit.reason}; the default models fail and Claude Code falls back to another model of the region`,
          fix,
        ),
      ];
    }
  }
  return [pass(id, title, `${value} (${where}): the default models use ${value}. profiles`)];
}

export function checkModels(f: DoctorFacts): CheckResult[] {
  const pinned = pinnedModels(f);
  if (pinned.length === 0) {
    return [
      pass(
        'model-ids',
        'pinned models',
        'none pinned: Claude Code uses its default Bedrock inference profiles',
      ),
      ...checkRegionPrefix(f),
    ];
  }
  const region = f.region.value && isValidRegion(f.region.value) ? f.region.value : undefined;
  const results = pinned.map((p): CheckResult => {
    const id = `model:${p.name}`;
    const title = p.name;
    const value = shown(p.value);
    const parsed = parseModelId(p.value);
    const main = carriesConversation(p, f);
    const verdict = (detail: string, fix: string) =>
      main
        ? fail(id, title, `${detail}; every message fails`, fix)
        : warn(
            id,
            title,
            `${detail}; the background calls that use it fail (Claude Code still answers)`,
            fix,
          );
    if (parsed.kind === 'invalid') {
      const s = region ? suggestFromName(p.value, region) : undefined;
      return verdict(`${value} (${p.where}): ${parsed.reason}`, fixFor(p, s));
    }
    if (parsed.kind === 'alias')
      return pass(
        id,
        title,
        `${value} (${p.where}): a Claude Code alias, mapped to its default Bedrock profile`,
      );
    if (region) {
      const fit = regionFit(parsed, region);
      if (!fit.fits) {
        return verdict(`${value} (${p.where}): ${fit.reason}`, fixFor(p, suggestForRegion(p.value, region)));
      }
    }
    if (parsed.kind === 'foundation-model' && usesMantle(f)) {
      // Mantle's ids carry no geography prefix (anthropic.claude-opus-5-5).
      return pass(id, title, `${value} (${p.where}): a Bedrock Mantle model id`);
    }
    if (parsed.kind === 'foundation-model') {
      return warn(
        id,
        title,
        `${value} (${p.where}) is a foundation model id: recent Claude models answer on Bedrock only through an inference profile`,
        fixFor(p, region ? (suggestForRegion(`us.${p.value}`, region) ?? `us.${p.value}`) : undefined),
      );
    }
    return pass(id, title, `${value} (${p.where})${region ? ` fits ${region}` : ''}`);
  });
  return [...results, ...checkRegionPrefix(f)];
}

/** `claude-sonnet-4-6` (an Anthropic API name) → `us.anthropic.claude-sonnet-4-6` for a us- region. */
function suggestFromName(value: string, region: string): string | undefined {
  const v = value.trim();
  if (!/^claude-[a-z0-9.-]+$/.test(v)) return undefined;
  return suggestForRegion(`us.anthropic.${v}`, region) ?? `us.anthropic.${v}`;
}
