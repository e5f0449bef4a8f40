#!/bin/bash
# bedrock-profile installer, in the manner of Homebrew's.
#
#   ./install.sh [--prefix DIR] [--bin-dir DIR] [--no-service] [--no-shell] [--no-doctor] [--yes]
#   ./install.sh --uninstall [--prefix DIR] [--purge] [--yes]
#   curl -fsSL <url>/install.sh | bash -s -- --source DIR     (piped: say where the source is)
#
# Installs into a prefix (default ~/.local/share/bedrock-profile), links the command into ~/.local/bin,
# adds one marked block to ~/.zshrc and ~/.bashrc and a conf.d file for fish, and installs the daemon as a
# systemd user unit (Linux) or a LaunchAgent (macOS). Every change is journaled: a failure rolls all of it
# back, and a receipt in the prefix lets --uninstall undo exactly what was done, byte for byte.
# Pure bash (3.2 compatible, for macOS's /bin/bash): the uninstall works even when Node.js is gone.
#
# The whole script is one function called on the last line, so a truncated download runs nothing.

# `sh install.sh` (dash) or `curl ... | sh` would fail on bash syntax further down: say what to do instead.
if [ -z "${BASH_VERSION:-}" ]; then
  echo "install.sh: run it with bash (bash install.sh, or curl ... | bash)" >&2
  exit 2
fi

main() {
  set -Eeuo pipefail
  # bash 5.2 gives '&' a meaning in ${var//pat/rep}; we substitute paths, so turn that off.
  shopt -u patsub_replacement 2>/dev/null || true
  umask 022
  # npm (and our launcher) on Node >= 22 keep a compile cache, npm's in $TMPDIR: an installer leaves no trace.
  export NODE_DISABLE_COMPILE_CACHE=1
  # npm writes a debug log under ~/.npm/_logs on every run, and an update-check stamp: none of ours to leave.
  export npm_config_logs_max=0 npm_config_update_notifier=false

  LABEL=dev.bedrock-profile.daemon
  UNIT=bedrock-profile.service
  BEGIN_MARK='# >>> bedrock-profile >>>'
  END_MARK='# <<< bedrock-profile <<<'
  RECEIPT_NAME=.install-receipt

  MODE=install
  OPT_SERVICE=1
  OPT_SHELL=1
  OPT_DOCTOR=1
  OPT_YES=0
  OPT_PURGE=0
  SOURCE_DIR=''
  PREFIX=''
  BIN_DIR=''
  parse_args "$@"

  [ -n "${HOME:-}" ] || abort "HOME is not set; set HOME to your home directory and run install.sh again"
  PLATFORM=$(detect_platform)
  PREFIX=$(absolute "${PREFIX:-$HOME/.local/share/bedrock-profile}")
  BIN_DIR_GIVEN=${BIN_DIR:+1}
  BIN_DIR=$(absolute "${BIN_DIR:-$HOME/.local/bin}")
  LINK="$BIN_DIR/bedrock-profile"
  RECEIPT="$PREFIX/$RECEIPT_NAME"
  CONFIG_HOME=$(xdg_dir XDG_CONFIG_HOME "$HOME/.config")
  if [ "$PLATFORM" = darwin ]; then
    SERVICE_FILE="$HOME/Library/LaunchAgents/$LABEL.plist"
  else
    SERVICE_FILE="$CONFIG_HOME/systemd/user/$UNIT"
  fi
  # Without a systemd user session (WSL, containers, some desktops): the desktop's own autostart.
  AUTOSTART_FILE="$CONFIG_HOME/autostart/bedrock-profile.desktop"
  FISH_FILE="$(xdg_dir XDG_CONFIG_HOME "$HOME/.config")/fish/conf.d/bedrock-profile.fish"
  data_dirs

  # Our pid is in the temp and staging names: a later run removes those of a run that was killed (-9
  # leaves no trap to run).
  clean_stale "${TMPDIR:-/tmp}" bedrock-profile-install
  TX=$(mktemp -d "${TMPDIR:-/tmp}/bedrock-profile-install.$$.XXXXXX")
  J_N=0
  COMMITTED=0
  trap on_exit EXIT
  trap 'abort "interrupted"' INT TERM HUP
  trap 'on_error $? $LINENO' ERR

  if [ "$MODE" = uninstall ]; then
    uninstall
  else
    install
  fi
}

usage() {
  cat <<'EOF'
Usage: install.sh [options]
       install.sh --uninstall [--prefix DIR] [--purge] [--yes]

Installs bedrock-profile for the current user: the program into a prefix, the command into ~/.local/bin,
a hook block into ~/.zshrc and ~/.bashrc (and a fish conf.d file), and the daemon as a systemd user unit
(Linux) or a LaunchAgent (macOS). Running it again changes nothing; --uninstall undoes it all.

Options:
  --prefix DIR     install into DIR (default: ~/.local/share/bedrock-profile)
  --bin-dir DIR    link the command into DIR (default: ~/.local/bin)
  --source DIR     the bedrock-profile source (a clone, or an unpacked package with dist/);
                   default: the directory this script is in. Required when piped to bash.
  --no-service     do not install or start the daemon's service
  --no-shell       do not touch shell rc files
  --no-doctor      do not run `bedrock-profile doctor` at the end
  --yes, -y        do not ask for confirmation
  --uninstall      stop and remove the service, the rc blocks, the link and the prefix
  --purge          with --uninstall: also delete config, trust list, state and logs
  --help, -h       show this help
EOF
}

parse_args() {
  while [ $# -gt 0 ]; do
    case $1 in
    --prefix | --bin-dir | --source)
      if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a directory"; fi
      case $1 in
      --prefix) PREFIX=$2 ;;
      --bin-dir) BIN_DIR=$2 ;;
      --source) SOURCE_DIR=$2 ;;
      esac
      shift
      ;;
    --prefix=*) PREFIX=${1#*=} ;;
    --bin-dir=*) BIN_DIR=${1#*=} ;;
    --source=*) SOURCE_DIR=${1#*=} ;;
    --no-service) OPT_SERVICE=0 ;;
    --no-shell) OPT_SHELL=0 ;;
    --no-doctor) OPT_DOCTOR=0 ;;
    --yes | -y) OPT_YES=1 ;;
    --uninstall) MODE=uninstall ;;
    --purge) OPT_PURGE=1 ;;
    --help | -h)
      usage
      exit 0
      ;;
    *) usage_error "unknown option: $1" ;;
    esac
    shift
  done
  if [ "$OPT_PURGE" = 1 ] && [ "$MODE" != uninstall ]; then
    usage_error "--purge only goes with --uninstall"
  fi
  return 0
}

# ---------------------------------------------------------------------------------------------------------
# Output

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  TTY_BLUE=$'\033[34m' TTY_BOLD=$'\033[1m' TTY_RED=$'\033[31m' TTY_YELLOW=$'\033[33m' TTY_RESET=$'\033[0m'
else
  TTY_BLUE='' TTY_BOLD='' TTY_RED='' TTY_YELLOW='' TTY_RESET=''
fi

ohai() { printf '%s==>%s %s%s%s\n' "$TTY_BLUE" "$TTY_RESET" "$TTY_BOLD" "$*" "$TTY_RESET"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '%sWarning%s: %s\n' "$TTY_YELLOW" "$TTY_RESET" "$*" >&2; }
abort() {
  printf '%sError%s: %s\n' "$TTY_RED" "$TTY_RESET" "$*" >&2
  exit 1
}
usage_error() {
  printf 'install.sh: %s; see install.sh --help\n' "$*" >&2
  exit 2
}
on_error() {
  abort "unexpected failure (exit $1 at line $2 of install.sh) during: ${STEP:-start-up}"
}

