#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/. Kept tiny so start-up stays fast. CommonJS
// (bin/package.json): on Node 20 an ES module entry alone costs about a sixth of `node -e 0`, too much
// for the status line; every other command loads the ES modules in dist/ with import().
'use strict';

// The AWS SDK v3 prints a Node-version support warning to stderr on Node 20 the first time a client is
// built. Our output (and Claude Code's, when it runs `login` as awsAuthRefresh) must stay clean: use the
// SDK's documented opt-out for this process, unless the user chose a value.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const argv = process.argv;

// Claude Code's `statusline` (after every assistant message): one file, made by `npm run build` from
// dist/statusline/ (scripts/bundle-statusline.mjs), so Node loads no other module of ours.
if (argv[2] === 'statusline' && argv.length === 3) {
  require('../dist/statusline.bundle.cjs')
    .statuslineFast()
    .then((code) => {
      process.exitCode = code;
    });
} else {
  launch().then((code) => {
    process.exitCode = code;
  });
}

async function launch() {
  const isResolve = argv[2] === 'resolve';
  // Node >= 22.1 can keep the compiled code of our modules between runs: in our cache directory, never in
  // the install. Only for `resolve`, the hooks' first visit to a repo, where start-up is the whole cost;
  // other commands leave no cache behind. Best effort: no cache directory (HOME unset or relative) means none.
  const module = isResolve ? require('node:module') : undefined;
  if (typeof module?.enableCompileCache === 'function') {
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

  // The shell hooks' `resolve` (a first visit to a repo) and Claude Code's `claude-hook <event>` without
  // commander and the other commands; any other argument form falls through to the full CLI.
  const fast = isResolve
    ? await (await import('../dist/commands/resolve-fast.js')).resolveFast(argv.slice(3))
    : argv[2] === 'claude-hook' && argv.length === 4 && !argv[3].startsWith('-')
      ? await (await import('../dist/commands/claude-hook.js')).claudeHookFast(argv[3])
      : undefined;
  return fast ?? (await (await import('../dist/cli.js')).main(argv));
}
