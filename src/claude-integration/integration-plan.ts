/**
 * What `init --claude-integration` adds to Claude Code's user settings, and how to take exactly that
 * away again. Pure: the parsed settings in, edits for the byte-preserving editor out.
 *
 * Ours are recognised by their command: `<bedrock-profile> statusline` and `<bedrock-profile>
 * claude-hook <event>`, where <bedrock-profile> is the command name or a path ending in it (quoted or
 * not). A user's statusLine is never replaced without `force`; the user's hooks are never touched: ours
 * are appended to each event's list, and removal takes out our entries only (a group of ours as a whole,
 * an entry of ours that the user moved into a group of theirs on its own).
 */
import type { SettingsEdit } from '../settings-edit/edit-settings-file.js';

export interface IntegrationHook {
  event: 'SessionStart' | 'StopFailure' | 'CwdChanged';
  arg: 'session-start' | 'stop-failure' | 'cwd-changed';
  /** StopFailure's matcher is the error: only credential failures start us. */
  matcher?: string;
}

export const INTEGRATION_HOOKS: readonly IntegrationHook[] = [
  { event: 'SessionStart', arg: 'session-start' },
  { event: 'StopFailure', arg: 'stop-failure', matcher: 'authentication_failed|cloud_credential_error' },
  { event: 'CwdChanged', arg: 'cwd-changed' },
];

/** Seconds Claude Code waits for one of our hooks (they bound themselves to a few seconds). */
export const HOOK_TIMEOUT_S = 30;

const BASE = String.raw`(?:^|[\s/'"])bedrock-profile(?:\.js)?['"]?`;

export function isOurCommand(command: unknown, sub: string): boolean {
  if (typeof command !== 'string') return false;
  return new RegExp(`${BASE}\\s+${sub.replace(/ /g, '\\s+')}\\s*$`).test(command);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface InstallPlan {
  edits: SettingsEdit[];
  /** The user's statusLine, kept (no force) or replaced (force). */
  userStatusLine?: { replaced: boolean; value: unknown };
}

/** Where our entries are: [event, group index, entry index, whole group is ours]. */
function findOurs(settings: Obj, h: IntegrationHook): Array<[number, number, boolean]> {
  const list = isObj(settings.hooks) ? settings.hooks[h.event] : undefined;
  if (!Array.isArray(list)) return [];
  const out: Array<[number, number, boolean]> = [];
  list.forEach((group, gi) => {
    const entries = isObj(group) && Array.isArray(group.hooks) ? group.hooks : [];
    const ours = entries.map((e) => isObj(e) && isOurCommand(e.command, `claude-hook ${h.arg}`));
    ours.forEach((o, ei) => {
      if (o) out.push([gi, ei, ours.every(Boolean)]);
    });
  });
  return out;
}

export function planInstall(settings: Obj, base: string, force: boolean): InstallPlan {
  const edits: SettingsEdit[] = [];
  const plan: InstallPlan = { edits };
  const wanted = { type: 'command', command: `${base} statusline`, padding: 0 };
  const current = settings.statusLine;
  if (current === undefined) edits.push({ path: ['statusLine'], value: wanted });
  else if (isObj(current) && isOurCommand(current.command, 'statusline')) {
    if (current.command !== wanted.command)
      edits.push({ path: ['statusLine', 'command'], value: wanted.command });
  } else {
    plan.userStatusLine = { replaced: force, value: current };
    if (force) edits.push({ path: ['statusLine'], value: wanted });
  }
  for (const h of INTEGRATION_HOOKS) {
    const command = `${base} claude-hook ${h.arg}`;
    const found = findOurs(settings, h);
    if (found.length > 0) {
      // Already there: only a moved launcher changes the command.
      for (const [gi, ei] of found) {
        const list = (settings.hooks as Obj)[h.event] as Obj[];
        const entry = (list[gi]!.hooks as Obj[])[ei]!;
        if (entry.command !== command)
          edits.push({ path: ['hooks', h.event, gi, 'hooks', ei, 'command'], value: command });
      }
      continue;
    }
    const group = {
      ...(h.matcher ? { matcher: h.matcher } : {}),
      hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_S }],
    };
    edits.push({ path: ['hooks', h.event], value: group, op: 'append' });
  }
  return plan;
}

/**
 * Edits that remove what planInstall added. `replaced`: the user's statusLine that `--force` replaced,
 * put back. An event list or `hooks` object left empty by the removal goes too (we created it: the
 * user's own lists still hold their entries).
 */
export function planRemove(settings: Obj, replaced?: unknown): SettingsEdit[] {
  const edits: SettingsEdit[] = [];
  const sl = settings.statusLine;
  if (isObj(sl) && isOurCommand(sl.command, 'statusline'))
    edits.push({ path: ['statusLine'], value: replaced === undefined ? undefined : replaced });
  const hooks = isObj(settings.hooks) ? settings.hooks : undefined;
  let eventsLeft = hooks ? Object.keys(hooks).length : 0;
  for (const h of INTEGRATION_HOOKS) {
    const found = findOurs(settings, h);
    if (found.length === 0) continue;
    const list = hooks![h.event] as Obj[];
    const wholeGroups = new Set(found.filter(([, , whole]) => whole).map(([gi]) => gi));
    if (wholeGroups.size === list.length) {
      edits.push({ path: ['hooks', h.event], value: undefined });
      eventsLeft--;
      continue;
    }
    // Highest index first, so earlier indexes stay valid.
    for (const [gi, ei, whole] of [...found].sort((a, b) => b[0] - a[0] || b[1] - a[1])) {
      if (whole) {
        if (ei === 0)
          edits.push({ path: ['hooks', h.event], value: undefined, op: 'remove-item', index: gi });
      } else
        edits.push({ path: ['hooks', h.event, gi, 'hooks'], value: undefined, op: 'remove-item', index: ei });
    }
  }
  if (hooks && eventsLeft === 0) edits.push({ path: ['hooks'], value: undefined });
  return edits;
}
