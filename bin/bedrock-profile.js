#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/. Kept tiny so start-up stays fast.
import { main } from '../dist/cli.js';

// The AWS SDK v3 prints a Node-version support warning to stderr on Node 20 the first time a client is
// built. Our output (and Claude Code's, when it runs `login` as awsAuthRefresh) must stay clean: use the
// SDK's documented opt-out for this process, unless the user chose a value.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await main(process.argv);
