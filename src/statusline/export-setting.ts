/**
 * The `awsCredentialExport` Claude Code reads where it started, for the status line: a setting, not an
 * environment variable, so it is not in the environment Claude Code gives the status line. Read
 * synchronously from the three files a user or repo writes (local at the git root > project in the start
 * directory > user); managed settings, which rarely set it, are left to `status`. A file that does not
 * parse or holds no string there counts as not setting it (the line never fails over a settings file).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../context.js';

const MAX_BYTES = 1024 * 1024;
const MAX_WALK_UP = 256;

function gitRoot(start: string): string | undefined {
  let dir = start;
  for (let i = 0; i < MAX_WALK_UP; i++) {
    try {
      const st = statSync(join(dir, '.git'));
      if (st.isDirectory() || st.isFile()) return dir;
    } catch {
      // Not here: one level up.
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function settingIn(file: string): string | undefined {
  try {
    if (statSync(file).size > MAX_BYTES) return undefined;
    const v = (JSON.parse(readFileSync(file, 'utf8')) as { awsCredentialExport?: unknown })
      .awsCredentialExport;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function awsCredentialExportAt(env: Env, startDir: string): string | undefined {
  const userDir = env.CLAUDE_CONFIG_DIR || (env.HOME ? join(env.HOME, '.claude') : undefined);
  const files = [
    join(gitRoot(startDir) ?? startDir, '.claude', 'settings.local.json'),
    join(startDir, '.claude', 'settings.json'),
    ...(userDir ? [join(userDir, 'settings.json')] : []),
  ];
  for (const f of files) {
    const v = settingIn(f);
    if (v !== undefined) return v;
  }
  return undefined;
}