# Paths shown to people: ~ for HOME.
pretty() {
  case $1 in
  "$HOME"/*) printf '%s/%s' '~' "${1#"$HOME"/}" ;;
  *) printf '%s' "$1" ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------
# Small helpers

detect_platform() {
  # BEDROCK_PROFILE_PLATFORM is for tests only: it runs the macOS code path on Linux (with a launchctl stand-in).
  case ${BEDROCK_PROFILE_PLATFORM:-$(uname -s)} in
  darwin | Darwin) echo darwin ;;
  linux | Linux) echo linux ;;
  *) abort "unsupported system $(uname -s); bedrock-profile runs on macOS and Linux" ;;
  esac
}

absolute() {
  case $1 in
  /*) printf '%s' "$1" ;;
  '~') printf '%s' "$HOME" ;;
  '~'/*) printf '%s/%s' "$HOME" "${1#'~'/}" ;;
  *) printf '%s/%s' "$(pwd)" "$1" ;;
  esac
}

# An XDG base directory: the variable when absolute (the spec says ignore relative values), else the fallback.
xdg_dir() {
  local value
  eval "value=\${$1:-}"
  case $value in
  /*) printf '%s' "$value" ;;
  *) printf '%s' "$2" ;;
  esac
}

# The user-data directories, exactly as src/platform/paths.ts derives them (kept by --uninstall unless --purge).
data_dirs() {
  CONFIG_DIR="$CONFIG_HOME/bedrock-profile"
  local mac_cache="$HOME/.cache" mac_state="$HOME/.local/state"
  if [ "$PLATFORM" = darwin ]; then
    mac_cache="$HOME/Library/Caches"
    mac_state="$HOME/Library/Application Support"
  fi
  CACHE_DIR="$(xdg_dir XDG_CACHE_HOME "$mac_cache")/bedrock-profile"
  STATE_DIR="$(xdg_dir XDG_STATE_HOME "$mac_state")/bedrock-profile"
  if [ "$PLATFORM" = darwin ] && [ -z "${XDG_STATE_HOME:-}" ]; then
    LOG_DIR="$HOME/Library/Logs/bedrock-profile"
  else
    LOG_DIR=$STATE_DIR
  fi
}

sh_quote() {
  local q="'\\''"
  printf "'%s'" "${1//\'/$q}"
}

fish_quote() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\\\'}"
}

xml_escape() {
  local s=${1//&/&amp;}
  s=${s//</&lt;}
  s=${s//>/&gt;}
  printf '%s' "$s"
}

# A word for a systemd unit: double-quoted, with specifiers (%) and, in command lines, variables ($) escaped.
systemd_word() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//%/%%}
  [ "${2:-}" = exec ] && s=${s//\$/\$\$}
  printf '"%s"' "$s"
}

# Remove <dir>/<name>.<pid>.XXXXXX directories (ours, see mktemp below) whose process is gone.
clean_stale() {
  local d pid
  for d in "$1/$2".*; do
    if [ ! -d "$d" ] || [ -L "$d" ] || [ ! -O "$d" ]; then continue; fi
    pid=${d#"$1/$2".}
    pid=${pid%%.*}
    case $pid in '' | *[!0-9]*) continue ;; esac
    if [ "$pid" = $$ ] || kill -0 "$pid" 2>/dev/null; then continue; fi
    rm -rf "$d"
  done
}

# Does the file hold a NUL byte? bash cannot hold one in a variable: such a file would be cut at it.
has_nul() {
  [ -f "$1" ] || return 1
  local all kept
  all=$(wc -c <"$1")
  kept=$(LC_ALL=C tr -d '\000' <"$1" | wc -c)
  [ "$all" -ne "$kept" ]
}

# Read a whole file exactly, trailing newlines included, into REPLY ('' when missing).
slurp() {
  REPLY=''
  if [ -e "$1" ]; then
    IFS= read -r -d '' REPLY <"$1" || true
  fi
}

# Follow symbolic links (a dotfiles manager's ~/.zshrc -> ~/dotfiles/zshrc): we edit the real file.
resolve_link() {
  local p=$1 t n=0
  while [ -L "$p" ] && [ $n -lt 40 ]; do
    t=$(readlink "$p")
    case $t in
    /*) p=$t ;;
    *) p="$(dirname "$p")/$t" ;;
    esac
    n=$((n + 1))
  done
  # Still a link after 40 hops: a loop. Writing would replace the link with a file; callers refuse.
  [ ! -L "$p" ] || LINK_LOOP=1
  REPLY=$p
}

# Write a file atomically (temp file in the same directory, then rename), keeping an existing file's mode.
write_file() {
  local file=$1 content=$2 tmp
  tmp=$(mktemp "$(dirname "$file")/.$(basename "$file").bp.XXXXXX") || abort "cannot write in $(pretty "$(dirname "$file")"); check its permissions and run install.sh again"
  if [ -f "$file" ]; then
    cp -p "$file" "$tmp"
  else
    chmod 644 "$tmp"
  fi
  if ! printf '%s' "$content" >"$tmp" || ! mv -f "$tmp" "$file"; then
    rm -f "$tmp"
    abort "cannot write $(pretty "$file"); check its permissions and free space and run install.sh again"
  fi
}

# ---------------------------------------------------------------------------------------------------------
# The journal: what this run changed, undone in reverse order if the run fails.

journal() {
  J_KIND[J_N]=$1
  J_A[J_N]=${2:-}
  J_B[J_N]=${3:-}
  J_N=$((J_N + 1))
}

# Back up a file (or note that it did not exist) before changing it.
journal_file() {
  if [ -e "$1" ] || [ -L "$1" ]; then
    local backup="$TX/backup.$J_N"
    cp -P -p "$1" "$backup"
    journal restore "$1" "$backup"
  else
    journal remove "$1"
  fi
}

# mkdir -p that remembers which directories it created (for rollback and for the receipt).
ensure_dir() {
  local dir=$1 missing=''
  while [ ! -d "$dir" ]; do
    missing="$dir
$missing"
    dir=$(dirname "$dir")
  done
  [ -n "$missing" ] || return 0
  local d
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    mkdir "$d" || abort "cannot create $(pretty "$d"); check the permissions of $(pretty "$(dirname "$d")") and run install.sh again"
    journal rmdir "$d"
    CREATED_DIRS="${CREATED_DIRS:-}$d
"
  done <<EOF
$missing
EOF
}

rollback() {
  trap - ERR
  set +e
  printf '%s==>%s Rolling back: nothing stays half-installed\n' "$TTY_RED" "$TTY_RESET" >&2
  local i=$J_N kind a b
  while [ $i -gt 0 ]; do
    i=$((i - 1))
    kind=${J_KIND[i]}
    a=${J_A[i]}
    b=${J_B[i]}
    case $kind in
    restore)
      rm -f "$a.bp-restore"
      cp -P -p "$b" "$a.bp-restore" && mv -f "$a.bp-restore" "$a" && printf '    restored %s\n' "$(pretty "$a")" >&2
      ;;
    remove) rm -f "$a" && printf '    removed %s\n' "$(pretty "$a")" >&2 ;;
    rmtree) rm -rf "$a" ;;
    rmdir) rmdir "$a" 2>/dev/null ;;
    unmove) rm -rf "$a" && mv "$b" "$a" && rmdir "$(dirname "$b")" 2>/dev/null ;;
    relink) rm -f "$a" && ln -s "$b" "$a" ;;
    service_stop) service_stop_quietly ;;
    service_start) service_start_quietly ;;
    daemon_stop) daemon_stop_now ;;
    esac
  done
  J_N=0
}

on_exit() {
  local rc=$?
  trap - ERR EXIT
  if [ "$MODE" = install ] && [ "$COMMITTED" = 0 ] && [ "$J_N" -gt 0 ]; then
    rollback
    printf 'Your previous setup is unchanged.\n' >&2
  fi
  [ -n "${TX:-}" ] && rm -rf "$TX"
  exit "$rc"
}

# ---------------------------------------------------------------------------------------------------------
# The receipt: what an install did, read back by the next install and by --uninstall.

read_receipt() {
  R_N=0
  [ -f "$RECEIPT" ] || return 0
  local kind a b c
  while IFS=$'\t' read -r kind a b c; do
    R_KIND[R_N]=$kind
    R_A[R_N]=$a
    R_B[R_N]=${b:-}
    R_C[R_N]=${c:-}
    R_N=$((R_N + 1))
  done <"$RECEIPT"
}

# The separator an earlier install put before its rc block ("unknown" when there is no receipt line).
receipt_rc() {
  local i=0
  REPLY_SEP=unknown
  REPLY_CREATED=0
  while [ $i -lt "$R_N" ]; do
    if [ "${R_KIND[i]}" = rc ] && [ "${R_A[i]}" = "$1" ]; then
      REPLY_SEP=${R_B[i]}
      REPLY_CREATED=${R_C[i]}
    fi
    i=$((i + 1))
  done
}

receipt_values() {
  local i=0
  while [ $i -lt "$R_N" ]; do
    [ "${R_KIND[i]}" = "$1" ] && printf '%s\n' "${R_A[i]}"
    i=$((i + 1))
  done
  return 0
}

# ---------------------------------------------------------------------------------------------------------
# Shell rc blocks

rc_block() {
  local shell=$1 hook="$PREFIX/shell/hook.$1" bin="$PREFIX/bin/bedrock-profile"
  printf '%s\n' "$BEGIN_MARK"
  printf '%s\n' "# Added by bedrock-profile's install.sh; \`bedrock-profile uninstall\` removes this block."
  case $shell in
  zsh)
    printf 'BEDROCK_PROFILE_BIN=%s\n' "$(sh_quote "$bin")"
    printf 'if [ -r %s ]; then . %s; fi\n' "$(sh_quote "$hook")" "$(sh_quote "$hook")"
    ;;
  bash)
    printf 'if [[ $- == *i* ]]; then\n'
    printf '  BEDROCK_PROFILE_BIN=%s\n' "$(sh_quote "$bin")"
    printf '  if [ -r %s ]; then . %s; fi\n' "$(sh_quote "$hook")" "$(sh_quote "$hook")"
    printf 'fi\n'
    ;;
  fish)
    printf 'if status is-interactive\n'
    printf '    set -g BEDROCK_PROFILE_BIN %s\n' "$(fish_quote "$bin")"
    printf '    test -r %s; and source %s\n' "$(fish_quote "$hook")" "$(fish_quote "$hook")"
    printf 'end\n'
    ;;
  esac
  printf '%s\n' "$END_MARK"
}

# Does this text hold our block? Sets BLOCK_BEFORE / BLOCK_AFTER around it. The block ends at the first
# end-marker line and starts at the last begin-marker line before it: a line of the user's that equals our
# begin marker (a file that ended with it, no newline, before we appended) stays theirs. Returns 1 when
# there is no begin-marker line, 2 when there is one but no end marker after it.
split_block() {
  local content=$1 head
  case $content in
  "$BEGIN_MARK"$'\n'* | *$'\n'"$BEGIN_MARK"$'\n'*) ;;
  *) return 1 ;;
  esac
  head=${content%%$'\n'"$END_MARK"$'\n'*}
  [ "$head" != "$content" ] || head=${content%$'\n'"$END_MARK"}
  [ "$head" != "$content" ] || return 2
  case $head in
  *$'\n'"$BEGIN_MARK"$'\n'*) BLOCK_BEFORE=${head%$'\n'"$BEGIN_MARK"$'\n'*}$'\n' ;;
  "$BEGIN_MARK"$'\n'*) BLOCK_BEFORE='' ;;
  *) return 2 ;;
  esac
  BLOCK_AFTER=${content:${#head}}
  BLOCK_AFTER=${BLOCK_AFTER#$'\n'"$END_MARK"}
  BLOCK_AFTER=${BLOCK_AFTER#$'\n'}
  return 0
}

# Check an rc file before changing anything (a begin marker without an end marker is not ours to guess).
rc_preflight() {
  LINK_LOOP=0
  resolve_link "$1"
  [ "$LINK_LOOP" = 0 ] || abort "$(pretty "$1") is a symbolic link loop; fix or remove the link and run install.sh again"
  ! has_nul "$REPLY" || abort "$(pretty "$1") contains a NUL byte, which install.sh cannot keep; remove it (or add the hook by hand, see the README) and run install.sh again"
  slurp "$REPLY"
  local rc=0
  split_block "$REPLY" || rc=$?
  [ $rc -ne 2 ] || abort "$(pretty "$1") has a '$BEGIN_MARK' line but no '$END_MARK' line; remove the broken block by hand and run install.sh again"
}

# Add (or refresh in place) our block in an rc file; records how it was added for the uninstall.
rc_add() {
  local file=$1 shell=$2 target content block new sep created=0
  resolve_link "$file"
  target=$REPLY
  slurp "$target"
  content=$REPLY
  block=$(rc_block "$shell")$'\n'
  receipt_rc "$file"
  sep=$REPLY_SEP
  created=$REPLY_CREATED
  if split_block "$content"; then
    new=$BLOCK_BEFORE$block$BLOCK_AFTER
  elif [ -z "$content" ]; then
    sep=none
    [ -e "$target" ] || created=1
    new=$block
  elif [ "${content: -1}" = $'\n' ]; then
    sep='nl'
    new=$content$'\n'$block
  else
    sep=nlnl
    new=$content$'\n\n'$block
  fi
  RC_LINES="${RC_LINES:-}rc	$file	$sep	$created
"
  if [ "$new" = "$content" ] && [ -e "$target" ]; then
    info "$(pretty "$file"): already set up"
    return 0
  fi
  ensure_dir "$(dirname "$target")"
  journal_file "$target"
  write_file "$target" "$new"
  info "$(pretty "$file"): added the bedrock-profile block"
}

# Remove our block, restoring the file byte for byte (the separator we added goes too).
rc_remove() {
  local file=$1 sep=$2 created=$3 target content before after
  LINK_LOOP=0
  resolve_link "$file"
  target=$REPLY
  if [ "$LINK_LOOP" = 1 ] || has_nul "$target"; then
    warn "$(pretty "$file") is a symbolic link loop or contains a NUL byte; left as it is, remove the block by hand"
    UNINSTALL_PROBLEMS=1
    return 0
  fi
  [ -f "$target" ] || return 0
  slurp "$target"
  content=$REPLY
  local rc=0
  split_block "$content" || rc=$?
  if [ $rc -eq 1 ]; then
    return 0
  elif [ $rc -eq 2 ]; then
    warn "$(pretty "$file") has a '$BEGIN_MARK' line but no end marker; left as it is, remove the block by hand"
    UNINSTALL_PROBLEMS=1
    return 0
  fi
  before=$BLOCK_BEFORE
  after=$BLOCK_AFTER
  if [ -z "$after" ]; then
    case $sep in
    nl) before=${before%$'\n'} ;;
    nlnl) before=${before%$'\n\n'} ;;
    unknown) case $before in *$'\n\n') before=${before%$'\n'} ;; esac ;;
    esac
  else
    # Something was added after our block since: drop only the blank line we put before it.
    case $before in *$'\n\n') before=${before%$'\n'} ;; esac
  fi
  if [ -z "$before$after" ] && [ "$created" = 1 ]; then
    rm -f "$target"
  else
    write_file "$target" "$before$after"
  fi
  info "$(pretty "$file"): removed the bedrock-profile block"
}

# fish: a whole conf.d file we own.
fish_preflight() {
  if [ -e "$FISH_FILE" ]; then
    slurp "$FISH_FILE"
    case $REPLY in
    "$BEGIN_MARK"$'\n'*) ;;
    *) abort "$(pretty "$FISH_FILE") exists and was not written by this installer; move it away and run install.sh again" ;;
    esac
  fi
  return 0
}

fish_add() {
  local block
  block=$(rc_block fish)$'\n'
  slurp "$FISH_FILE"
  if [ "$REPLY" = "$block" ]; then
    info "$(pretty "$FISH_FILE"): already set up"
    return 0
  fi
  ensure_dir "$(dirname "$FISH_FILE")"
  journal_file "$FISH_FILE"
  write_file "$FISH_FILE" "$block"
  info "$(pretty "$FISH_FILE"): written"
  FISH_WRITTEN=1
}

configure_shells() {
  STEP="adding the shell hook to your rc files"
  ohai "Adding the shell hook"
  if command -v zsh >/dev/null 2>&1; then
    rc_add "${ZDOTDIR:-$HOME}/.zshrc" zsh
  fi
  # bash is here: it is running this script.
  rc_add "$HOME/.bashrc" bash
  if [ "$PLATFORM" = darwin ] && [ -f "$HOME/.bash_profile" ] && ! grep -q bashrc "$HOME/.bash_profile"; then
    warn "\$HOME/.bash_profile does not read .bashrc, so login bash shells (Terminal.app) skip the hook; add to it: [ -r ~/.bashrc ] && . ~/.bashrc"
  fi
  if command -v fish >/dev/null 2>&1; then
    fish_add
    FISH_WRITTEN=1
  fi
}

# ---------------------------------------------------------------------------------------------------------
# The service

service_env_path() {
  local dirs="" d aws_path
  dirs=$(dirname "$NODE")
  aws_path=$(command -v aws 2>/dev/null || true)
  case $aws_path in /*) dirs="$dirs:$(dirname "$aws_path")" ;; esac
  [ "$PLATFORM" = darwin ] && dirs="$dirs:/opt/homebrew/bin"
  dirs="$dirs:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
  local out="" IFS=:
  for d in $dirs; do
    case ":$out:" in *":$d:"*) ;; *) out="${out:+$out:}$d" ;; esac
  done
  printf '%s' "$out"
}

# Variables the daemon must share with your shell so it reads and writes the same files.
PASSTHROUGH_VARS="XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE CLAUDE_CONFIG_DIR"

render_service() {
  local template name value env_text="" path_value
  path_value=$(service_env_path)
  if [ "$PLATFORM" = darwin ]; then
    template="$PREFIX/launchd/$LABEL.plist"
    env_text="    <key>PATH</key>
    <string>$(xml_escape "$path_value")</string>"
    for name in $PASSTHROUGH_VARS; do
      eval "value=\${$name:-}"
      [ -n "$value" ] || continue
      env_text="$env_text
    <key>$name</key>
    <string>$(xml_escape "$value")</string>"
    done
    slurp "$template"
    [ -n "$REPLY" ] || abort "the LaunchAgent template $(pretty "$template") is missing; reinstall from a complete source"
    REPLY=${REPLY//@NODE@/$(xml_escape "$NODE")}
    REPLY=${REPLY//@SCRIPT@/$(xml_escape "$PREFIX/bin/bedrock-profile.js")}
    REPLY=${REPLY//@LOG_DIR@/$(xml_escape "$LOG_DIR")}
    REPLY=${REPLY//@ENVIRONMENT@/$env_text}
  else
    template="$PREFIX/systemd/$UNIT"
    env_text="Environment=$(systemd_word "PATH=$path_value")"
    for name in $PASSTHROUGH_VARS; do
      eval "value=\${$name:-}"
      [ -n "$value" ] || continue
      env_text="$env_text
Environment=$(systemd_word "$name=$value")"
    done
    slurp "$template"
    [ -n "$REPLY" ] || abort "the systemd unit template $(pretty "$template") is missing; reinstall from a complete source"
    REPLY=${REPLY//@EXEC_START@/$(systemd_word "$NODE" exec) $(systemd_word "$PREFIX/bin/bedrock-profile.js" exec) daemon}
    REPLY=${REPLY//@ENVIRONMENT@/$env_text}
  fi
  RENDERED_SERVICE=$REPLY
}

launchd_domain() { printf 'gui/%s' "$(id -u)"; }
launchd_loaded() { launchctl print "$(launchd_domain)/$LABEL" >/dev/null 2>&1; }

service_stop_quietly() {
  if [ "$PLATFORM" = darwin ]; then
    launchd_loaded && launchctl bootout "$(launchd_domain)/$LABEL" >/dev/null 2>&1
  else
    systemctl --user disable --now "$UNIT" >/dev/null 2>&1
    systemctl --user daemon-reload >/dev/null 2>&1
  fi
  return 0
}

service_start_quietly() {
  [ -f "$SERVICE_FILE" ] || return 0
  if [ "$PLATFORM" = darwin ]; then
    launchctl bootstrap "$(launchd_domain)" "$SERVICE_FILE" >/dev/null 2>&1
  else
    systemctl --user daemon-reload >/dev/null 2>&1
    systemctl --user enable --now "$UNIT" >/dev/null 2>&1
  fi
  return 0
}

# Asked once per run (the question before the install and the install itself share the answer).
service_manager_usable() {
  if [ -z "${SERVICE_USABLE:-}" ]; then
    SERVICE_USABLE=0
    if [ "$PLATFORM" = darwin ]; then
      command -v launchctl >/dev/null 2>&1 && SERVICE_USABLE=1
    else
      command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1 && SERVICE_USABLE=1
    fi
  fi
  [ "$SERVICE_USABLE" = 1 ]
}

# The XDG autostart entry (Desktop Entry spec): each Exec argument double-quoted with `"`, `` ` ``, `$`
# and `\` escaped, then the value's own `\` escaping, and `%` doubled (field codes).
desktop_arg() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//\`/\\\`}
  s=${s//\$/\\\$}
  s=${s//\\/\\\\}
  s=${s//%/%%}
  printf '"%s"' "$s"
}

render_autostart() {
  local name value exec_line
  exec_line="env $(desktop_arg "PATH=$(service_env_path)")"
  for name in $PASSTHROUGH_VARS; do
    eval "value=\${$name:-}"
    [ -n "$value" ] || continue
    exec_line="$exec_line $(desktop_arg "$name=$value")"
  done
  exec_line="$exec_line $(desktop_arg "$NODE") $(desktop_arg "$PREFIX/bin/bedrock-profile.js") daemon"
  RENDERED_SERVICE="[Desktop Entry]
Type=Application
Name=bedrock-profile daemon
Comment=Keeps the AWS SSO sessions of Claude Code fresh (bedrock-profile)
Exec=$exec_line
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
"
}

# The pid of the running daemon (its lock file, src/daemon/lock.ts), if one runs.
daemon_pid() {
  local pid
  [ -f "$STATE_DIR/daemon.lock" ] || return 1
  pid=$(sed -n 's/.*"pid": *\([0-9][0-9]*\).*/\1/p' "$STATE_DIR/daemon.lock" | head -n 1)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

daemon_start_now() {
  if command -v setsid >/dev/null 2>&1; then
    (cd / && exec setsid "$NODE" "$PREFIX/bin/bedrock-profile.js" daemon </dev/null >/dev/null 2>&1 &)
  else
    (cd / && exec nohup "$NODE" "$PREFIX/bin/bedrock-profile.js" daemon </dev/null >/dev/null 2>&1 &)
  fi
}

daemon_stop_now() {
  local pid i=0
  pid=$(daemon_pid) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  return 0
}

install_autostart() {
  render_autostart
  SERVICE_FILE=$AUTOSTART_FILE
  local changed=1 pid i=0
  slurp "$SERVICE_FILE"
  [ "$REPLY" = "$RENDERED_SERVICE" ] && changed=0
  if [ $changed = 1 ]; then
    # Said once: a re-run with the entry in place has nothing new to say.
    warn "no systemd user session here (systemctl --user does not answer), so no systemd unit: the daemon starts with your desktop session instead (an XDG autostart entry), and now"
    ohai "Installing the autostart entry $(pretty "$SERVICE_FILE")"
    ensure_dir "$(dirname "$SERVICE_FILE")"
    journal_file "$SERVICE_FILE"
    write_file "$SERVICE_FILE" "$RENDERED_SERVICE"
    info "$(pretty "$SERVICE_FILE"): written (starts the daemon at every graphical login)"
  fi
  # A new entry or a new version: the running daemon is the old one.
  if [ $changed = 1 ] || [ "$PREFIX_CHANGED" = 1 ]; then daemon_stop_now; fi
  if pid=$(daemon_pid); then
    info "the daemon is running (pid $pid)"
  else
    journal daemon_stop
    daemon_start_now
    while ! pid=$(daemon_pid) && [ $i -lt 100 ]; do
      sleep 0.1
      i=$((i + 1))
    done
    if [ -n "$pid" ]; then
      info "started the daemon (pid $pid)"
    else
      warn "the daemon did not start within 10 s; see 'bedrock-profile logs', then run 'bedrock-profile service start'"
    fi
  fi
  SERVICE_INSTALLED=1
}

run_logged() {
  local what=$1 out
  shift
  if ! out=$("$@" 2>&1); then
    abort "$what failed: $(printf '%s' "$out" | tr '\n' ' ')(command: $*); see 'bedrock-profile service status' and run install.sh again"
  fi
}

install_service() {
  STEP="installing the service"
  if ! service_manager_usable; then
    if [ "$PLATFORM" = darwin ]; then
      warn "launchctl is not available; the daemon is not installed as a service (run 'bedrock-profile daemon' yourself)"
      SERVICE_INSTALLED=0
    else
      install_autostart
    fi
    return 0
  fi
  render_service
  local changed=1
  slurp "$SERVICE_FILE"
  [ "$REPLY" = "$RENDERED_SERVICE" ] && changed=0
  if [ "$PLATFORM" = darwin ]; then
    ohai "Installing the LaunchAgent $LABEL"
    ensure_dir "$LOG_DIR"
    local domain
    domain=$(launchd_domain)
    if [ $changed = 1 ]; then
      ensure_dir "$(dirname "$SERVICE_FILE")"
      if launchd_loaded; then
        journal service_start
        run_logged "launchctl bootout" launchctl bootout "$domain/$LABEL"
      fi
      journal_file "$SERVICE_FILE"
      write_file "$SERVICE_FILE" "$RENDERED_SERVICE"
      info "$(pretty "$SERVICE_FILE"): written"
      journal service_stop
      launchctl enable "$domain/$LABEL" >/dev/null 2>&1 || true
      run_logged "launchctl bootstrap" launchctl bootstrap "$domain" "$SERVICE_FILE"
      info "loaded and started (launchctl bootstrap $domain)"
    elif ! launchd_loaded; then
      journal service_stop
      launchctl enable "$domain/$LABEL" >/dev/null 2>&1 || true
      run_logged "launchctl bootstrap" launchctl bootstrap "$domain" "$SERVICE_FILE"
      info "loaded and started (launchctl bootstrap $domain)"
    elif [ "$PREFIX_CHANGED" = 1 ]; then
      run_logged "launchctl kickstart" launchctl kickstart -k "$domain/$LABEL"
      info "restarted with the new version"
    else
      info "$(pretty "$SERVICE_FILE"): already installed and loaded"
    fi
  else
    ohai "Installing the systemd user unit $UNIT"
    if [ $changed = 1 ]; then
      ensure_dir "$(dirname "$SERVICE_FILE")"
      [ -f "$SERVICE_FILE" ] && journal service_start
      journal_file "$SERVICE_FILE"
      write_file "$SERVICE_FILE" "$RENDERED_SERVICE"
      info "$(pretty "$SERVICE_FILE"): written"
      journal service_stop
      run_logged "systemctl --user daemon-reload" systemctl --user daemon-reload
    fi
    if [ $changed = 1 ] || [ "$PREFIX_CHANGED" = 1 ]; then
      run_logged "systemctl --user enable" systemctl --user enable "$UNIT"
      run_logged "systemctl --user restart" systemctl --user restart "$UNIT"
      info "enabled and started (systemctl --user)"
    else
      run_logged "systemctl --user enable --now" systemctl --user enable --now "$UNIT"
      info "already installed; enabled and running"
    fi
  fi
  SERVICE_INSTALLED=1
}

# ---------------------------------------------------------------------------------------------------------
# Install

check_node() {
  STEP="checking Node.js"
  ohai "Checking Node.js and the AWS CLI"
  local node
  node=$(command -v node 2>/dev/null || true)
  [ -n "$node" ] || abort "Node.js is not installed (bedrock-profile needs Node.js >= 20.19); install it from https://nodejs.org or your package manager and run install.sh again"
  NODE=$(absolute "$node")
  local version major minor
  version=$("$NODE" -p 'process.versions.node' 2>/dev/null) || abort "$NODE does not run; fix your Node.js installation and run install.sh again"
  major=${version%%.*}
  minor=${version#*.}
  minor=${minor%%.*}
  case "$major$minor" in *[!0-9]*) abort "cannot read the Node.js version from '$version'; install Node.js >= 20.19 and run install.sh again" ;; esac
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    abort "Node.js $version is too old (bedrock-profile needs >= 20.19); install a newer Node.js (22 or 24 are fine) and run install.sh again"
  fi
  info "Node.js $version ($NODE)"
  local aws_version
  if ! command -v aws >/dev/null 2>&1; then
    warn "the AWS CLI is not installed; install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) to sign in with 'aws sso login'"
  else
    aws_version=$(aws --version 2>&1 | head -n 1 || true)
    case $aws_version in
    aws-cli/1.*) warn "AWS CLI v1 found ($aws_version): it cannot 'aws sso login'; install AWS CLI v2 to sign in" ;;
    *) info "${aws_version%% *}" ;;
    esac
  fi
}

