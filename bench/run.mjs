#!/usr/bin/env node
/**
 * `npm run bench`: runs every benchmark script that exists (bench/status.mjs, hook.mjs, daemon.mjs,
 * doctor.mjs, startup.sh), shows each one's own output as it comes, then prints ONE summary table: our
 * figure, the baseline it is compared with (direnv's hook, `node -e 0`, a shell without the rc block), the
 * ratio and the target. A missing or failing script is a row saying so; the others still run.
 *
 *   npm run bench                 # full runs (several minutes: the daemon's idle window is a minute)
 *   BENCH_QUICK=1 npm run bench   # short runs, for a quick look
 *   node bench/run.mjs --only hook,status
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
const onlyArg = process.argv.find((_a, i) => process.argv[i - 1] === '--only');
const ONLY = onlyArg ? new Set(onlyArg.split(',')) : undefined;

/** Each script: how to run it (quick or full) and how to read its figures into summary rows. */
const SCRIPTS = [
  {
    name: 'status',
    file: 'status.mjs',
    args: QUICK ? ['10'] : ['30'],
    parse: parseStatus,
  },
  {
    name: 'statusline',
    file: 'statusline.mjs',
    args: QUICK ? ['10'] : ['30'],
    parse: parseStatusline,
  },
  {
    name: 'hook',
    file: 'hook.mjs',
    args: QUICK ? ['--quick'] : [],
    parse: parseHook,
  },
  {
    name: 'doctor',
    file: 'doctor.mjs',
    args: QUICK ? ['5'] : ['20'],
    parse: parseDoctor,
  },
  {
    name: 'startup',
    file: 'startup.sh',
    args: [],
    parse: parseStartup,
  },
  {
    name: 'daemon',
    file: 'daemon.mjs',
    args: [],
    env: QUICK ? { BENCH_DAEMON_SECONDS: '10' } : {},
    parse: parseDaemon,
  },
];

/** A summary row: [area, measure, ours, baseline, ratio, target]. */
const rows = [];

