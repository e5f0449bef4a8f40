/**
 * `bedrock-profile install` and `uninstall` run install.sh: one implementation of every install step, in
 * bash, so that the uninstall works even when Node.js is gone. The script ships inside the installed
 * prefix; the receipt install.sh leaves there tells an installed copy from a clone.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '../context.js';
import { BedrockProfileError, ExitCode } from '../errors.js';
import { withSafePath } from '../platform/tool-path.js';

/** The package root: dist/service/installer.js → ../.. (the prefix when installed, the clone in development). */
export function packageRoot(): string {
  return fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
}

export const RECEIPT_NAME = '.install-receipt';

export function isInstalledPrefix(root: string): boolean {
  return existsSync(join(root, RECEIPT_NAME));
}

export function installScript(root: string): string {
  const script = join(root, 'install.sh');
  if (!existsSync(script)) {
    throw new BedrockProfileError(
      `${script} is missing, so this copy cannot install or uninstall itself; run install.sh from a clone of bedrock-profile`,
      ExitCode.io,
    );
  }
  return script;
}

/** Run install.sh with the terminal attached when there is one (it asks before changing things), else piped. */
export function runInstallScript(
  ctx: Context,
  args: string[],
  root: string = packageRoot(),
): Promise<number> {
  const script = installScript(root);
  const interactive = ctx.stdout.isTTY && ctx.stderr.isTTY;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], {
      cwd: ctx.cwd,
      env: withSafePath(ctx.env) as NodeJS.ProcessEnv,
      stdio: interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.setEncoding('utf8').on('data', (d: string) => ctx.stdout.write(d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => ctx.stderr.write(d));
    child.on('error', (err) =>
      reject(
        new BedrockProfileError(
          `cannot run bash ${script}: ${err.message}; install bash and run again`,
          ExitCode.failure,
        ),
      ),
    );
    child.on('close', (code) => {
      resolve(code === 0 ? ExitCode.ok : code === 2 ? ExitCode.usage : ExitCode.failure);
    });
  });
}
