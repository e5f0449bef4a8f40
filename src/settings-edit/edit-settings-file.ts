/**
 * Apply edits to one Claude Code settings file: refuse invalid JSON (file:line:col) before touching
 * anything, keep every byte the edits do not concern, back the old content up to `<file>.bak`, or into
 * `backupDir` (our state directory: a `.bak` in a repo is too easily committed), one backup per file,
 * replaced on each edit that changes it; write atomically keeping the mode.
 * A symlinked settings file (dotfiles repos) is edited at its target, so the link survives.
 * `dryRun` computes the same result and a unified diff and writes nothing.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { sanitizeLine } from '../core/sanitize.js';
import {
  BedrockProfileError,
  describeFsError,
  ExitCode,
  FileAccessError,
  InvalidValueError,
} from '../errors.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { parseJson } from '../fs/parse-json.js';
import { readTextFile } from '../fs/read-text-file.js';
import {
  appendJsonArrayItem,
  type JsonPath,
  NotAnObjectError,
  removeJsonArrayItem,
  setJsonValue,
} from './json-edit.js';
import { unifiedDiff } from './unified-diff.js';

export interface SettingsEdit {
  path: JsonPath;
  /** The new value; undefined removes the key. */
  value: unknown;
  /** `append`: add `value` to the array at `path`; `remove-item`: remove element `index` of it. */
  op?: 'set' | 'append' | 'remove-item';
  index?: number;
}

export interface EditResult {
  /** The file as named by the caller. */
  file: string;
  /** The file actually written (the symlink target when `file` is a link). */
  target: string;
  created: boolean;
  changed: boolean;
  before: string | undefined;
  after: string;
  /** Unified diff, empty when nothing changes. */
  diff: string;
  /** The backup written, when an existing file changed and this was not a dry run. */
  backup?: string;
}

export interface EditOptions {
  dryRun?: boolean;
  /** Mode for a settings directory we create (e.g. 0o700 for ~/.claude). */
  dirMode?: number;
  /**
   * The file must stay inside this directory (a repo's root): a symlink (the file or a directory on its
   * way) that points outside it is refused, unless `followOutside`. A hostile repo's link could point
   * at ~/.claude/settings.json or the SSO token cache.
   */
  containedIn?: string;
  followOutside?: boolean;
  /** Keep the backup here (created 0700) rather than beside the file. */
  backupDir?: string;
}

/** The backup's path: beside the file, or in `dir` named after the whole path (`%2F` for `/`). */
export function backupPath(target: string, dir?: string): string {
  if (dir === undefined) return `${target}.bak`;
  const name = target.replace(/%/g, '%25').replace(/\//g, '%2F');
  if (Buffer.byteLength(name) <= 240) return join(dir, `${name}.bak`);
  // Too long for a file name: the base name and a hash of the whole path.
  const hash = createHash('sha256').update(target).digest('hex').slice(0, 16);
  return join(dir, `${basename(target).slice(0, 64)}-${hash}.bak`);
}

async function resolveTarget(file: string): Promise<string> {
  try {
    return await fsp.realpath(file);
  } catch {
    return file;
  }
}

/**
 * Where a write to `file` lands: its real path, also for a file that does not exist yet (the real path of
 * its nearest existing directory, plus the rest) and for a dangling link (where it points).
 */
async function landingPath(file: string, depth = 0): Promise<string> {
  try {
    return await fsp.realpath(file);
  } catch {
    if (depth > 40) return file;
    const link = await fsp.readlink(file).catch(() => undefined);
    if (link !== undefined) return landingPath(resolve(dirname(file), link), depth + 1);
    const parent = dirname(file);
    return parent === file ? file : join(await landingPath(parent, depth + 1), basename(file));
  }
}

/** Pure part: validate `before` (already read) and apply the edits. */
export async function computeEdit(
  file: string,
  before: string | undefined,
  edits: readonly SettingsEdit[],
): Promise<string> {
  const hasContent = before !== undefined && before.trim() !== '';
  if (hasContent) {
    const data = await parseJson(before, file);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new InvalidValueError(
        file,
        '(top level)',
        'is not a JSON object; Claude Code ignores it: make it an object such as {"env": {}}',
      );
    }
  }
  let text = hasContent ? before : '{}\n';
  for (const edit of edits) {
    try {
      text =
        edit.op === 'append'
          ? appendJsonArrayItem(text, edit.path, edit.value)
          : edit.op === 'remove-item'
            ? removeJsonArrayItem(text, edit.path, edit.index ?? -1)
            : setJsonValue(text, edit.path, edit.value);
    } catch (err) {
      if (err instanceof NotAnObjectError) {
        throw new InvalidValueError(
          file,
          err.path.join('.') || '(top level)',
          'is not a JSON object; make it an object (e.g. "env": {}) and run the command again',
        );
      }
      throw err;
    }
  }
  return text;
}

export async function editSettingsFile(
  file: string,
  edits: readonly SettingsEdit[],
  opts: EditOptions = {},
): Promise<EditResult> {
  const target = await resolveTarget(file);
  if (opts.containedIn !== undefined && !opts.followOutside) {
    const root = await resolveTarget(opts.containedIn);
    const lands = await landingPath(file);
    if (lands !== root && !lands.startsWith(root.endsWith('/') ? root : `${root}/`)) {
      throw new BedrockProfileError(
        sanitizeLine(
          `${file} is a symbolic link (or under one) that points to ${lands}, outside ${opts.containedIn}; nothing written. Replace the link with a file, or pass --follow-symlinks to edit ${lands}`,
        ),
        ExitCode.badInput,
      );
    }
  }
  const before = await readTextFile(target);
  const after = await computeEdit(file, before, edits);
  const changed = before !== after;
  const diff = changed
    ? unifiedDiff(before ?? '', after, before === undefined ? '/dev/null' : file, file)
    : '';
  const result: EditResult = { file, target, created: before === undefined, changed, before, after, diff };
  if (!changed || opts.dryRun) return result;
  const fix = 'check that the directory exists and is writable, then run the command again';
  if (before !== undefined) {
    const backup = backupPath(target, opts.backupDir);
    try {
      const mode = (await fsp.stat(target)).mode & 0o7777;
      await atomicWriteFile(backup, before, { mode, mkdirMode: 0o700 });
    } catch (err) {
      throw new FileAccessError(
        backup,
        `cannot be written (${describeFsError(err)})`,
        `${fix}; ${target} is unchanged`,
      );
    }
    result.backup = backup;
  }
  try {
    await atomicWriteFile(target, after, opts.dirMode !== undefined ? { mkdirMode: opts.dirMode } : {});
  } catch (err) {
    throw new FileAccessError(
      target,
      `cannot be written (${describeFsError(err)})`,
      `${fix}; the file is unchanged`,
    );
  }
  return result;
}
