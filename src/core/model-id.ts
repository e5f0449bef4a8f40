/**
 * Bedrock model ids as Claude Code passes them to Bedrock: inference profile ids (`us.anthropic.claude-...`),
 * ARNs, foundation model ids and Claude Code's aliases. Pure: says what an id is and whether it fits the
 * region in effect (a `us.` profile cannot be called from `eu-west-1`; an ARN names its own region).
 */

/** The geography prefixes of system-defined cross-region inference profiles. */
export const GEO_PREFIXES = ['us', 'eu', 'apac', 'jp', 'au', 'global', 'us-gov'] as const;
export type GeoPrefix = (typeof GEO_PREFIXES)[number];

/** Claude Code's model aliases: it maps them to its own default Bedrock inference profiles. */
const ALIASES = new Set(['default', 'sonnet', 'opus', 'haiku', 'opusplan', 'sonnet[1m]', 'opus[1m]']);

export type ModelIdKind =
  | 'alias'
  | 'inference-profile' // geo.provider.model
  | 'foundation-model' // provider.model, no geography
  | 'arn'
  | 'invalid';

export interface ParsedModelId {
  kind: ModelIdKind;
  /** For inference profiles (plain or in an ARN): the geography prefix. */
  geo?: GeoPrefix;
  /** For ARNs: the region and resource type (inference-profile, application-inference-profile, ...). */
  arnRegion?: string;
  arnResource?: string;
  /** The provider part (`anthropic`) when the id has one. */
  provider?: string;
  /** Why an id is invalid, in words. */
  reason?: string;
}

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const ARN_RE =
  /^arn:(aws|aws-us-gov|aws-cn):bedrock:([a-z0-9-]+):(\d{12})?:(inference-profile|application-inference-profile|foundation-model|provisioned-model|custom-model-deployment)\/([A-Za-z0-9._:-]+)$/;
const PROFILE_RE = /^(us-gov|us|eu|apac|jp|au|global)\.([a-z0-9-]+)\.([A-Za-z0-9._:-]+)$/;
const FOUNDATION_RE = /^([a-z0-9-]+)\.([A-Za-z0-9._:-]+)$/;
/** Anthropic's own API model names: they fail on Bedrock. */
const ANTHROPIC_API_NAME_RE = /^claude-[a-z0-9.-]+$/;

export function isValidRegion(region: string): boolean {
  return REGION_RE.test(region);
}

export function parseModelId(id: string): ParsedModelId {
  const trimmed = id.trim();
  if (trimmed === '') return { kind: 'invalid', reason: 'it is empty' };
  if (ALIASES.has(trimmed.toLowerCase())) return { kind: 'alias' };
  const arn = ARN_RE.exec(trimmed);
  if (arn) {
    const resource = arn[4]!;
    const inner = arn[5]!;
    const parsed: ParsedModelId = { kind: 'arn', arnRegion: arn[2]!, arnResource: resource };
    if (resource === 'inference-profile') {
      const p = PROFILE_RE.exec(inner);
      if (p) {
        parsed.geo = p[1] as GeoPrefix;
        parsed.provider = p[2]!;
      }
    } else if (resource === 'foundation-model') {
      parsed.provider = FOUNDATION_RE.exec(inner)?.[1];
    }
    return parsed;
  }
  if (trimmed.startsWith('arn:')) {
    return {
      kind: 'invalid',
      reason: 'it starts with arn: but is not a Bedrock model or inference profile ARN',
    };
  }
  const p = PROFILE_RE.exec(trimmed);
  if (p) return { kind: 'inference-profile', geo: p[1] as GeoPrefix, provider: p[2]! };
  if (ANTHROPIC_API_NAME_RE.test(trimmed)) {
    return {
      kind: 'invalid',
      reason:
        'it is an Anthropic API model name; Bedrock needs an inference profile id such as us.anthropic.claude-sonnet-4-6',
    };
  }
  const f = FOUNDATION_RE.exec(trimmed);
  if (f && !trimmed.includes(' ')) {
    const unknownGeo = /^[a-z]{2,6}\.[a-z0-9-]+\./.test(trimmed);
    if (unknownGeo) {
      return {
        kind: 'invalid',
        reason: `its prefix ${trimmed.split('.')[0]}. is not a known geography (${GEO_PREFIXES.join('., ')}.)`,
      };
    }
    return { kind: 'foundation-model', provider: f[1]! };
  }
  return {
    kind: 'invalid',
    reason: 'it is neither an inference profile id (us.anthropic.claude-...) nor a Bedrock ARN',
  };
}

/** The geography prefixes whose profiles can be called from `region` (empty for an unknown region). */
export function geoPrefixesForRegion(region: string): GeoPrefix[] {
  if (region.startsWith('us-gov-')) return ['us-gov'];
  if (region.startsWith('cn-') || region.includes('-iso')) return [];
  const out: GeoPrefix[] = ['global'];
  if (region.startsWith('us-')) out.unshift('us');
  else if (region.startsWith('eu-')) out.unshift('eu');
  else if (region.startsWith('ap-')) {
    out.unshift('apac');
    if (region === 'ap-northeast-1' || region === 'ap-northeast-3') out.unshift('jp');
    if (region === 'ap-southeast-2' || region === 'ap-southeast-4') out.unshift('au');
  }
  return out;
}

export type RegionFit = { fits: true } | { fits: false; reason: string };

/** Whether a parsed id can be called from `region`. Aliases and foundation ids fit any region here. */
export function regionFit(parsed: ParsedModelId, region: string): RegionFit {
  if (parsed.kind === 'arn' && parsed.arnRegion && parsed.arnRegion !== region) {
    return { fits: false, reason: `the ARN is in ${parsed.arnRegion} but the region in effect is ${region}` };
  }
  if (parsed.geo) {
    const allowed = geoPrefixesForRegion(region);
    if (!allowed.includes(parsed.geo)) {
      const hint = allowed.length
        ? ` (from ${region} use a ${allowed.map((g) => `${g}.`).join(' or ')} profile)`
        : '';
      return {
        fits: false,
        reason: `a ${parsed.geo}. inference profile cannot be called from ${region}${hint}`,
      };
    }
  }
  return { fits: true };
}

/** The same model id with its geography prefix swapped for one that fits `region`, if there is one. */
export function suggestForRegion(id: string, region: string): string | undefined {
  const p = PROFILE_RE.exec(id.trim());
  if (!p) return undefined;
  const target = geoPrefixesForRegion(region)[0];
  if (!target || target === p[1]) return undefined;
  return `${target}.${p[2]}.${p[3]}`;
}
