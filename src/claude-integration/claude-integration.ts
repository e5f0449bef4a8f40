/**
 * `init --claude-integration`: merge our statusLine and hooks into Claude Code's user settings with the
 * byte-preserving editor (src/settings-edit/), and take them out again (`init --claude-integration
 * --remove`, and `uninstall` before it runs install.sh). When `--force` replaces a statusLine of the
 * user's, the old value is kept in `<stateDir>/claude-integration.json` and put back on removal.
 */

import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Context, Env } from '../context.js';
import { sanitizeLine } from '../core/sanitize.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { parseJson } from '../fs/parse-json.js';
import { readTextFile } from '../fs/read-text-file.js';
import { type Paths, resolvePaths } from '../platform/paths.js';
import { editSettingsFile } from '../settings-edit/edit-settings-file.js';
import { printEditResult } from '../settings-edit/print-edit.js';
import { planInstall, planRemove } from './integration-plan.js';

export function receiptFile(paths: Pick<Paths, 'stateDir'>): string {
  return join(paths.stateDir, 'claude-integration.json');
}

interface Receipt {
  version: 1;
  settingsFile: string;
  /** The install created the settings file. */
  created: boolean;
  /** The user's statusLine that `--force` replaced. */
  replacedStatusLine?: unknown;
}

/** The receipt for this settings file; a missing, damaged or other file's receipt counts as none. */
async function readReceipt(paths: Pick<Paths, 'stateDir'>, file: string): Promise<Receipt | undefined> {
  try {
    const r = JSON.parse((await readTextFile(receiptFile(paths))) ?? '') as Partial<Receipt>;
    return r?.version === 1 && r.settingsFile === file ? (r as Receipt) : undefined;
  } catch {
    return undefined;
  }
}

/** Is `name` an executable file in one of PATH's directories? */
export function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(':')) {
    if (!dir.startsWith('/')) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  return undefined;
}

const shellQuote = (s: string) => (/^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The command word our entries use: the absolute path of the `bedrock-profile` found on PATH (the link
 * install.sh makes, so a reinstall keeps it valid), else the running launcher's path. Absolute, because
 * Claude Code started from an IDE often has a PATH without ~/.local/bin.
 */
export function commandBase(env: Env, launcher: string): string {
  return shellQuote(onPath('bedrock-profile', env) ?? launcher);
}

async function readSettingsObject(file: string): Promise<Record<string, unknown>> {
  const text = await readTextFile(file);
  if (!text?.trim()) return {};
  const data = await parseJson(text, file);
  // A non-object top level is refused by the editor with its own message.
  return data !== null && typeof data === 'object' && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : {};
}

export async function installClaudeIntegration(
  ctx: Context,
  opts: { dryRun?: boolean; force?: boolean; launcher: string },
): Promise<number> {
  const paths = resolvePaths(ctx.env);
  const file = paths.claudeUserSettings;
  const settings = await readSettingsObject(file);
  const plan = planInstall(settings, commandBase(ctx.env, opts.launcher), Boolean(opts.force));
  const result = await editSettingsFile(file, plan.edits, { dryRun: opts.dryRun, dirMode: 0o700 });
  if (!opts.dryRun && result.changed) {
    // What removal needs to undo exactly: a file we created, a statusLine we replaced.
    const prior = await readReceipt(paths, file);
    const receipt: Receipt = { version: 1, settingsFile: file, created: prior?.created || result.created };
    const replaced = plan.userStatusLine?.replaced ? plan.userStatusLine.value : prior?.replacedStatusLine;
    if (replaced !== undefined) receipt.replacedStatusLine = replaced;
    await atomicWriteFile(receiptFile(paths), `${JSON.stringify(receipt)}\n`, {
      mode: 0o600,
      mkdirMode: 0o700,
    });
  }
  printEditResult(ctx, result, Boolean(opts.dryRun));
  if (plan.userStatusLine && !plan.userStatusLine.replaced) {
    const cmd = (plan.userStatusLine.value as { command?: unknown })?.command;
    ctx.stdout.write(
      `kept your statusLine${typeof cmd === 'string' ? ` (${sanitizeLine(cmd).slice(0, 80)})` : ''}; to show ours instead run "bedrock-profile init --claude-integration --force" (it is put back on removal), or add the output of "bedrock-profile statusline" to your own command (docs/claude-integration.md shows how)\n`,
    );
  }
  return 0;
}

export async function removeClaudeIntegration(
  ctx: Context,
  opts: { dryRun?: boolean; quiet?: boolean },
): Promise<number> {
  const paths = resolvePaths(ctx.env);
  const file = paths.claudeUserSettings;
  const receipt = await readReceipt(paths, file);
  const replaced = receipt?.replacedStatusLine;
  const settings = await readSettingsObject(file);
  const edits = planRemove(settings, replaced);
  if (edits.length === 0) {
    // `uninstall` asks quietly: most installs never added the integration.
    if (!opts.quiet)
      ctx.stdout.write(
        `${sanitizeLine(file)}: no statusLine or hooks of bedrock-profile; nothing to remove\n`,
      );
    return 0;
  }
  const result = await editSettingsFile(file, edits, { dryRun: opts.dryRun });
  const { rm } = await import('node:fs/promises');
  if (!opts.dryRun && receipt?.created && JSON.stringify(JSON.parse(result.after)) === '{}') {
    // We created the file and it holds nothing else now: it goes, with the backup our edits made.
    await rm(result.target, { force: true });
    await rm(`${result.target}.bak`, { force: true });
    ctx.stdout.write(`removed ${sanitizeLine(file)} (created by the integration, empty now)\n`);
  } else printEditResult(ctx, result, Boolean(opts.dryRun));
  if (!opts.dryRun) await rm(receiptFile(paths), { force: true });
  return 0;
}
