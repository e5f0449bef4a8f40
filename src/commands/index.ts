/**
 * The list of subcommands. Each module defines its options and a lazy action (heavy modules such as the
 * AWS SDK clients are imported inside the action, so `status` and `resolve` start fast).
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';

export type SetExit = (code: number) => void;
export type Register = (program: Command, ctx: Context, setExit: SetExit) => void;

const registrars: Register[] = [];

export function registerCommands(program: Command, ctx: Context, setExit: SetExit): void {
  for (const register of registrars) register(program, ctx, setExit);
}
