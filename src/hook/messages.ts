/**
 * The lines the hooks print, decided here (the shells only print what `bedrock-profile resolve` says).
 * Each message starts with `bedrock-profile:`, says one thing (one variable or one group that shares a
 * fix, for the consumers it really affects) and ends with a fix in the user's shell. It is one line when
 * that fits in 80 columns, else the statement and the fix on their own lines, wrapped between words
 * with a two-space indent: a terminal never breaks a word of ours. Control characters are stripped.
 * docs/messages.md lists them.
 */

import { sanitizeLine } from '../core/sanitize.js';
import { shellFix, type UserShell } from '../core/shell-syntax.js';
import { combinedFix } from '../core/stray.js';
import type { Consumer, StrayFinding } from '../core/types.js';

const PREFIX = 'bedrock-profile: ';
const INDENT = '  ';
export const WIDTH = 80;

/** Break `text` between words so that no line is longer than WIDTH (a single longer word stays whole). */
function wrap(first: string, text: string): string[] {
  const out: string[] = [];
  let line = first;
  let fresh = true;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (!fresh && line.length + 1 + word.length > WIDTH) {
      out.push(line);
      line = INDENT + word;
    } else {
      line += fresh ? word : ` ${word}`;
    }
    fresh = false;
  }
  out.push(line);
  return out;
}

/** A message: one line if it fits, else the statement, then the fix indented (each wrapped at words). */
export function message(statement: string, fix?: string): string[] {
  const text = sanitizeLine(statement);
  if (fix === undefined) return wrap(PREFIX, text);
  const safeFix = sanitizeLine(fix);
  const one = `${PREFIX}${text}; fix: ${safeFix}`;
  if (one.length <= WIDTH) return [one];
  return [...wrap(PREFIX, text), ...wrap(`${INDENT}fix: `, safeFix)];
}

const WHO: Record<Consumer, string> = {
  'claude-here': 'Claude Code here',
  'claude-subdir': 'Claude Code in subdirectories',
  'aws-cli': 'aws',
  'aws-sso-login': 'aws sso login',
  'agent-commands': "the agent's aws commands",
};

function who(consumers: readonly Consumer[]): string {
  // `aws` already covers `aws sso login`.
  const list = consumers.filter((c) => !(c === 'aws-sso-login' && consumers.includes('aws-cli')));
  const names = list.map((c) => WHO[c]);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

const PROFILE = /^[A-Za-z0-9_.+=,@-]{1,128}$/;
const REGION = /^[a-z0-9-]{1,32}$/;
const KEY_NAMES = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
]);

export interface StrayContext {
  /** The shell's environment as the hook will leave it. */
  shellEnv: Readonly<Record<string, string | undefined>>;
  /** The profile the keys and tokens replace: the repo's, else the shell's, else `default`. */
  profile: string;
  /** The region in Claude Code's settings, when they set a valid one. */
  settingsRegion?: string;
  /** Claude Code's region (settings, else the shell's). */
  claudeRegion?: string;
  shell: UserShell;
}

/** `NAME=value` for a value we may show (a profile name or a region), else just `NAME`. */
function named(name: string, value: string | undefined, valid: RegExp): string {
  return value && valid.test(value) ? `${name}=${value}` : name;
}

function statement(group: readonly StrayFinding[], c: StrayContext): string {
  const names = group.map((f) => f.name);
  const first = names[0]!;
  const to = who(group[0]!.consumers);
  const v = (n: string) => c.shellEnv[n];
  const p = `'${c.profile}'`;
  if (KEY_NAMES.has(first)) {
    const pair = !!v('AWS_ACCESS_KEY_ID') && !!v('AWS_SECRET_ACCESS_KEY');
    if (!pair) return `${names.join(', ')} is set without its pair: aws fails ("Partial credentials")`;
    // The fix names the variables.
    return `static keys in this shell override profile ${p} for ${to}`;
  }
  switch (first) {
    case 'AWS_PROFILE':
      return `${named(first, v(first), PROFILE)} is not this repo's profile ${p} for ${to}`;
    case 'AWS_DEFAULT_PROFILE':
      return `${named(first, v(first), PROFILE)} overrides profile ${p} for ${to}`;
    case 'AWS_BEARER_TOKEN_BEDROCK':
      return `${first} replaces profile ${p} for ${to}`;
    case 'AWS_CONFIG_FILE':
      return `${first} points ${to} at another AWS config file`;
    case 'AWS_SHARED_CREDENTIALS_FILE':
      return `${first} points ${to} at another AWS credentials file`;
    case 'AWS_REGION':
      return `${named(first, v(first), REGION)} differs from the settings' region${c.settingsRegion ? ` ${c.settingsRegion}` : ''} for ${to}`;
    case 'AWS_DEFAULT_REGION':
      return `${named(first, v(first), REGION)} differs from Claude Code's region${c.claudeRegion ? ` ${c.claudeRegion}` : ''} for ${to}`;
    default:
      return `${names.join(', ')} affects ${to}`;
  }
}

/**
 * One message per variable, or per group of variables that share their consumers and their fix (the key
 * pair and its token). Groups made only of names in `said` (already said in this shell) are left out.
 */
export function strayLines(
  findings: readonly StrayFinding[],
  c: StrayContext,
  said: ReadonlySet<string> = new Set(),
): string[] {
  const groups = new Map<string, StrayFinding[]>();
  for (const f of findings) {
    const key = `${f.fix}\u0000${f.consumers.join(',')}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const out: string[] = [];
  for (const group of groups.values()) {
    if (group.every((f) => said.has(f.name))) continue;
    out.push(...message(statement(group, c), shellFix(combinedFix(group).join('; '), c.shell)));
  }
  return out;
}

/** A profile the hook will not switch to until the user says so. `now`: it just changed. */
export function untrustedLines(profile: string, file: string, now = false): string[] {
  return [
    ...message(
      now
        ? `the repo's profile is now '${profile}' (${file})`
        : `this repo uses AWS profile '${profile}' (${file})`,
    ),
    `${INDENT}switch to it: bedrock-profile allow; stop this message: bedrock-profile deny`,
  ];
}

export type ChangeOutcome = 'switched' | 'kept-by-hand' | 'denied' | 'warn-mode' | 'none';

/** The repo's profile changed while the shell was in it (an edit, a checkout, `use`): what the hook did. */
export function changedLines(
  profile: string | undefined,
  file: string | undefined,
  outcome: ChangeOutcome,
): string[] {
  if (profile === undefined || file === undefined) {
    return message('this repo no longer names an AWS profile; the hook no longer sets AWS_PROFILE here');
  }
  const what = `the repo's profile is now '${profile}' (${file})`;
  switch (outcome) {
    case 'switched':
      return message(`AWS_PROFILE=${profile} now (new in ${file})`);
    case 'kept-by-hand':
      return message(`${what}; your AWS_PROFILE, set by hand, stays`);
    case 'denied':
      return message(`${what}, denied here: not switched`, 'bedrock-profile allow');
    case 'warn-mode':
      return message(`${what}; mode "warn" in the config: not switched`);
    default:
      return message(what);
  }
}

/** One line, whatever its length (the file's path is what it is; issue 13 owns what is shown of the name). */
export function refusedLine(file: string, value: string, rule: string): string[] {
  const shown = value.length > 64 ? `${value.slice(0, 61)}...` : value;
  return [
    `${PREFIX}${sanitizeLine(`refusing AWS_PROFILE '${shown}' from ${file}: not a profile name (${rule}); fix the file`)}`,
  ];
}

export function noticeLine(text: string): string[] {
  return [`${PREFIX}${sanitizeLine(text)}`];
}
