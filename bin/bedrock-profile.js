#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/. Kept tiny so start-up stays fast.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv);
