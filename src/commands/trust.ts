/** `bedrock-profile trust list`: the settings files trusted (and denied), with their profile. */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Register } from './index.js';

export async function runTrustList(ctx: Context): Promise<number> {
  const { resolvePaths } = await import('../platform/paths.js');
  const { loadTrust } = await import('../hook/trust-store.js');
  const { sanitizeLine } = await import('../core/sanitize.js');
  const store = await loadTrust(resolvePaths(ctx.env));
  const rows = [
    ...store.allowed.map((e) => ({ state: 'allowed', ...e })),
    ...store.denied.map((e) => ({ state: 'denied', ...e })),
  ].sort((a, b) => a.file.localeCompare(b.file));
  if (rows.length === 0) {
    ctx.stdout.write("no repo is trusted yet; run 'bedrock-profile allow' in a repo to trust it\n");
    return 0;
  }
  const width = Math.max(7, ...rows.map((r) => r.profile.length));
  for (const r of rows) {
    ctx.stdout.write(
      `${r.state.padEnd(8)}${sanitizeLine(r.profile).padEnd(width + 2)}${sanitizeLine(r.file)}\n`,
    );
  }
  return 0;
}

export const registerTrust: Register = (program: Command, ctx: Context, setExit) => {
  const trust = program
    .command('trust')
    .description('the repos whose AWS_PROFILE the shell hooks may switch to');
  trust
    .command('list')
    .description('list trusted and denied settings files with their profile')
    .action(async () => {
      setExit(await runTrustList(ctx));
    });
};