find_source() {
  STEP="finding the source"
  if [ -z "$SOURCE_DIR" ]; then
    local self=${BASH_SOURCE[0]:-}
    if [ -n "$self" ] && [ -f "$self" ]; then
      SOURCE_DIR=$(cd "$(dirname "$self")" && pwd -P)
    elif [ -n "${BEDROCK_PROFILE_SOURCE:-}" ]; then
      SOURCE_DIR=$BEDROCK_PROFILE_SOURCE
    else
      abort "install.sh was piped to bash, so it has no source to install: bedrock-profile is not published as a package yet. Clone the repository and run ./install.sh in it, or pass the clone: ... | bash -s -- --source /path/to/bedrock-profile"
    fi
  fi
  [ -d "$SOURCE_DIR" ] || abort "the source $SOURCE_DIR is not a directory; pass --source with a bedrock-profile clone"
  SOURCE_DIR=$(cd "$SOURCE_DIR" && pwd -P)
  grep -q '"name": *"bedrock-profile"' "$SOURCE_DIR/package.json" 2>/dev/null ||
    abort "$SOURCE_DIR is not a bedrock-profile source (no package.json naming bedrock-profile); pass --source with a clone"
  # Run from an installed prefix (`bedrock-profile install`): re-do the links, rc blocks and service only.
  REINSTALL_IN_PLACE=0
  if [ -d "$PREFIX" ] && [ "$(cd "$PREFIX" && pwd -P)" = "$SOURCE_DIR" ]; then
    REINSTALL_IN_PLACE=1
  fi
}

