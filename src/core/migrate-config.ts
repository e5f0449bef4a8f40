/**
 * Rewrite legacy SSO profiles (sso_start_url and sso_region in the profile, no sso_session) to the
 * sso-session form, which has a refresh token: the profile's `sso_start_url` line becomes
 * `sso_session = NAME`, its `sso_region` line goes, and one `[sso-session NAME]` per start URL and region
 * (with `sso_registration_scopes = sso:account:access`) is appended, or an existing one for the same URL
 * and region is reused. Every other byte stays: comments, blank lines, order, other profiles, the line
 * endings (LF or CRLF, per line) and a missing final newline. Pure: text in, text out.
 */

export interface LegacyProfile {
  name: string;
  startUrl: string;
  region: string;
}

export interface MigrationPlan {
  text: string;
  /** Profile → the sso-session it now uses. */
  migrated: Array<{ profile: string; session: string; startUrl: string; region: string; created: boolean }>;
  /** Named profiles that were not migrated, and why. */
  skipped: Array<{ profile: string; why: string }>;
}

interface Line {
  text: string;
  /** The line's own ending: '\n', '\r\n' or '' (the last line without one). */
  eol: string;
}

interface Section {
  /** Index of the header line. */
  start: number;
  /** One past the last line of the section. */
  end: number;
  kind: 'profile' | 'sso-session' | 'other';
  name: string;
}

export const REGISTRATION_SCOPES = 'sso:account:access';

function splitKeepingEol(text: string): Line[] {
  const out: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r(?!\n)|$)/g;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null && m[0] !== '') {
    out.push({ text: m[1]!, eol: m[2]! });
    if (m[2] === '') break;
    m = re.exec(text);
  }
  return out;
}

