/**
 * How a settings edit is reported: the diff for `--dry-run`, else one line naming the file and its backup.
 * Settings files hold no secrets we write, but their text is printed sanitised all the same.
 */
import type { Context } from '../context.js';
import { sanitizeForTerminal, sanitizeLine } from '../core/sanitize.js';
import type { EditResult } from './edit-settings-file.js';

export function printEditResult(ctx: Context, result: EditResult, dryRun: boolean): void {
  const file = sanitizeLine(result.file);
  if (!result.changed) {
    ctx.stdout.write(`${file}: already up to date; nothing written\n`);
    return;
  }
  if (dryRun) {
    ctx.stdout.write(sanitizeForTerminal(result.diff));
    ctx.stdout.write('dry run: nothing written\n');
    return;
  }
  const how = result.backup ? `previous version saved as ${sanitizeLine(result.backup)}` : 'new file';
  // A symlinked file is written where it points: say where.
  const via = result.target !== result.file ? `, a link to ${sanitizeLine(result.target)}` : '';
  ctx.stdout.write(`wrote ${file}${via} (${how})\n`);
}
