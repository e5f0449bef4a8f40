#!/usr/bin/env node
/**
 * Shell hook cost, ours against direnv's, in zsh, bash and fish, measured INSIDE one shell process (a loop
 * calling the hook function, timed with $EPOCHREALTIME; fish: `date +%s%N` around each loop), so shell
 * start-up is excluded for both alike.
 *
 *   npm run build && node bench/hook.mjs            # N=2000 prompts by default; --quick for a short run
 *
 * Cases: a prompt with no directory change; a `cd` between two already-known repos (the cd plus the
 * prompt hook; in zsh both tools also run on chpwd); a first visit (ours: no record yet, so
 * `bedrock-profile resolve` runs; direnv: every visit runs `direnv export`). Baselines: the same loop with
 * no hook, and `node -e ''` (what any Node spawn costs on this machine right now).
 * Ours also: cd between cached hostile repos (FIFO settings, 50 MB settings, a symlink loop, a directory
 * name with a newline and `$(...)`): must stay under 100 ms, like every cached case.
 *
 * BENCH_BASELINE=/path/to/another/checkout (built) adds a "before" column: that checkout's hooks and
 * binary, measured in the same run, so a change is judged against the same machine state.
 *
 * A shared VM's speed drifts by a factor of two within a minute, so the tools take turns: three rounds
 * (one with --quick), each measuring every tool once, and the table shows each tool's median round.
 * First visits are measured in the first round only (after it, every repo is known).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(REPO, 'bin', 'bedrock-profile.js');
const quick = process.argv.includes('--quick');
const N = quick ? 300 : 2000; // no-change prompts, ours
const M = quick ? 100 : 500; // cd round trips, ours
const ND = quick ? 30 : 200; // no-change prompts, direnv (each spawns direnv)
const MD = quick ? 10 : 50; // cd round trips, direnv
const FIRST = quick ? 3 : 8; // first visits

const root = realpathSync(mkdtempSync(join(tmpdir(), 'bp-bench-')));
const home = join(root, 'home');
mkdirSync(home);
const env = {
  PATH: `${join(root, 'bin')}:${process.env.PATH}`,
  HOME: home,
  LANG: 'C.UTF-8',
  LC_ALL: 'C',
  TERM: 'dumb',
  BEDROCK_PROFILE_MANAGED_DIR: join(root, 'managed'),
  BEDROCK_PROFILE_BIN: process.env.BENCH_BIN ?? BIN,
  AWS_EC2_METADATA_DISABLED: 'true',
  DIRENV_LOG_FORMAT: '',
  PS1: '',
};
mkdirSync(join(root, 'bin'));
symlinkSync(BIN, join(root, 'bin', 'bedrock-profile'));

function repo(rel, profile) {
  const dir = join(home, rel);
  mkdirSync(join(dir, '.git'), { recursive: true });
  mkdirSync(join(dir, '.claude'), { recursive: true });
  if (profile)
    writeFileSync(
      join(dir, '.claude', 'settings.json'),
      `${JSON.stringify({ env: { AWS_PROFILE: profile } })}\n`,
    );
  writeFileSync(join(dir, '.envrc'), `export AWS_PROFILE=${profile ?? 'x'}\n`);
  return dir;
}
const cli = (args, cwd) =>
  execFileSync(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'ignore', 'inherit'] });
const direnvAllow = (dir) => execFileSync('direnv', ['allow', dir], { env, stdio: 'ignore' });

const a = repo('repo-a', 'team-a');
const b = repo('repo-b', 'team-b');
for (const d of [a, b]) {
  cli(['allow'], d);
  direnvAllow(d);
}
const BASELINE = process.env.BENCH_BASELINE;
const fresh = {};
for (const shell of ['zsh', 'bash', 'fish']) {
  for (const tool of BASELINE ? ['ours', 'before', 'direnv'] : ['ours', 'direnv']) {
    fresh[`${shell}-${tool}`] = Array.from({ length: FIRST }, (_, i) => {
      const d = repo(`fresh-${shell}-${tool}-${i}`, `fresh-${i}`);
      cli(['allow'], d);
      direnvAllow(d);
      // `allow` wrote the record; a first visit has none.
      rmSync(
        join(home, '.cache', 'bedrock-profile', 'records', d.replace(/%/g, '%25').replace(/\//g, '%2F')),
      );
      return d;
    });
  }
}
// Hostile, for ours only.
const fifo = repo('hostile-fifo');
execFileSync('mkfifo', [join(fifo, '.claude', 'settings.json')]);
const huge = repo('hostile-huge');
writeFileSync(join(huge, '.claude', 'settings.json'), Buffer.alloc(50 * 1024 * 1024, 0x20));
const loop = repo('hostile-loop');
symlinkSync('settings.json', join(loop, '.claude', 'settings.json'));
const odd = repo('odd\nname $(touch pwned)', 'odd-profile');
cli(['allow'], odd);
const hostile = [fifo, huge, loop, odd];

/** A path as a $'...' literal: bytes as \xHH, nothing evaluated. */
const q = (p) => `$'${[...Buffer.from(p)].map((x) => `\\x${x.toString(16).padStart(2, '0')}`).join('')}'`;