function runScript(s) {
  const file = join(BENCH, s.file);
  const cmd = s.file.endsWith('.sh') ? 'bash' : process.execPath;
  return new Promise((resolve) => {
    const child = spawn(cmd, [file, ...s.args], {
      env: { ...process.env, ...(s.env ?? {}), ...(QUICK ? { BENCH_QUICK: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d) => process.stderr.write(d));
    // Generous: the daemon's idle window alone is a minute in a full run.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, out: `${out}\n${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), out });
    });
  });
}

const num = (re, text) => {
  const m = re.exec(text);
  return m ? Number(m[1]) : undefined;
};
const ratio = (a, b) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}x` : '');
const ms = (v) => (v === undefined ? '?' : `${v.toFixed(1)} ms`);

function parseStatus(out) {
  const node = num(/^node -e 0\s+([\d.]+) ms/m, out);
  const status = num(/^status\s+([\d.]+) ms/m, out);
  const json = num(/^status --json\s+([\d.]+) ms/m, out);
  rows.push([
    'status',
    'bedrock-profile status (median)',
    ms(status),
    `node -e 0: ${ms(node)}`,
    `${ratio(status, node)} node`,
    '≤ 150 ms',
  ]);
  rows.push([
    'status',
    'status --json (median)',
    ms(json),
    `node -e 0: ${ms(node)}`,
    `${ratio(json, node)} node`,
    '≤ 150 ms',
  ]);
}

function parseStatusline(out) {
  const node = num(/^node -e 0\s+([\d.]+) ms/m, out);
  const line = num(/^statusline\s+([\d.]+) ms/m, out);
  rows.push([
    'statusline',
    'bedrock-profile statusline, Claude Code JSON on stdin (median, interleaved)',
    ms(line),
    `node -e 0: ${ms(node)}`,
    `${ratio(line, node)} node`,
    '≤ 1.2x node -e 0',
  ]);
}

function parseHook(out) {
  // The script prints a markdown table: shell | case | bedrock-profile | [before |] direnv | direnv / ours
  // | target | no hook. Columns are found by their header.
  let seen = 0;
  let col;
  for (const line of out.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 8 || /^-+$/.test(cells[1])) continue;
    if (cells[1] === 'shell') {
      col = Object.fromEntries(cells.map((c, i) => [c, i]));
      continue;
    }
    if (!col) continue;
    const cell = (name) => cells[col[name]] ?? '';
    const direnv = cell('direnv');
    const times = cell('direnv / ours');
    rows.push([
      `hook (${cell('shell')})`,
      cell('case'),
      cell('bedrock-profile'),
      direnv ? `direnv: ${direnv}` : '',
      times ? `${times} (direnv ÷ ours)` : '',
      cell('target'),
    ]);
    seen++;
  }
  if (seen === 0) parseGeneric(out, 'hook');
}

function parseDoctor(out) {
  const node = num(/^node -e 0\s+([\d.]+) ms/m, out);
  for (const [label, re] of [
    ['doctor, offline (warm tool cache, median)', /^doctor \(warm\)\s+([\d.]+) ms/m],
    ['doctor --json (warm, median)', /^doctor --json \(warm\)\s+([\d.]+) ms/m],
    ['doctor (cold tool cache: runs aws --version)', /^doctor \(cold tool cache\)\s+([\d.]+) ms/m],
  ]) {
    const v = num(re, out);
    rows.push([
      'doctor',
      label,
      ms(v),
      `node -e 0: ${ms(node)}`,
      `${ratio(v, node)} node`,
      label.includes('cold') ? '' : '≤ 500 ms',
    ]);
  }
}

function parseDaemon(out) {
  // Columns separated by two or more spaces: measure, value, target, result.
  let seen = 0;
  for (const line of out.split('\n')) {
    const cells = line.split(/\s{2,}/).map((c) => c.trim());
    if (cells.length < 2 || cells[0] === 'measure' || cells[0] === '') continue;
    const [measure, value, target = ''] = cells;
    const vs = /^([\d.]+x) the empty start$/.exec(target);
    rows.push([
      'daemon',
      measure,
      value,
      vs ? 'the same, 0 known repos' : '',
      vs ? vs[1] : '',
      vs ? '' : target,
    ]);
    seen++;
  }
  if (seen === 0) parseGeneric(out, 'daemon');
}

function parseStartup(out) {
  // A markdown table: shell | without the block | with the block | added.
  let seen = 0;
  for (const line of out.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || !/^(zsh|bash|fish)$/.test(cells[1])) continue;
    const [, shell, without, withBlock, added] = cells;
    const a = Number.parseFloat(withBlock);
    const b = Number.parseFloat(without);
    rows.push([
      `shell start-up (${shell})`,
      'added by the rc block (interactive start, first prompt)',
      added,
      `without the block: ${without}`,
      ratio(a, b),
      '≤ 5 ms',
    ]);
    seen++;
  }
  if (seen === 0) parseGeneric(out, 'startup');
}

/** A script whose format we do not know: its non-empty lines, as they are. */
function parseGeneric(out, area = 'startup') {
  for (const line of out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 12)) {
    rows.push([area, line.trim(), '', '', '', '']);
  }
}

const started = Date.now();
console.log(
  `bedrock-profile benchmarks${QUICK ? ' (quick)' : ''}: node ${process.version}, ${process.platform}`,
);
for (const s of SCRIPTS) {
  if (ONLY && !ONLY.has(s.name)) continue;
  if (!existsSync(join(BENCH, s.file))) {
    rows.push([s.name, `bench/${s.file} is not in this checkout`, '', '', '', '']);
    continue;
  }
  console.log(`\n== bench/${s.file} ${s.args.join(' ')}`);
  const r = await runScript(s);
  if (r.code !== 0) {
    rows.push([s.name, `bench/${s.file} failed (exit ${r.code}); its output is above`, '', '', '', '']);
    continue;
  }
  try {
    s.parse(r.out);
  } catch (err) {
    rows.push([s.name, `could not read the figures (${err.message}); see the output above`, '', '', '', '']);
  }
}

const header = ['area', 'measure', 'bedrock-profile', 'baseline', 'ratio', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(`\n== summary (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
