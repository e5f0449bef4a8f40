#!/bin/sh
# shellcheck every bash/sh file we ship; zsh and fish have no linter, they are tested by running them.
set -eu
cd "$(dirname "$0")/.."
files=$(ls shell/*.bash install.sh scripts/*.sh .ci/run bench/*.sh test/support/bin/* 2>/dev/null | while read -r f; do
  head -n1 "$f" | grep -qE '^#!.*(ba)?sh' && echo "$f"; case "$f" in *.bash) echo "$f";; esac
done | sort -u)
[ -z "$files" ] && exit 0
# shellcheck disable=SC2086
shellcheck -x $files