/** A path as fish text: bytes as unquoted \\XHH escapes, nothing evaluated. */
const qf = (p) => [...Buffer.from(p)].map((x) => `\\X${x.toString(16).padStart(2, '0')}`).join('');

/** fish has no $EPOCHREALTIME: `date +%s%N` brackets each timed loop (one fork each side, not per call). */
function fishScript(tool, round) {
  const ours = tool === 'ours' || tool === 'before';
  const hook = ours ? '_bp_hook' : tool === 'direnv' ? '__direnv_export_eval' : 'true';
  const n = tool === 'direnv' ? ND : N;
  const m = tool === 'direnv' ? MD : M;
  const setup =
    tool === 'before'
      ? `set -gx BEDROCK_PROFILE_BIN ${qf(join(BASELINE, 'bin', 'bedrock-profile.js'))}; source ${qf(join(BASELINE, 'shell', 'hook.fish'))}`
      : tool === 'ours'
        ? `source ${qf(join(REPO, 'shell', 'hook.fish'))}`
        : tool === 'direnv'
          ? 'direnv hook fish | source'
          : '';
  const lines = [
    setup,
    'function bench --argument-names label count; set -l t0 (date +%s%N); ' +
      'for i in (seq $count); $argv[3..-1]; end; set -l t1 (date +%s%N); ' +
      'echo "RESULT $label "(math -s0 "($t1 - $t0) / 1000")" $count"; end',
    `function nochange; ${hook}; end`,
    `function roundtrip; cd ${qf(b)}; ${hook}; cd ${qf(a)}; ${hook}; end`,
    `function hostile; for d in ${hostile.map(qf).join(' ')}; cd $d; ${hook}; end; end`,
    `function first --argument-names d; cd $d; ${hook}; end`,
    `cd ${qf(a)}; ${hook}; cd ${qf(b)}; ${hook}; cd ${qf(a)}; ${hook}; sleep 0.5; roundtrip; roundtrip`,
    ours ? `hostile 2>/dev/null; sleep 0.5; hostile 2>/dev/null; cd ${qf(a)}; ${hook}` : '',
    `bench nochange ${n} nochange`,
    `bench cd ${m} roundtrip`,
    ours ? `bench hostile ${Math.max(1, Math.floor(m / 10))} hostile 2>/dev/null` : '',
    tool !== 'none' && round === 0
      ? `for d in ${fresh[`fish-${tool}`].map(qf).join(' ')}; bench first 1 first $d 2>/dev/null; end`
      : '',
  ];
  return lines.filter(Boolean).join('\n');
}

function script(shell, tool, round) {
  const ours = tool === 'ours' || tool === 'before';
  const hook = ours ? '_bp_hook' : tool === 'direnv' ? '_direnv_hook' : ':';
  const n = tool === 'direnv' ? ND : N;
  const m = tool === 'direnv' ? MD : M;
  const setup =
    tool === 'before'
      ? `BEDROCK_PROFILE_BIN=${q(join(BASELINE, 'bin', 'bedrock-profile.js'))}; source ${q(join(BASELINE, 'shell', `hook.${shell}`))}`
      : tool === 'ours'
        ? `source ${q(join(REPO, 'shell', `hook.${shell}`))}`
        : tool === 'direnv'
          ? `eval "$(direnv hook ${shell})"`
          : '';
  // now: microseconds as an integer, from $EPOCHREALTIME, in both shells.
  const now = shell === 'zsh' ? 'now=$(( EPOCHREALTIME * 1000000 ))' : 'now=$' + '{EPOCHREALTIME/./}';
  const lines = [
    shell === 'zsh' ? 'zmodload zsh/datetime; typeset -i now t0' : '',
    setup,
    'bench() { local label=$1 count=$2; shift 2; local i; ' +
      `${now}; t0=$now; for ((i = 0; i < count; i++)); do "$@"; done; ${now}; ` +
      'echo "RESULT $label $(( now - t0 )) $count"; }',
    `nochange() { ${hook}; }`,
    `roundtrip() { cd ${q(b)}; ${hook}; cd ${q(a)}; ${hook}; }`,
    `hostile() { for d in ${hostile.map(q).join(' ')}; do cd "$d"; ${hook}; done; }`,
    // Warm up: records written and settled (a record is conservatively stale for a moment after a write).
    `cd ${q(a)}; ${hook}; cd ${q(b)}; ${hook}; cd ${q(a)}; ${hook}; sleep 0.5; roundtrip; roundtrip`,
    ours ? `hostile 2>/dev/null; sleep 0.5; hostile 2>/dev/null; cd ${q(a)}; ${hook}` : '',
    `bench nochange ${n} nochange`,
    `bench cd ${m} roundtrip`,
    ours ? `bench hostile ${Math.max(1, Math.floor(m / 10))} hostile 2>/dev/null` : '',
    tool !== 'none' && round === 0
      ? `for d in ${fresh[`${shell}-${tool}`].map(q).join(' ')}; do bench first 1 eval 'cd "$d"; ${hook}' 2>/dev/null; done`
      : '',
  ];
  return lines.filter(Boolean).join('\n');
}

