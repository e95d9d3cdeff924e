#!/usr/bin/env bash
# Parser throughput: runs `trustc check --timings` REPEAT times (default 5) on a generated
# program and prints the median of the "parse" phase (lexing, parsing and the tree transform
# of every module, read from a warm page cache) and the megabytes of .trust source per second.
#   tests/bench/compiler/parse_throughput.sh TRUSTC PROGRAM_DIR [REPEAT]
# PROGRAM_DIR is what gen_program wrote (main.trust and its modules).
set -euo pipefail
trustc=$(realpath "$1") dir=$2 repeat=${3:-5}
cd "$dir"
bytes=$(cat ./*.trust | wc -c)
times=()
for ((r = 0; r < repeat; r++)); do
  # The cache off: it would give the trees of modules parsed before (and the facts of the
  # certificates), and what is measured here is parsing.
  times+=("$(TRUSTC_CACHE_DIR=off "$trustc" check main.trust --timings 2>&1 >/dev/null |
    awk '$1 == "parse" {print $2}')")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
awk -v b="$bytes" -v s="$median" -v all="${times[*]}" 'BEGIN {
  printf "parse %.3f s (median of: %s) for %.2f MB of source: %.2f MB/s\n", s, all, b / 1e6, b / 1e6 / s
}'
