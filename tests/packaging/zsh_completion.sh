#!/usr/bin/env bash
# The generated zsh completions parse (zsh -n), are current, and name every subcommand and long
# flag of the binaries. Skipped (77) without zsh.
# Usage: zsh_completion.sh COMPLETIONS_DIR PROGRAM...
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dir=$1
shift
for prog in "$@"; do
  name=$(basename "$prog")
  file=$dir/_$name
  [ -f "$file" ] || fail "no $file"
  diff <("$prog" --completion zsh) "$file" >/dev/null || fail "$file is stale"
  head -1 "$file" | grep -qx "#compdef $name" || fail "$file does not start with #compdef"
  for sub in $(subcommands "$prog"); do
    grep -q "^        '$sub:" "$file" || fail "$file does not offer $sub"
    for flag in $(long_flags "$prog" "$sub"); do
      grep -qe "$flag" "$file" || fail "$file does not offer $name $sub $flag"
    done
  done
done
if ! command -v zsh >/dev/null; then
  echo "zsh is not installed: skipping zsh -n"
  exit 77
fi
for prog in "$@"; do
  zsh -n "$dir/_$(basename "$prog")" || fail "zsh -n _$(basename "$prog")"
done
echo "ok: zsh completions"
