#!/bin/sh
# Lint every bash/sh file we ship; zsh and fish have no linter, they are tested by running them.
set -eu
cd "$(dirname "$0")/.."
files=""
for f in shell/*.bash install.sh scripts/*.sh .ci/run bench/*.sh test/support/bin/*; do
  [ -f "$f" ] || continue
  case "$f" in
    *.bash) files="$files $f" ;;
    *) head -n 1 "$f" | grep -qE '^#!.*[/ ](ba)?sh( |$)' && files="$files $f" ;;
  esac
done
[ -z "$files" ] && exit 0
# shellcheck disable=SC2086 # word splitting of the file list is intended (no spaces in our paths)
shellcheck -x $files
