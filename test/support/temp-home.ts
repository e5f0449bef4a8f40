/**
 * A throwaway HOME for a test: real files in a temp dir, and an environment that points every path the
 * tool, the AWS SDK, the aws CLI and Claude Code read into it. Never the developer's real files.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempHome {
  /** The temp root; `home` is inside it, and so is `managedDir`. */
  root: string;
  home: string;
  managedDir: string;
  /** A clean environment: PATH, HOME, XDG dirs and managed settings pointed into the temp root. */
  env: Record<string, string>;
  /** Write a file relative to home (or absolute), creating parents. Objects are JSON-encoded. */
  write(rel: string, content: string | object, mode?: number): string;
  mkdir(rel: string): string;
  cleanup(): void;
}

export function makeTempHome(prefix = 'bp-test-'): TempHome {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const home = join(root, 'home');
  const managedDir = join(root, 'managed');
  mkdirSync(home, { recursive: true });
  mkdirSync(managedDir, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    BEDROCK_PROFILE_MANAGED_DIR: managedDir,
    // No real AWS ever: metadata service off, and no accidental real endpoints.
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    // The test machines are containers (so `auto` would pick the device code): pin the sign-in method;
    // the sign-in-method tests set or delete it.
    BEDROCK_PROFILE_SIGN_IN: 'browser',
  };
  const abs = (rel: string) => (rel.startsWith('/') ? rel : join(home, rel));
  return {
    root,
    home,
    managedDir,
    env,
    write(rel, content, mode) {
      const file = abs(rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(
        file,
        typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
        mode !== undefined ? { mode } : {},
      );
      return file;
    },
    mkdir(rel) {
      const dir = abs(rel);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