const HEADER = /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/;
const KEY = /^([^\s=#;[][^=]*?)\s*=\s*(.*?)\s*$/;

function sectionsOf(lines: Line[]): Section[] {
  const out: Section[] = [];
  lines.forEach((l, i) => {
    const m = HEADER.exec(l.text);
    if (!m) return;
    if (out.length) out[out.length - 1]!.end = i;
    const raw = m[1]!;
    const prof = /^profile\s+(.+)$/.exec(raw);
    const sess = /^sso-session\s+(.+)$/.exec(raw);
    out.push({
      start: i,
      end: lines.length,
      kind: prof || raw === 'default' ? 'profile' : sess ? 'sso-session' : 'other',
      name: prof ? prof[1]!.trim() : sess ? sess[1]!.trim() : raw,
    });
  });
  return out;
}

/** key → [line index, value] of a section's own keys (not indented continuation lines). */
function keysOf(lines: Line[], s: Section): Map<string, [number, string]> {
  const out = new Map<string, [number, string]>();
  for (let i = s.start + 1; i < s.end; i++) {
    const t = lines[i]!.text;
    if (/^\s/.test(t)) continue;
    const m = KEY.exec(t);
    if (m) out.set(m[1]!.trim().toLowerCase(), [i, m[2]!]);
  }
  return out;
}

/** The legacy SSO profiles of a config file (the section form botocore and the JS SDK read). */
export function legacyProfiles(text: string): LegacyProfile[] {
  const lines = splitKeepingEol(text);
  const out: LegacyProfile[] = [];
  for (const s of sectionsOf(lines)) {
    if (s.kind !== 'profile') continue;
    const k = keysOf(lines, s);
    const url = k.get('sso_start_url')?.[1];
    const region = k.get('sso_region')?.[1];
    if (url && region && !k.has('sso_session')) out.push({ name: s.name, startUrl: url, region });
  }
  return out;
}

/** A session name from the start URL: https://my-org.awsapps.com/start → my-org. */
export function sessionNameFor(startUrl: string): string {
  let host = '';
  try {
    host = new URL(startUrl).hostname;
  } catch {
    host = startUrl;
  }
  const label = host.split('.')[0] ?? '';
  const clean = label.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return clean || 'sso';
}

const normUrl = (u: string) => u.trim().replace(/\/+$/, '').replace(/#.*$/, '');

export function migrateConfig(text: string, only?: string[]): MigrationPlan {
  const lines = splitKeepingEol(text);
  const sections = sectionsOf(lines);
  const legacy = legacyProfiles(text);
  const skipped: MigrationPlan['skipped'] = [];
  let chosen = legacy;
  if (only && only.length > 0) {
    chosen = [];
    for (const name of only) {
      const p = legacy.find((l) => l.name === name);
      if (p) chosen.push(p);
      else {
        const s = sections.find((x) => x.kind === 'profile' && x.name === name);
        skipped.push({
          profile: name,
          why: !s
            ? 'no such profile in the config file'
            : keysOf(lines, s).has('sso_session')
              ? 'already uses an sso_session'
              : 'not an SSO profile with sso_start_url and sso_region',
        });
      }
    }
  }
  // Existing sso-sessions, by URL and region; the names taken.
  const existing = new Map<string, string>();
  const taken = new Set<string>();
  const needScopes = new Map<string, Section>();
  for (const s of sections) {
    if (s.kind !== 'sso-session') continue;
    taken.add(s.name);
    const k = keysOf(lines, s);
    const url = k.get('sso_start_url')?.[1];
    const region = k.get('sso_region')?.[1];
    if (url && region && !existing.has(`${normUrl(url)} ${region}`)) {
      existing.set(`${normUrl(url)} ${region}`, s.name);
      if (!k.has('sso_registration_scopes')) needScopes.set(s.name, s);
    }
  }
  const eol = lines.find((l) => l.eol !== '')?.eol ?? '\n';
  const created: Array<{ name: string; url: string; region: string }> = [];
  const migrated: MigrationPlan['migrated'] = [];
  const replace = new Map<number, string | null>();
  const scopesAfter = new Map<number, string>();
  const used = new Set<number>();
  for (const p of chosen) {
    const key = `${normUrl(p.startUrl)} ${p.region}`;
    let name = existing.get(key);
    const isNew = name === undefined;
    if (name === undefined) {
      const base = sessionNameFor(p.startUrl);
      name = base;
      if (taken.has(name)) name = `${base}-${p.region}`;
      for (let n = 2; taken.has(name); n++) name = `${base}-${p.region}-${n}`;
      taken.add(name);
      existing.set(key, name);
      created.push({ name, url: p.startUrl, region: p.region });
    } else if (needScopes.has(name)) {
      const s = needScopes.get(name)!;
      const k = keysOf(lines, s);
      const after = Math.max(...[...k.values()].map(([i]) => i), s.start);
      scopesAfter.set(after, `sso_registration_scopes = ${REGISTRATION_SCOPES}`);
      needScopes.delete(name);
    }
    // The section holding the legacy keys (a name may appear twice; botocore merges duplicates).
    const s = sections.find((x) => {
      const k =
        x.kind === 'profile' && x.name === p.name && !used.has(x.start) ? keysOf(lines, x) : undefined;
      return k?.has('sso_start_url') && k.has('sso_region') && !k.has('sso_session');
    })!;
    used.add(s.start);
    const k = keysOf(lines, s);
    const urlLine = k.get('sso_start_url')![0];
    const regionLine = k.get('sso_region')![0];
    replace.set(Math.min(urlLine, regionLine), `sso_session = ${name}`);
    replace.set(Math.max(urlLine, regionLine), null);
    migrated.push({ profile: p.name, session: name, startUrl: p.startUrl, region: p.region, created: isNew });
  }
  let out = '';
  lines.forEach((l, i) => {
    const r = replace.get(i);
    if (r === null) return;
    out += (r ?? l.text) + (l.eol === '' && scopesAfter.has(i) ? eol : l.eol);
    const extra = scopesAfter.get(i);
    if (extra !== undefined) out += extra + (l.eol === '' ? '' : eol);
  });
  if (created.length > 0) {
    // The file's last line may have no newline: end it before appending (a new final line keeps none).
    const lastEol = lines.length ? lines[lines.length - 1]!.eol : eol;
    if (lines.length && lastEol === '') out += eol;
    const blocks = created.map((c) =>
      [
        `[sso-session ${c.name}]`,
        `sso_start_url = ${c.url}`,
        `sso_region = ${c.region}`,
        `sso_registration_scopes = ${REGISTRATION_SCOPES}`,
      ].join(eol),
    );
    const sep = out === '' || out.endsWith(`${eol}${eol}`) ? '' : eol;
    out += sep + blocks.join(eol + eol) + (lastEol === '' && lines.length ? '' : eol);
  }
  // A removed last line must not add a final newline the file did not have.
  const endedBare = lines.length > 0 && lines[lines.length - 1]!.eol === '';
  if (endedBare && created.length === 0 && out.endsWith(eol) && !text.endsWith(eol))
    out = out.slice(0, -eol.length);
  return { text: out, migrated, skipped };
}
