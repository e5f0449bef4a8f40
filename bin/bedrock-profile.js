#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/. Kept tiny so start-up stays fast.
import module from 'node:module';

// The AWS SDK v3 prints a Node-version support warning to stderr on Node 20 the first time a client is
// built. Our output (and Claude Code's, when it runs `login` as awsAuthRefresh) must stay clean: use the
// SDK's documented opt-out for this process, unless the user chose a value.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const isResolve = process.argv[2] === 'resolve';

// Node >= 22.1 can keep the compiled code of our modules between runs: in our cache directory, never in
// the install. Only for `resolve`, the hooks' first visit to a repo, where start-up is the whole cost;
// other commands leave no cache behind. Best effort: no cache directory (HOME unset or relative) means none.
if (isResolve && typeof module.enableCompileCache === 'function') {
  try {
    const { resolvePaths } = await import('../dist/platform/paths.js');
    const { ownedDirSync } = await import('../dist/fs/owned-dir.js');
    const { cacheDir } = resolvePaths(process.env);
    // Only in our own cache directory: code cached by another user is never loaded.
    if (ownedDirSync(cacheDir, { create: true })) module.enableCompileCache(`${cacheDir}/compile-cache`);
  } catch {
    // The command itself reports a bad HOME.
  }
}

// The shell hooks' `resolve` (a first visit to a repo), Claude Code's `statusline` (after every
// assistant message) and `claude-hook <event>` without commander and the other commands; any other
// argument form falls through to the full CLI.
const fast = isResolve
  ? await (await import('../dist/commands/resolve-fast.js')).resolveFast(process.argv.slice(3))
  : process.argv[2] === 'statusline' && process.argv.length === 3
    ? await (await import('../dist/statusline/run-statusline.js')).statuslineFast()
    : process.argv[2] === 'claude-hook' && process.argv.length === 4 && !process.argv[3].startsWith('-')
      ? await (await import('../dist/commands/claude-hook.js')).claudeHookFast(process.argv[3])
      : undefined;
process.exitCode = fast ?? (await (await import('../dist/cli.js')).main(process.argv));