preflight() {
  STEP="checking what is there"
  case $PREFIX in
  / | "$HOME" | "$HOME"/ | "$BIN_DIR") abort "refusing to install into $PREFIX; pass --prefix with a directory of its own" ;;
  esac
  if [ -e "$PREFIX" ] && [ ! -f "$RECEIPT" ] && [ "$REINSTALL_IN_PLACE" = 0 ]; then
    if [ ! -d "$PREFIX" ] || [ -n "$(ls -A "$PREFIX")" ]; then
      abort "$(pretty "$PREFIX") exists and was not made by this installer; move it away or pass another --prefix"
    fi
  fi
  if [ -L "$LINK" ]; then
    case $(readlink "$LINK") in
    *bedrock-profile*) ;;
    *) abort "$(pretty "$LINK") is a link to something else; move it away and run install.sh again" ;;
    esac
  elif [ -e "$LINK" ]; then
    abort "$(pretty "$LINK") exists and is not a link made by this installer; move it away and run install.sh again"
  fi
  if [ "$OPT_SHELL" = 1 ]; then
    command -v zsh >/dev/null 2>&1 && rc_preflight "${ZDOTDIR:-$HOME}/.zshrc"
    rc_preflight "$HOME/.bashrc"
    command -v fish >/dev/null 2>&1 && fish_preflight
  fi
  return 0
}

