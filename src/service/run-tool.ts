/**
 * Run a service-manager tool (launchctl, systemctl) and collect its output. Never throws for a non-zero
 * exit: callers decide what a code means. A missing tool becomes a clear error with the fix.
 */
import { execFile } from 'node:child_process';
import type { Env } from '../context.js';
import { BedrockProfileError, ExitCode } from '../errors.js';
import { withSafePath } from '../platform/tool-path.js';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runTool(tool: string, args: string[], env: Env, timeoutMs = 30_000): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      args,
      {
        env: withSafePath(env) as NodeJS.ProcessEnv,
        timeout: timeoutMs,
        maxBuffer: 1 << 20,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
        if (e && e.code === 'ENOENT') {
          reject(
            new BedrockProfileError(
              `${tool} was not found on PATH; ${tool === 'systemctl' ? 'this needs systemd (a user session)' : 'this needs macOS launchd'}, or run 'bedrock-profile daemon' yourself`,
              ExitCode.failure,
            ),
          );
          return;
        }
        const code = e ? (typeof e.code === 'number' ? e.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** One line of a tool's complaint, for an error message. */
export function toolComplaint(r: ToolResult): string {
  const text = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
  return text ? `${text} (exit ${r.code})` : `exit ${r.code}`;
}
