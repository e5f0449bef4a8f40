/**
 * Fixes are printed in the syntax of the shell the user types them into: fish has no `unset` or
 * `export` (`set -e X`, `set -gx X v`). The shell is the hook's (`BEDROCK_PROFILE_HOOK`, exported by
 * every hook, so a child of a hooked shell knows it), else the login shell (`$SHELL`). Pure.
 */
import type { Env } from '../context.js';

export type UserShell = 'fish' | 'posix';

export function userShell(env: Env): UserShell {
  const hook = env.BEDROCK_PROFILE_HOOK;
  if (hook === 'fish') return 'fish';
  if (hook === 'zsh' || hook === 'bash') return 'posix';
  const login = env.SHELL ?? '';
  return /(^|\/)fish$/.test(login) ? 'fish' : 'posix';
}

/**
 * One fix in the user's shell: `unset A B` → `set -e A B`, `export A=v` → `set -gx A v`, each part of a
 * `; `-joined list. Anything else is left as it is (commands such as `bedrock-profile allow`).
 */
export function shellFix(fix: string, shell: UserShell): string {
  if (shell !== 'fish') return fix;
  return fix
    .split('; ')
    .map((part) => {
      if (part.startsWith('unset ')) return `set -e ${part.slice(6)}`;
      const m = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(part);
      return m ? `set -gx ${m[1]} ${m[2]}` : part;
    })
    .join('; ');
}
