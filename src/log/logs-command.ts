/**
 * `logs`: print the last lines of the daemon's log (the rotated file first), readable, and with -f keep
 * following the file (across rotation) until SIGINT/SIGTERM.
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import type { Context } from '../context.js';
import { escapeControlsInJson, sanitizeLine } from '../core/sanitize.js';
import { UsageError } from '../errors.js';
import { ownedDir } from '../fs/owned-dir.js';
import { resolvePaths } from '../platform/paths.js';
import { daemonStartFix } from '../service/daemon-start-fix.js';
import { formatLogLine } from './format.js';

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await fsp.readFile(file);
  } catch {
    return Buffer.alloc(0);
  }
}

function toLines(buf: Buffer): string[] {
  return buf
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

export async function runLogsCommand(
  ctx: Context,
  opts: { follow?: boolean; lines: string; json?: boolean },
): Promise<number> {
  const n = Number(opts.lines);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--lines ${opts.lines}: must be a whole number; fix the value`);
  const { logFile } = resolvePaths(ctx.env);
  // Our own directory only (a planted log is not ours to show); JSON lines with every control, bidi and
  // invisible character escaped (the same JSON value; a line that is not JSON is sanitised).
  await ownedDir(dirname(logFile));
  const json = (line: string) => {
    try {
      JSON.parse(line);
      return escapeControlsInJson(line);
    } catch {
      return sanitizeLine(line);
    }
  };
  const show = (line: string) => ctx.stdout.write(`${opts.json ? json(line) : formatLogLine(line)}\n`);
  // One read of the current file: following starts at exactly the byte after what was shown, so a line
  // appended in between is neither lost nor shown twice.
  const current = await readBytes(logFile);
  const lines = [...toLines(await readBytes(`${logFile}.1`)), ...toLines(current)];
  if (lines.length === 0 && !opts.follow) {
    ctx.stderr.write(
      `bedrock-profile: no log yet at ${logFile} (the daemon writes it); start the daemon: ${daemonStartFix(ctx.env)}\n`,
    );
    return 0;
  }
  for (const l of n === 0 ? [] : lines.slice(-n)) show(l);
  if (!opts.follow) return 0;

  // Follow: read what was appended since, by size; a smaller file means it was rotated: start from 0.
  let offset = current.length;
  let partial = '';
  let busy = false;
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    const timer = setInterval(async () => {
      // An interval tick can outlast 250 ms on a busy machine: never read the same bytes twice.
      if (busy) return;
      busy = true;
      const s = await size(logFile);
      if (s < offset) offset = 0;
      const fh = s === offset ? undefined : await fsp.open(logFile, 'r').catch(() => undefined);
      if (!fh) {
        busy = false;
        return;
      }
      try {
        const buf = Buffer.alloc(s - offset);
        await fh.read(buf, 0, buf.length, offset);
        offset = s;
        const text = partial + buf.toString('utf8');
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        for (const l of parts) if (l.trim()) show(l);
      } finally {
        await fh.close();
        busy = false;
      }
    }, 250);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

async function size(file: string): Promise<number> {
  try {
    return (await fsp.stat(file)).size;
  } catch {
    return 0;
  }
}