build_source() {
  STEP="building"
  if [ -d "$SOURCE_DIR/src" ] && [ -f "$SOURCE_DIR/tsconfig.build.json" ]; then
    command -v npm >/dev/null 2>&1 || abort "npm is not installed; it comes with Node.js: reinstall Node.js and run install.sh again"
    if [ -L "$SOURCE_DIR/node_modules" ]; then
      # npm ci would empty the directory the link points to, which belongs to something else.
      info "node_modules is a link; using the dependencies it points to as they are"
    elif [ ! -f "$SOURCE_DIR/node_modules/.package-lock.json" ] || [ "$SOURCE_DIR/package-lock.json" -nt "$SOURCE_DIR/node_modules/.package-lock.json" ]; then
      ohai "Installing build dependencies (npm ci: quiet until it is done, usually under a minute)"
      (cd "$SOURCE_DIR" && npm ci --no-audit --no-fund >"$TX/npm-ci.log" 2>&1) || {
        tail -n 15 "$TX/npm-ci.log" >&2
        abort "npm ci failed in $SOURCE_DIR (output above); check your network or npm cache and run install.sh again"
      }
    fi
    # Run again with nothing changed: dist/ is newer than every source and build file, nothing to build.
    if [ -f "$SOURCE_DIR/dist/cli.js" ] && [ -z "$(find "$SOURCE_DIR/src" "$SOURCE_DIR/package.json" "$SOURCE_DIR/package-lock.json" "$SOURCE_DIR"/tsconfig*.json -newer "$SOURCE_DIR/dist/cli.js" 2>/dev/null | head -n 1)" ]; then
      info "the build in $(pretty "$SOURCE_DIR/dist") is up to date"
    else
      ohai "Building (npm run build)"
      (cd "$SOURCE_DIR" && npm run build >"$TX/build.log" 2>&1) || {
        tail -n 20 "$TX/build.log" >&2
        abort "the build failed (output above); fix it (or use a released package) and run install.sh again"
      }
    fi
  elif [ -f "$SOURCE_DIR/dist/cli.js" ]; then
    ohai "Using the prebuilt program in $(pretty "$SOURCE_DIR")"
  else
    abort "$SOURCE_DIR has neither src/ to build nor a built dist/; pass --source with a complete clone"
  fi
}

