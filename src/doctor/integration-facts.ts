/**
 * The Claude Code integration as doctor sees it (I/O): our statusLine and hooks in the user settings,
 * whether the command they run exists, and what can switch them off from other settings files Claude
 * Code started here reads: a `statusLine` in a higher scope (project, local, managed) shadows the user's;
 * `disableAllHooks: true` anywhere turns off hooks and the status line.
 */
import { accessSync, constants } from 'node:fs';
import { onPath } from '../claude-integration/claude-integration.js';
import { INTEGRATION_HOOKS, isOurCommand } from '../claude-integration/integration-plan.js';
import type { Env } from '../context.js';
import type { ResolvedSettings } from '../core/types.js';
import { readTextFile } from '../fs/read-text-file.js';

export interface IntegrationFacts {
  /** Our statusLine is the user settings' one. */
  statusLine: boolean;
  /** The user settings have a statusLine of their own (not ours). */
  userStatusLine: boolean;
  /** Events with our hook in the user settings. */
  hooks: string[];
  /** The command our entries run, and whether it exists. */
  command?: string;
  commandFound?: boolean;
  /** Files above the user file that set statusLine. */
  shadowedBy: string[];
  /** Files that set disableAllHooks: true. */
  disabledBy: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

async function readObj(file: string): Promise<Obj | undefined> {
  try {
    const v: unknown = JSON.parse((await readTextFile(file)) ?? '');
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The first word of a command line, unquoted. */
function firstWord(command: string): string {
  const m = /^\s*(?:'([^']*)'|"([^"]*)"|(\S+))/.exec(command);
  return m?.[1] ?? m?.[2] ?? m?.[3] ?? '';
}

function commandExists(word: string, env: Env): boolean {
  if (!word.includes('/')) return onPath(word, env) !== undefined;
  try {
    accessSync(word, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function integrationFacts(
  settings: ResolvedSettings,
  userFile: string,
  env: Env,
): Promise<IntegrationFacts> {
  const files = settings.files.filter((f) => f.status === 'ok');
  const datas = await Promise.all(files.map((f) => readObj(f.file)));
  const user =
    datas[files.findIndex((f) => f.scope === 'user' && f.file === userFile)] ?? (await readObj(userFile));
  const facts: IntegrationFacts = {
    statusLine: false,
    userStatusLine: false,
    hooks: [],
    shadowedBy: [],
    disabledBy: [],
  };
  const commands: string[] = [];
  const sl = user?.statusLine;
  if (isObj(sl) && isOurCommand(sl.command, 'statusline')) {
    facts.statusLine = true;
    commands.push(String(sl.command));
  } else if (sl !== undefined) facts.userStatusLine = true;
  const hooks = isObj(user?.hooks) ? (user.hooks as Obj) : {};
  for (const h of INTEGRATION_HOOKS) {
    const groups = Array.isArray(hooks[h.event]) ? (hooks[h.event] as unknown[]) : [];
    const entry = groups
      .flatMap((g) => (isObj(g) && Array.isArray(g.hooks) ? g.hooks : []))
      .find((e) => isObj(e) && isOurCommand(e.command, `claude-hook ${h.arg}`)) as Obj | undefined;
    if (entry) {
      facts.hooks.push(h.event);
      commands.push(String(entry.command));
    }
  }
  if (commands[0] !== undefined) {
    facts.command = firstWord(commands[0]);
    facts.commandFound = commandExists(facts.command, env);
  }
  files.forEach((f, i) => {
    const d = datas[i];
    if (!d) return;
    if (d.disableAllHooks === true) facts.disabledBy.push(f.file);
    if (f.scope !== 'user' && d.statusLine !== undefined && facts.statusLine) facts.shadowedBy.push(f.file);
  });
  return facts;
}