function runOnce(shell, tool, round) {
  const args =
    shell === 'zsh'
      ? ['-f', '-i', '-c', script(shell, tool, round)]
      : shell === 'fish'
        ? ['--no-config', '-i', '-c', fishScript(tool, round)]
        : ['--norc', '--noprofile', '-i', '-c', script(shell, tool, round)];
  const r = spawnSync(shell, args, { env, cwd: home, encoding: 'utf8', timeout: 600_000 });
  const out = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^RESULT (\w+) (\d+) (\d+)$/.exec(line);
    if (!m) continue;
    const [, label, us, count] = m;
    // Per operation in ms: nochange per prompt, cd per directory change (a round trip is two), hostile per cd.
    const per = label === 'cd' ? 2 : label === 'hostile' ? hostile.length : 1;
    out[label] = [...(out[label] ?? []), Number(us) / 1000 / Number(count) / per];
  }
  if (Object.keys(out).length === 0) throw new Error(`${shell}/${tool}: no results\n${r.stderr}`);
  return out;
}

const ROUNDS = quick ? 1 : 3;
const avg = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/** Every tool once per round, in turn; per tool: the median round of each case, first visits as avg/max. */
function runRounds(shell, tools) {
  const rounds = Object.fromEntries(tools.map((t) => [t, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const tool of tools) rounds[tool].push(runOnce(shell, tool, round));
  }
  return Object.fromEntries(
    tools.map((tool) => {
      const per = rounds[tool];
      const labels = [...new Set(per.flatMap((o) => Object.keys(o)))];
      const result = {};
      for (const label of labels) {
        if (label === 'first') {
          const all = per.flatMap((o) => o.first ?? []);
          result.first = { avg: avg(all), max: Math.max(...all) };
        } else {
          result[label] = median(per.filter((o) => o[label]).map((o) => avg(o[label])));
        }
      }
      return [tool, result];
    }),
  );
}

function nodeBaseline() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((x, y) => x - y)[2];
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);
const rows = [];
try {
  for (const shell of ['zsh', 'bash', 'fish']) {
    const r = runRounds(shell, ['none', 'ours', ...(BASELINE ? ['before'] : []), 'direnv']);
    const { none, ours, before, direnv } = r;
    const firstFmt = (r) => `${fmt(r.first.avg)} / ${fmt(r.first.max)}`;
    const row = (label, pick, show, ratio, target, baseline) =>
      rows.push([
        shell,
        label,
        show(ours),
        ...(before ? [show(before)] : []),
        direnv && pick(direnv) !== undefined ? show(direnv) : '',
        direnv && pick(direnv) !== undefined ? ratio(pick(direnv) / pick(ours)) : '',
        target,
        baseline,
      ]);
    const times = (x) => `${x.toFixed(0)}x`;
    // The issue's speed targets are for zsh and bash; every shell must stay under 100 ms once cached.
    const target = (t) => (shell === 'fish' ? 'none set' : t);
    row(
      'prompt, no change',
      (r) => r.nochange,
      (r) => fmt(r.nochange),
      times,
      target('≤ 0.1 ms'),
      fmt(none.nochange),
    );
    row(
      'cd between known repos',
      (r) => r.cd,
      (r) => fmt(r.cd),
      times,
      target('≤ 1 ms'),
      fmt(none.cd),
    );
    row(
      'first visit (avg / max)',
      (r) => r.first.avg,
      firstFmt,
      (x) => `${x.toFixed(2)}x`,
      target('≤ 120 ms'),
      '',
    );
    row(
      'cd, cached hostile repos',
      (r) => r.hostile,
      (r) => fmt(r.hostile),
      times,
      '< 100 ms',
      '',
    );
  }
} finally {
  if (process.env.BENCH_KEEP) console.log('kept', root);
  else rmSync(root, { recursive: true, force: true });
}
const header = [
  'shell',
  'case',
  'bedrock-profile',
  ...(BASELINE ? ['before'] : []),
  'direnv',
  'direnv / ours',
  'target',
  'no hook',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(
  `\nnode -e '' on this machine now: ${fmt(nodeBaseline())} (the floor under any first visit that spawns Node)`,
);