launcher_text() {
  # shellcheck disable=SC2016 # the $ are for the generated script
  printf '%s\n' '#!/bin/sh' \
    '# Generated by install.sh: runs bedrock-profile with the Node.js it was installed with' \
    '# (falling back to the node on PATH if that one is gone).' \
    "node=$(sh_quote "$NODE")" \
    '[ -x "$node" ] || node=node' \
    "exec \"\$node\" $(sh_quote "$PREFIX/bin/bedrock-profile.js") \"\$@\""
}

write_launcher() {
  write_file "$1" "$(launcher_text)"$'\n'
  chmod 755 "$1"
}

stage_prefix() {
  STEP="copying the program into place"
  local parent
  parent=$(dirname "$PREFIX")
  ensure_dir "$parent"
  ohai "Installing into $(pretty "$PREFIX")"
  clean_stale "$parent" .bedrock-profile.stage
  STAGE=$(mktemp -d "$parent/.bedrock-profile.stage.$$.XXXXXX") || abort "cannot write in $(pretty "$parent"); check its permissions and run install.sh again"
  journal rmtree "$STAGE"
  chmod 755 "$STAGE"
  local item
  for item in bin dist shell launchd systemd install.sh package.json package-lock.json README.md LICENSE; do
    if [ -e "$SOURCE_DIR/$item" ]; then
      cp -R "$SOURCE_DIR/$item" "$STAGE/" || abort "cannot copy $item into $(pretty "$parent"); check free space and permissions and run install.sh again"
    fi
  done
  rm -f "$STAGE/bin/bedrock-profile"
  STEP="installing the runtime dependencies"
  if [ -d "$SOURCE_DIR/node_modules" ]; then
    # Copy what the build used, without the packages package-lock.json marks dev-only and without tool
    # caches (vitest's results change on every test run), then let npm prune check the rest: works
    # offline, no registry needed. Node copies, since it reads the lock file anyway.
    "$NODE" -e '
      const fs = require("fs"), path = require("path");
      const [src, dst, lock] = process.argv.slice(1);
      const dev = new Set();
      try {
        for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(lock, "utf8")).packages || {})) if (v && v.dev) dev.add(k);
      } catch {}
      const root = path.dirname(src);
      const relOf = (p) => path.relative(root, p).split(path.sep).join("/");
      const isDev = (rel) => { for (let r = rel; r.includes("node_modules/"); r = r.slice(0, r.lastIndexOf("/"))) if (dev.has(r)) return true; return false; };
      fs.cpSync(src, dst, { recursive: true, verbatimSymlinks: true, filter: (p) => {
        const rel = relOf(p);
        if (dev.has(rel) || /^node_modules\/\.(vite|cache)(\/|$)/.test(rel)) return false;
        // .bin links to the dev packages left out would dangle.
        if (/(^|\/)\.bin\/[^/]+$/.test(rel) && fs.lstatSync(p).isSymbolicLink()) return !isDev(relOf(path.resolve(path.dirname(p), fs.readlinkSync(p))));
        return true;
      } });
    ' "$(cd -P "$SOURCE_DIR/node_modules" && pwd)" "$STAGE/node_modules" "$SOURCE_DIR/package-lock.json" 2>"$TX/copy.log" || {
      head -n 5 "$TX/copy.log" >&2
      abort "cannot copy node_modules (above); check free space and run install.sh again"
    }
    (cd "$STAGE" && npm_config_cache="$TX/npm-cache" npm prune --omit=dev --offline --ignore-scripts --no-audit --no-fund >"$TX/npm-prune.log" 2>&1) || {
      tail -n 15 "$TX/npm-prune.log" >&2
      abort "npm prune failed (output above); run install.sh again"
    }
  else
    local cmd=install
    [ -f "$STAGE/package-lock.json" ] && cmd=ci
    (cd "$STAGE" && npm "$cmd" --omit=dev --prefer-offline --ignore-scripts --no-audit --no-fund >"$TX/npm-install.log" 2>&1) || {
      tail -n 15 "$TX/npm-install.log" >&2
      abort "installing the runtime dependencies failed (output above); check your network or npm cache and run install.sh again"
    }
  fi
  write_launcher "$STAGE/bin/bedrock-profile"
  STEP="checking the installed program"
  VERSION=$("$NODE" "$STAGE/bin/bedrock-profile.js" --version 2>"$TX/version.err") || {
    head -n 5 "$TX/version.err" >&2
    abort "the installed program does not start (output above); run install.sh again from a complete source"
  }
  # Same content as what is installed? Then keep the installed copy untouched.
  PREFIX_CHANGED=1
  if [ -d "$PREFIX" ] && diff -r -q -x "$RECEIPT_NAME" "$STAGE" "$PREFIX" >/dev/null 2>&1; then
    PREFIX_CHANGED=0
    rm -rf "$STAGE"
    info "bedrock-profile $VERSION: already installed, unchanged"
    return 0
  fi
  STEP="moving the new version into place"
  if [ -e "$PREFIX" ]; then
    local old
    old=$(mktemp -d "$parent/.bedrock-profile.old.XXXXXX")
    mv "$PREFIX" "$old/prefix"
    journal unmove "$PREFIX" "$old/prefix"
    OLD_PREFIX=$old
  fi
  mv "$STAGE" "$PREFIX"
  journal rmtree "$PREFIX"
  info "bedrock-profile $VERSION"
}

