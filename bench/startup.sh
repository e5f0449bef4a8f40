#!/usr/bin/env bash
# Shell start-up cost added by the rc block install.sh writes: each shell started interactively (rc files
# read, one prompt drawn, so the hook's first run is included) with and without the block, side by side.
# Target: at most 5 ms added. The block sources the hook file directly: no Node.js at start-up.
#
#   bench/startup.sh            # needs hyperfine, and a build (npm run build)
#   RUNS=50 bench/startup.sh   # (BENCH_QUICK=1: 20 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null 2>&1 || {
  echo "bench/startup.sh: hyperfine is not installed (apt-get install hyperfine)" >&2
  exit 1
}
[ -f dist/cli.js ] || {
  echo "bench/startup.sh: no dist/; run npm run build first" >&2
  exit 1
}
runs=${RUNS:-100}
[ "${BENCH_QUICK:-}" = 1 ] && [ -z "${RUNS:-}" ] && runs=20
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bp-bench-startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# A release-shaped source (what install.sh installs from), then a real install into a throwaway HOME.
mkdir -p "$tmp/src"
for item in bin dist shell launchd systemd install.sh package.json package-lock.json; do
  [ -e "$item" ] && cp -R "$item" "$tmp/src/"
done
ln -s "$PWD/node_modules" "$tmp/src/node_modules"
with="$tmp/with" without="$tmp/without"
for home in "$with" "$without"; do
  mkdir -p "$home"
  printf '# an existing rc file\n' >"$home/.zshrc"
  printf '# an existing rc file\n' >"$home/.bashrc"
done
env -i HOME="$with" PATH="$PATH" TMPDIR="$tmp" npm_config_cache="$tmp/npm-cache" \
  bash "$tmp/src/install.sh" --yes --no-service --no-doctor >"$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log" >&2
  exit 1
}

# Make sure the measured shells really load the hook (and the baseline ones do not).
check() { env -i HOME="$2" PATH=/usr/bin:/bin TERM=dumb "$1" -i -c "$3" 2>/dev/null </dev/null; }
for pair in "zsh:whence -w bedrock_profile_prompt" "bash:type -t bedrock_profile_prompt" "fish:functions -q bedrock_profile_prompt; and echo function"; do
  shell=${pair%%:*}
  command -v "$shell" >/dev/null 2>&1 || continue
  check "$shell" "$with" "${pair#*:}" | grep -q function || {
    echo "bench/startup.sh: $shell did not load the hook from the installed rc block" >&2
    exit 1
  }
  if check "$shell" "$without" "${pair#*:}" | grep -q function; then
    echo "bench/startup.sh: the baseline $shell already has the hook" >&2
    exit 1
  fi
done

json() { node -e 'const r=require(process.argv[1]).results; console.log(r.map(x=>(x.mean*1000).toFixed(2)+" "+(x.stddev*1000).toFixed(2)).join(" "))' "$1"; }

printf '\nShell start-up (interactive, rc files, first prompt), mean of %s runs; hyperfine %s\n\n' "$runs" "$(hyperfine --version | cut -d' ' -f2)"
printf '| shell | without the block | with the block | added |\n| --- | --- | --- | --- |\n'
for shell in zsh bash fish; do
  command -v "$shell" >/dev/null 2>&1 || continue
  # stdin from /dev/null: the shell reads its rc files, draws one prompt (running the hook), reads EOF, exits.
  cmd="$shell -i"
  # (hyperfine runs these through sh -c and subtracts the cost of that sh.)
  hyperfine --warmup 3 --runs "$runs" --export-json "$tmp/$shell.json" \
    "env -i HOME=$without PATH=/usr/bin:/bin TERM=dumb $cmd </dev/null" \
    "env -i HOME=$with PATH=/usr/bin:/bin TERM=dumb $cmd </dev/null" >/dev/null 2>&1 || {
    echo "bench/startup.sh: hyperfine failed for $shell" >&2
    exit 1
  }
  read -r base base_sd hooked hooked_sd <<<"$(json "$tmp/$shell.json")"
  added=$(node -e 'console.log((process.argv[2]-process.argv[1]).toFixed(2))' "$base" "$hooked")
  printf '| %s | %s ms ± %s | %s ms ± %s | %s ms |\n' "$shell" "$base" "$base_sd" "$hooked" "$hooked_sd" "$added"
done
printf '\nFor scale: starting Node.js alone (node -e 0) takes '
hyperfine -N --warmup 3 --runs "$runs" --export-json "$tmp/node.json" 'node -e 0' >/dev/null 2>&1
read -r n _ <<<"$(json "$tmp/node.json")"
printf '%s ms here.\n' "$n"
