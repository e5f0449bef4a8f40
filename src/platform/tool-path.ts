/**
 * The PATH our spawned tools (aws, claude, systemctl, launchctl, bash) are looked up in: the user's PATH
 * without `.`, empty or other relative entries. An empty entry means the working directory, and commands
 * run inside repos (Claude Code runs `login` as awsAuthRefresh there): a repo's own `aws` or `claude`
 * must never run in its place. Pure.
 */
import { delimiter, isAbsolute } from 'node:path';
import type { Env } from '../context.js';

/** PATH with only absolute entries, in order. */
export function safePath(path: string | undefined): string {
  return (path ?? '')
    .split(delimiter)
    .filter((dir) => isAbsolute(dir))
    .join(delimiter);
}

/** The environment for a child we spawn by name: the same, with PATH made safe. */
export function withSafePath(env: Env): Env {
  return env.PATH === undefined ? env : { ...env, PATH: safePath(env.PATH) };
}