refresh_in_place() {
  STEP="checking the installed program"
  ohai "Re-applying the setup of $(pretty "$PREFIX")"
  VERSION=$("$NODE" "$PREFIX/bin/bedrock-profile.js" --version 2>/dev/null) || abort "the program in $(pretty "$PREFIX") does not start; run install.sh from a clone to reinstall it"
  PREFIX_CHANGED=0
  local launcher="$PREFIX/bin/bedrock-profile" want
  want=$(launcher_text)$'\n'
  slurp "$launcher"
  if [ "$REPLY" != "$want" ]; then
    journal_file "$launcher"
    write_launcher "$launcher"
    info "$(pretty "$launcher"): updated for $NODE"
  fi
}

link_command() {
  STEP="linking the command"
  local target="$PREFIX/bin/bedrock-profile"
  ensure_dir "$BIN_DIR"
  if [ -L "$LINK" ] && [ "$(readlink "$LINK")" = "$target" ]; then
    info "$(pretty "$LINK"): linked"
    return 0
  fi
  if [ -L "$LINK" ]; then
    journal relink "$LINK" "$(readlink "$LINK")"
  else
    journal remove "$LINK"
  fi
  rm -f "$LINK.bp-new"
  ln -s "$target" "$LINK.bp-new" || abort "cannot create $(pretty "$LINK"); check the permissions of $(pretty "$BIN_DIR") and run install.sh again"
  mv -f "$LINK.bp-new" "$LINK" || abort "cannot create $(pretty "$LINK"); check the permissions of $(pretty "$BIN_DIR") and run install.sh again"
  info "$(pretty "$LINK") -> $(pretty "$target")"
}

write_receipt() {
  STEP="writing the install receipt"
  local text="version	1
platform	$PLATFORM
prefix	$PREFIX
link	$LINK
"
  [ "${SERVICE_INSTALLED:-0}" = 1 ] && text="${text}service	$SERVICE_FILE
"
  text="$text${RC_LINES:-}"
  # The fish file: this run's, or an earlier install's (kept when this run did not touch the shells).
  local fish
  fish=$(receipt_values fish)
  [ "${FISH_WRITTEN:-0}" = 1 ] && fish=$FISH_FILE
  [ -n "$fish" ] && text="${text}fish	$fish
"
  # Keep the earlier installs' rc lines for files this run did not touch (e.g. run again with --no-shell).
  local i=0
  while [ $i -lt "$R_N" ]; do
    if [ "${R_KIND[i]}" = rc ]; then
      case $'\n'"${RC_LINES:-}" in
      *$'\n'"rc	${R_A[i]}	"*) ;;
      *) text="${text}rc	${R_A[i]}	${R_B[i]}	${R_C[i]}
" ;;
      esac
    fi
    i=$((i + 1))
  done
  local dirs d
  dirs="$(receipt_values dir)
${CREATED_DIRS:-}"
  local seen=$'\n'
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    case $seen in *$'\n'"$d"$'\n'*) continue ;; esac
    # The prefix and its staging dirs are not "created dirs": the prefix goes as a whole.
    case $d in "$PREFIX" | "$PREFIX"/* | */.bedrock-profile.*) continue ;; esac
    seen="$seen$d"$'\n'
    text="${text}dir	$d
"
  done <<EOF
$dirs
EOF
  slurp "$RECEIPT"
  [ "$REPLY" = "$text" ] && return 0
  [ "$PREFIX_CHANGED" = 1 ] || journal_file "$RECEIPT"
  write_file "$RECEIPT" "$text"
}

# Ask in a terminal. Without one, an install goes ahead (the `curl | bash` case, as Homebrew does); an
# uninstall, which deletes things, wants --yes.
confirm() {
  [ "$OPT_YES" = 1 ] && return 0
  if ! [ -t 0 ] || ! [ -t 1 ]; then
    [ "$MODE" = uninstall ] || return 0
    abort "not asking without a terminal: pass --yes to uninstall"
  fi
  local answer
  printf '%s [y/N] ' "$1"
  read -r answer || answer=''
  case $answer in
  y | Y | yes | YES | Yes) return 0 ;;
  *) abort "cancelled; nothing was changed" ;;
  esac
}

run_doctor() {
  [ "$OPT_DOCTOR" = 1 ] || return 0
  local cmd="$PREFIX/bin/bedrock-profile"
  # `help doctor` exits 0 only when the subcommand exists (older builds have none).
  "$cmd" help doctor >/dev/null 2>&1 || return 0
  ohai "Checking the setup (bedrock-profile doctor)"
  "$cmd" doctor || warn "doctor found something to fix (above); the install itself is complete"
}

install() {
  check_node
  find_source
  read_receipt
  # Re-running (or `bedrock-profile install`) keeps the link where the first install put it.
  if [ -z "$BIN_DIR_GIVEN" ] && [ -n "$(receipt_values link)" ]; then
    LINK=$(receipt_values link)
    BIN_DIR=$(dirname "$LINK")
  fi
  preflight
  local what
  what="bedrock-profile into $(pretty "$PREFIX"), the command into $(pretty "$LINK")"
  [ "$OPT_SHELL" = 1 ] && what="$what, a hook block in your shell rc files"
  # Said as it will be: without a systemd user session there is no service, but an autostart entry.
  if [ "$OPT_SERVICE" = 1 ]; then
    if [ "$PLATFORM" != darwin ] && ! service_manager_usable; then
      what="$what, the daemon as an XDG autostart entry (no systemd user session here)"
    else
      what="$what, the daemon as a service"
    fi
  fi
  ohai "This installs $what."
  confirm "Continue?"
  if [ "$REINSTALL_IN_PLACE" = 1 ]; then
    refresh_in_place
  else
    build_source
    stage_prefix
  fi
  link_command
  [ "$OPT_SHELL" = 1 ] && configure_shells
  SERVICE_INSTALLED=0
  if [ "$OPT_SERVICE" = 1 ]; then
    install_service
  elif [ -f "$SERVICE_FILE" ]; then
    SERVICE_INSTALLED=1
  elif [ "$PLATFORM" != darwin ] && [ -f "$AUTOSTART_FILE" ]; then
    SERVICE_FILE=$AUTOSTART_FILE
    SERVICE_INSTALLED=1
  fi
  write_receipt
  STEP="finishing"
  COMMITTED=1
  [ -n "${OLD_PREFIX:-}" ] && rm -rf "$OLD_PREFIX"
  ohai "bedrock-profile $VERSION is installed"
  run_doctor
  next_steps
}

