#!/usr/bin/env bash
# The generated bash completions load, complete every subcommand and every long flag the
# binaries' --help shows, choices of option values, and .trust files for FILE arguments.
# Usage: bash_completion.sh COMPLETIONS_DIR PROGRAM...
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dir=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# complete_words FILE FUNCTION WORD...: what FUNCTION completes for the last WORD.
complete_words() {
  local file=$1 fn=$2
  shift 2
  bash -c 'source "$1" && fn=$2 && shift 2 && COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) &&
           "$fn" && printf "%s\n" "${COMPREPLY[@]}"' _ "$file" "$fn" "$@"
}

for prog in "$@"; do
  name=$(basename "$prog")
  fn=_${name//-/_}
  file=$dir/$name.bash
  [ -f "$file" ] || fail "no $file"
  diff <("$prog" --completion bash) "$file" >/dev/null || fail "$file is stale"
  bash -c 'source "$1" && complete -p "$2"' _ "$file" "$name" | grep -q -- "-F $fn $name" ||
    fail "$file does not register $fn for $name"
  subs=$(subcommands "$prog")
  for sub in $subs; do
    complete_words "$file" "$fn" "$name" "${sub:0:2}" | grep -x -- >/dev/null "$sub" ||
      fail "$name ${sub:0:2}<TAB> does not offer $sub"
    for flag in $(long_flags "$prog" "$sub"); do
      complete_words "$file" "$fn" "$name" "$sub" -- | grep -x -- >/dev/null "$flag" ||
        fail "$name $sub --<TAB> does not offer $flag"
    done
  done
done

if [ -f "$dir/trustc.bash" ]; then
  [ "$(complete_words "$dir/trustc.bash" _trustc trustc ch)" = check ] ||
    fail "trustc ch<TAB> is not check"
  mkdir -p "$tmp/work/sub.d"
  touch "$tmp/work/a.trust" "$tmp/work/b.txt"
  got=$(cd "$tmp/work" && complete_words "$dir/trustc.bash" _trustc trustc check -q "" | sort |
        tr '\n' ' ')
  [ "$got" = "a.trust sub.d " ] || fail "trustc check <TAB> gave '$got', not the .trust files"
  got=$(complete_words "$dir/trustc.bash" _trustc trustc check --diagnostics-format "" |
        tr '\n' ' ')
  [ "$got" = "text json sarif " ] || fail "--diagnostics-format <TAB> gave '$got'"
fi
if [ -f "$dir/trust-apply.bash" ]; then
  got=$(complete_words "$dir/trust-apply.bash" _trust_apply trust-apply list --format "" |
        tr '\n' ' ')
  [ "$got" = "jks pkcs12 pem " ] || fail "trust-apply list --format <TAB> gave '$got'"
fi
echo "ok: bash completions"
