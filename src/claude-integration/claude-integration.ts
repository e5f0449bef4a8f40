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

/** The command word our entries use: `bedrock-profile` when it is on PATH, else the launcher's path. */
export function commandBase(env: Env, launcher: string): string {
  return onPath('bedrock-profile', env) ? 'bedrock-profile' : shellQuote(launcher);
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
  if (plan.userStatusLine?.replaced && !opts.dryRun && result.changed) {
    await atomicWriteFile(
      receiptFile(paths),
      `${JSON.stringify({ version: 1, settingsFile: file, replacedStatusLine: plan.userStatusLine.value })}\n`,
      { mode: 0o600, mkdirMode: 0o700 },
    );
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

export async function removeClaudeIntegration(ctx: Context, opts: { dryRun?: boolean }): Promise<number> {
  const paths = resolvePaths(ctx.env);
  const file = paths.claudeUserSettings;
  const receiptText = await readTextFile(receiptFile(paths)).catch(() => undefined);
  let replaced: unknown;
  try {
    const r = receiptText
      ? (JSON.parse(receiptText) as { settingsFile?: unknown; replacedStatusLine?: unknown })
      : undefined;
    if (r?.settingsFile === file) replaced = r.replacedStatusLine;
  } catch {
    // A damaged receipt: remove ours, restore nothing.
  }
  const settings = await readSettingsObject(file);
  const edits = planRemove(settings, replaced);
  if (edits.length === 0 && (await readTextFile(file).catch(() => undefined)) === undefined) {
    ctx.stdout.write(`${sanitizeLine(file)}: no such file; nothing to remove\n`);
    return 0;
  }
  const result = await editSettingsFile(file, edits, { dryRun: opts.dryRun });
  printEditResult(ctx, result, Boolean(opts.dryRun));
  if (!opts.dryRun && receiptText !== undefined) {
    const { rm } = await import('node:fs/promises');
    await rm(receiptFile(paths), { force: true });
  }
  return 0;
}
