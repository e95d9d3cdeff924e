#!/bin/sh
# Loads every example, golden and std .trust file in Vim with editors/vim on the runtime path
# and fails on any error message (a broken syntax file reports E-numbers). Skips without vim.
# -n: no swap file, so nothing is written beside the sources (other tests copy those folders).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
if ! command -v vim >/dev/null 2>&1; then
  echo "SKIP: vim not installed"
  exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
for file in $(find "$repo/examples" "$repo/tests/golden" "$repo/stdlib/std" -type f -name '*.trust' | sort); do
  timeout 20 vim -Es -n -u NONE -i NONE --cmd "set rtp^=$here" -c 'filetype plugin on' \
    -c 'syntax on' -c "e $file" -c "redir! > $out" -c 'messages' \
    -c 'echo "filetype=" . &filetype' -c 'redir END' -c 'qa!' || true
  if grep -q 'E[0-9][0-9]*:' "$out" || ! grep -q 'filetype=trust' "$out"; then
    echo "$file:"; cat "$out"; status=1
  fi
done
[ $status -eq 0 ] && echo "vim: every .trust file loads with filetype trust and no errors"
exit $status
