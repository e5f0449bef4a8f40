/**
 * What a command runs against: the environment, the working directory, the clock and the output streams.
 * Passed in (never read from globals below the CLI entry) so tests run commands in-process with fixture homes.
 */
import { logicalCwd } from './platform/logical-cwd.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Output {
  write(text: string): void;
  /** True when the stream is a terminal: colour and layout decisions hang on it. */
  readonly isTTY: boolean;
}

export interface Context {
  readonly env: Env;
  readonly cwd: string;
  /** The clock, in milliseconds since the epoch. */
  now(): number;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Overrides for fixed system paths (managed settings), for tests. Read from env by default. */
}

export function processContext(): Context {
  return {
    env: process.env,
    cwd: logicalCwd(process.env.PWD, process.cwd()),
    now: () => Date.now(),
    stdout: { write: (t) => void process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY) },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY) },
  };
}