# The shell the user types into: a hooked shell says so (BEDROCK_PROFILE_HOOK); else the one that ran us
# (through `bedrock-profile install`, node's parent), else the login shell. Advice is in its syntax.
user_shell() {
  local s=${BEDROCK_PROFILE_HOOK:-} p=$PPID comm i=0
  while [ -z "$s" ] && [ $i -lt 2 ] && [ "${p:-0}" -gt 1 ]; do
    comm=$(ps -o comm= -p "$p" 2>/dev/null || true)
    comm=${comm##*/}
    comm=${comm#-}
    case $comm in
    zsh | bash | fish) s=$comm ;;
    node) p=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ' || true) ;;
    *) break ;;
    esac
    i=$((i + 1))
  done
  [ -n "$s" ] || s=$(basename "${SHELL:-bash}")
  case $s in zsh | bash | fish) printf '%s' "$s" ;; *) printf 'bash' ;; esac
}

next_steps() {
  local sh
  sh=$(user_shell)
  printf '\n%sNext steps:%s\n' "$TTY_BOLD" "$TTY_RESET"
  case ":$PATH:" in
  *":$BIN_DIR:"*) ;;
  *)
    if [ "$sh" = fish ]; then
      printf -- '- %s is not on your PATH; add it (fish keeps it for every session):\n    fish_add_path %s\n' "$(pretty "$BIN_DIR")" "$(fish_quote "$BIN_DIR")"
    else
      printf -- '- %s is not on your PATH; add it in ~/.%src:\n    export PATH="%s:%s"\n' "$(pretty "$BIN_DIR")" "$sh" "$BIN_DIR" "\$PATH"
    fi
    ;;
  esac
  [ "$OPT_SHELL" = 1 ] && printf -- '- Open a new terminal (or run: exec %s) so the hook loads.\n' "$sh"
  printf -- '- In a repo: bedrock-profile status, then bedrock-profile allow to let it switch AWS_PROFILE there.\n'
  printf -- '- Uninstall any time: bedrock-profile uninstall (keeps your settings; --purge removes them too).\n'
}

# ---------------------------------------------------------------------------------------------------------
# Uninstall (the one implementation: `bedrock-profile uninstall` runs this)

uninstall() {
  UNINSTALL_PROBLEMS=0
  read_receipt
  ohai "This removes bedrock-profile from $(pretty "$PREFIX"), its service, link and shell rc blocks$([ "$OPT_PURGE" = 1 ] && printf ', and your bedrock-profile settings, trust list, state and logs')."
  confirm "Continue?"

  STEP="removing the service"
  local service
  service=$(receipt_values service)
  [ -n "$service" ] || service=$SERVICE_FILE
  if [ -f "$service" ]; then
    ohai "Stopping and removing the service"
    case $service in
    *.desktop)
      # The daemon the entry (or the install) started: stop it, as systemctl --now would.
      daemon_stop_now
      ;;
    *.plist)
      if command -v launchctl >/dev/null 2>&1; then
        if launchctl print "$(launchd_domain)/$LABEL" >/dev/null 2>&1; then
          launchctl bootout "$(launchd_domain)/$LABEL" >/dev/null 2>&1 || warn "launchctl bootout $(launchd_domain)/$LABEL failed; the daemon may still run until you log out"
        fi
      fi
      ;;
    *)
      if command -v systemctl >/dev/null 2>&1; then
        systemctl --user disable --now "$UNIT" >/dev/null 2>&1 || warn "systemctl --user disable --now $UNIT failed; the daemon may still run until you log out"
      fi
      ;;
    esac
    rm -f "$service"
    if [ "${service%.service}" != "$service" ] && command -v systemctl >/dev/null 2>&1; then
      systemctl --user daemon-reload >/dev/null 2>&1 || true
      systemctl --user reset-failed "$UNIT" >/dev/null 2>&1 || true
    fi
    info "$(pretty "$service"): removed"
  fi

  STEP="removing the shell rc blocks"
  ohai "Removing the shell hook"
  local listed rcfile
  listed=$(receipt_values rc)
  for rcfile in "${ZDOTDIR:-$HOME}/.zshrc" "$HOME/.bashrc"; do
    case $'\n'"$listed"$'\n' in *$'\n'"$rcfile"$'\n'*) ;; *) listed="$listed
$rcfile" ;; esac
  done
  while IFS= read -r rcfile; do
    [ -n "$rcfile" ] || continue
    receipt_rc "$rcfile"
    rc_remove "$rcfile" "$REPLY_SEP" "$REPLY_CREATED"
  done <<EOF
$listed
EOF
  local fish fishes
  fishes="$(receipt_values fish)
$FISH_FILE"
  while IFS= read -r fish; do
    if [ -z "$fish" ] || [ ! -f "$fish" ]; then continue; fi
    slurp "$fish"
    case $REPLY in
    "$BEGIN_MARK"$'\n'*)
      rm -f "$fish"
      info "$(pretty "$fish"): removed"
      ;;
    esac
  done <<EOF
$fishes
EOF

  STEP="removing the program"
  ohai "Removing the program"
  local link
  link=$(receipt_values link)
  [ -n "$link" ] || link=$LINK
  if [ -L "$link" ]; then
    case $(readlink "$link") in
    "$PREFIX"/*)
      rm -f "$link"
      info "$(pretty "$link"): removed"
      ;;
    esac
  fi
  if [ -f "$RECEIPT" ]; then
    rm -rf "$PREFIX" || {
      warn "could not remove $(pretty "$PREFIX") entirely; remove it by hand"
      UNINSTALL_PROBLEMS=1
    }
    info "$(pretty "$PREFIX"): removed"
  elif [ -e "$PREFIX" ]; then
    warn "$(pretty "$PREFIX") has no install receipt, so it was not made by install.sh; left as it is (remove it by hand if it is bedrock-profile)"
    UNINSTALL_PROBLEMS=1
  fi
  # Directories the installs created, deepest first, if nothing else lives in them now (rmdir removes only
  # empty ones: a log directory with logs in it stays).
  local dirs="" d
  while IFS= read -r d; do
    [ -n "$d" ] && dirs="$d
$dirs"
  done <<EOF
$(receipt_values dir)
EOF
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    rmdir "$d" 2>/dev/null || true
  done <<EOF
$dirs
EOF

  STEP="removing your data"
  # The cache (hook records, tool versions) is rebuilt on demand: not user data, it always goes.
  if [ -e "$CACHE_DIR" ]; then
    rm -rf "$CACHE_DIR"
    info "$(pretty "$CACHE_DIR"): removed (cache)"
  fi
  if [ "$OPT_PURGE" = 1 ]; then
    ohai "Removing your bedrock-profile settings, trust list, state and logs"
    for d in "$CONFIG_DIR" "$STATE_DIR" "$LOG_DIR"; do
      if [ -e "$d" ]; then
        rm -rf "$d"
        info "$(pretty "$d"): removed"
      fi
    done
    # Empty parents the installs created (e.g. ~/Library/Logs/bedrock-profile's).
    while IFS= read -r d; do
      if [ -n "$d" ]; then rmdir "$d" 2>/dev/null || true; fi
    done <<EOF
$dirs
EOF
  else
    rmdir "$LOG_DIR" 2>/dev/null || true
    local kept=""
    for d in "$CONFIG_DIR" "$STATE_DIR" "$LOG_DIR"; do
      [ -e "$d" ] && case " $kept " in *" $(pretty "$d") "*) ;; *) kept="$kept $(pretty "$d")" ;; esac
    done
    [ -n "$kept" ] && info "kept your settings and data in:$kept (uninstall --purge removes them)"
  fi
  if [ "$UNINSTALL_PROBLEMS" = 1 ]; then
    abort "bedrock-profile is uninstalled, except for what the warnings above name; remove those by hand"
  fi
  ohai "bedrock-profile is uninstalled"
}

main "$@"
