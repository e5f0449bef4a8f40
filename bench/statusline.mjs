#!/usr/bin/env node
/**
 * Cost of `bedrock-profile statusline` (Claude Code runs it after every assistant message): median wall
 * time over N runs of the built binary, Claude Code's JSON on stdin, in a fixture HOME (an SSO profile, a
 * refreshable token, the profile facts cache warm), interleaved with `node -e 0` so both see the same
 * machine load. Target: <= 1.2x `node -e 0`. Run `npm run build` first.
 *   node bench/statusline.mjs [runs=30]
 * BENCH_BASELINE=/path/to/another/checkout (built) adds that checkout's binary to the same interleaved
 * runs ("before"), so a change is judged against the same machine state.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv[2] ?? 30);
const TARGET_RATIO = 1.2;
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'bedrock-profile.js');
const BASELINE = process.env.BENCH_BASELINE;
const before = BASELINE ? join(BASELINE, 'bin', 'bedrock-profile.js') : undefined;

const root = realpathSync(mkdtempSync(join(tmpdir(), 'bp-bench-statusline-')));
const home = join(root, 'home');
const write = (rel, text) => {
  const file = join(home, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};
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
mkdirSync(join(home, 'src/acme'), { recursive: true });
// What Claude Code 2.1 pipes to the status line (trimmed to the fields it always sends).
const input = JSON.stringify({
  session_id: '6d1e8047-7c40-4c18-9a06-5602383d012d',
  transcript_path: join(home, '.claude/projects/x/6d1e8047.jsonl'),
  cwd: join(home, 'src/acme'),
  model: { id: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', display_name: 'Sonnet 4.5' },
  workspace: { current_dir: join(home, 'src/acme'), project_dir: join(home, 'src/acme'), added_dirs: [] },
  version: '2.1.335',
  output_style: { name: 'default' },
  cost: { total_cost_usd: 0.01, total_duration_ms: 1000, total_api_duration_ms: 500 },
  exceeds_200k_tokens: false,
});
// Claude Code's own environment, its settings' env applied.
const env = {
  PATH: process.env.PATH,
  HOME: home,
  CLAUDE_CODE_USE_BEDROCK: '1',
  AWS_PROFILE: 'acme',
  AWS_REGION: 'us-east-1',
  ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const cwd = join(home, 'src/acme');

function once(args, stdin) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, cwd, input: stdin, stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout.toString() };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const first = once([bin, 'statusline'], input); // fills the profile facts cache
  const node = [];
  const ours = [];
  const base = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const n = once(['-e', '0'], '');
    const s = once([bin, 'statusline'], input);
    const b = before ? once([before, 'statusline'], input) : undefined;
    if (i >= 2) {
      node.push(n.ms);
      ours.push(s.ms);
      if (b) base.push(b.ms);
    }
  }
  const n = median(node);
  const s = median(ours);
  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  console.log(`line                  ${JSON.stringify(first.out.trim())}`);
  console.log(`runs per command      ${RUNS} (interleaved)`);
  console.log(`node -e 0             ${fmt(n)}`);
  console.log(`statusline            ${fmt(s)}  (${(s / n).toFixed(2)}x node)`);
  if (before) {
    const b = median(base);
    console.log(`before (baseline)     ${fmt(b)}  (${(b / n).toFixed(2)}x node)`);
  }
  console.log(
    `target                <= ${TARGET_RATIO}x node -e 0: ${s / n <= TARGET_RATIO ? 'met' : 'NOT met'}`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
