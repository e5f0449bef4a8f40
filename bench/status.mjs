#!/usr/bin/env node
/**
 * Start-up cost of `bedrock-profile status`: median wall time over N runs of the built binary in a
 * fixture HOME (a repo with settings, an SSO profile, a token cache entry), side by side with `node -e 0`.
 * Prints both medians and their ratio; target: status <= 150 ms. Run `npm run build` first.
 *   node bench/status.mjs [runs=30]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv[2] ?? 30);
const TARGET_MS = 150;
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'bedrock-profile.js');

const root = realpathSync(mkdtempSync(join(tmpdir(), 'bp-bench-status-')));
const home = join(root, 'home');
const write = (rel, text) => {
  const file = join(home, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};
write(
  '.claude/settings.json',
  JSON.stringify({ env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' } }),
);
write('src/acme/.claude/settings.json', JSON.stringify({ env: { AWS_PROFILE: 'acme' } }));
mkdirSync(join(home, 'src/acme/.git'), { recursive: true });
mkdirSync(join(home, 'src/acme/packages/web'), { recursive: true });
write(
  '.aws/config',
  '[profile acme]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
);
write(
  `.aws/sso/cache/${createHash('sha1').update('corp').digest('hex')}.json`,
  JSON.stringify({
    accessToken: 'x',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    refreshToken: 'r',
    clientId: 'c',
    clientSecret: 's',
    region: 'us-east-1',
    startUrl: 'https://corp.awsapps.com/start',
  }),
);
const env = {
  PATH: process.env.PATH,
  HOME: home,
  BEDROCK_PROFILE_MANAGED_DIR: join(root, 'managed'),
  NO_COLOR: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const cwd = join(home, 'src/acme');

function median(args) {
  const times = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i >= 2) times.push(ms); // two warm-up runs (disk cache)
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

try {
  // Interleave-free but side by side: the baseline first, then each status form.
  const node = median(['-e', '0']);
  const status = median([bin, 'status']);
  const json = median([bin, 'status', '--json']);
  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  console.log(`runs per command      ${RUNS}`);
  console.log(`node -e 0             ${fmt(node)}`);
  console.log(`status                ${fmt(status)}  (${(status / node).toFixed(2)}x node)`);
  console.log(`status --json         ${fmt(json)}  (${(json / node).toFixed(2)}x node)`);
  console.log(`target                <= ${TARGET_MS} ms: ${status <= TARGET_MS ? 'met' : 'NOT met'}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
