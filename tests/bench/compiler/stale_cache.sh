#!/usr/bin/env bash
# A long-lived CI cache: build times of a generated program with its certificate-facts cache
# clean, then with MIB MiB (default 200) of records of certificates no build uses, 60 days
# old, put into the pack (stale_pack.py): the first build after that, then the median of
# REPEAT (default 3) more. Prints the pack's size after each step.
#   tests/bench/compiler/stale_cache.sh TRUSTC PROGRAM_DIR MEASURE [MIB] [REPEAT] [PACK_VERSION]
# MEASURE is gen_program's companion tests/bench/compiler/measure; PACK_VERSION is 4 (3 for a
# trustc from before the last-used stamps).
set -euo pipefail
trustc=$(realpath "$1") dir=$2 measure=$(realpath "$3") mib=${4:-200} repeat=${5:-3}
version=${6:-4}
here=$(cd "$(dirname "$0")" && pwd)
cd "$dir"
export TRUSTC_CACHE_DIR=$PWD/stale-cache
pack=$TRUSTC_CACHE_DIR/certs-v2.pack
rm -rf "$TRUSTC_CACHE_DIR" out
"$trustc" build main.trust -o out >/dev/null 2>&1  # fills the cache
size() { echo "$(($(stat -c %s "$pack") >> 20)) MiB"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
runs() {
  local times=()
  for ((r = 0; r < repeat; r++)); do times+=("$("$measure" "$trustc" build main.trust -o out | cut -d' ' -f1)"); done
  echo "$(median "${times[@]}") s (median of ${times[*]})"
}
echo "clean cache ($(size)):            $(runs)"
python3 "$here/stale_pack.py" "$pack" "$version" "$mib" $(($(date +%s) / 86400 - 60))
echo "stale records added ($(size))"
echo "first build after:                $("$measure" "$trustc" build main.trust -o out | cut -d' ' -f1) s (pack now $(size))"
echo "later builds ($(size)):           $(runs)"
rm -rf "$TRUSTC_CACHE_DIR" out
