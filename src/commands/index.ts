/**
 * The list of subcommands. Each module defines its options and a lazy action (heavy modules such as the
 * AWS SDK clients are imported inside the action, so `status` and `resolve` start fast).
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { registerAllow } from './allow.js';
import { registerClaudeHook } from './claude-hook.js';
import { registerDaemon } from './daemon.js';
import { registerDeny } from './deny.js';
import { registerDoctor } from './doctor.js';
import { registerExport } from './export.js';
import { registerHook } from './hook.js';
import { registerInit } from './init.js';
import { registerInstall } from './install.js';
import { registerLogin } from './login.js';
import { registerLogs } from './logs.js';
import { registerMigrate } from './migrate.js';
import { registerModels } from './models.js';
import { registerPrompt } from './prompt.js';
import { registerRefresh } from './refresh.js';
import { registerResolve } from './resolve.js';
import { registerService } from './service.js';
import { registerStatus } from './status.js';
import { registerStatusline } from './statusline.js';
import { registerTrust } from './trust.js';
import { registerUninstall } from './uninstall.js';
import { registerUse } from './use.js';

export type SetExit = (code: number) => void;
export type Register = (program: Command, ctx: Context, setExit: SetExit) => void;

const registrars: Register[] = [
  registerStatus,
  registerHook,
  registerResolve,
  registerAllow,
  registerDeny,
  registerTrust,
  registerPrompt,
  registerDoctor,
  registerInit,
  registerUse,
  registerModels,
  registerService,
  registerInstall,
  registerUninstall,
  registerDaemon,
  registerLogin,
  registerRefresh,
  registerExport,
  registerLogs,
  registerMigrate,
  registerStatusline,
  registerClaudeHook,
];

export function registerCommands(program: Command, ctx: Context, setExit: SetExit): void {
  for (const register of registrars) register(program, ctx, setExit);
}
