#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, scripts/configure-sanitize.sh, in
# build-sanitize/) and runs each one for SECONDS (default 60) on a scratch copy of its seed
# corpus (tests/fuzz/corpus/<target>/), FUZZ_JOBS targets at a time (default: the core count).
# Fails when any target crashes; the crashing input is left in <build>/findings/<target>/
# (copy it to tests/fuzz/regressions/<target>/ once fixed: the replay test keeps it fixed).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 fuzz_parse fuzz_jks
# A campaign runs the targets for HOURS of wall time in all (each gets its share) and keeps
# what they found: the inputs that add coverage are merged (-merge=1, so only those) into
# tests/fuzz/corpus/<target>/, ready to commit, and the executions are added to
# tests/fuzz/campaigns.tsv, whose totals per target it prints.
#   scripts/fuzz.sh --campaign HOURS [TARGET...]   e.g. scripts/fuzz.sh --campaign 8
# FUZZ_SANITIZE=0 builds and runs the targets without sanitizers, in build-fuzz/ (several
# times the executions per second: for measuring, and for long campaigns between CI's runs).
set -euo pipefail
cd "$(dirname "$0")/.."

table=tests/fuzz/targets.tsv  # each target and the directory of its inputs
mapfile -t all < <(awk '!/^#/ && NF { print $1 }' "$table")
seconds=60
campaign_hours=
if [[ $# -gt 1 && $1 == --campaign ]]; then
  campaign_hours=$2
  shift 2
elif [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
parallel=${FUZZ_JOBS:-$(nproc)}
if [[ -n $campaign_hours ]]; then
  # Each target's share of the wall time: the targets run $parallel at a time.
  seconds=$(awk -v h="$campaign_hours" -v p="$parallel" -v n="${#targets[@]}" \
    'BEGIN {s = int(h * 3600 * (p < n ? p : n) / n); print (s > 0 ? s : 1)}')
fi

if [[ ${FUZZ_SANITIZE:-1} == 0 ]]; then
  root=build-fuzz
  scripts/install-deps.sh --sanitize
  flags="-O2 -gline-tables-only"
  CC=clang CXX=clang++ cmake -S . -B "$root" -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_CXX_FLAGS="$flags" -DTRUST_FUZZ=ON >/dev/null
  build_targets=()
  for target in "${targets[@]}"; do build_targets+=(--target "$target"); done
  cmake --build "$root" -j"${BUILD_JOBS:-$(nproc)}" "${build_targets[@]}"
else
  root=build-sanitize
  scripts/configure-sanitize.sh "${targets[@]}"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# inputs TARGET: its directory under tests/fuzz/corpus/ and regressions/, as the table says
# (the two targets reading .trust sources share fuzz_parse's).
inputs() {
  local dir
  dir=$(awk -v target="$1" '!/^#/ && $1 == target { print $2 }' "$table")
  [[ -n $dir ]] || { echo "fuzz.sh: no target $1 in $table" >&2; return 1; }
  echo "$dir"
}

# run TARGET: one fuzzing session; its summary goes to $root/TARGET.summary.
run() {
  local target=$1
  local work=$root/corpus/$target findings=$root/findings/$target log=$root/$target.log
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  local inputs
  inputs=$(inputs "$target")
  cp -r tests/fuzz/corpus/"$inputs"/. "$work"/
  [[ -d tests/fuzz/regressions/$inputs ]] && cp -r tests/fuzz/regressions/"$inputs"/. "$work"/
  rm -f "$work"/README.md
  local seeds
  seeds=$(ls "$work" | wc -l)
  if "$root"/bin/"$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" "$work" >"$log" 2>&1; then
    echo "$target ${seconds}s seeds=$seeds $(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" |
      sed 's/^stat:://; s/: */=/' | tr '\n' ' ')corpus=$(ls "$work" | wc -l)" >"$root/$target.summary"
    [[ -z $campaign_hours ]] || keep "$target" "$work" "$log"
  else
    {
      echo "!! $target crashed; see $log and $findings/"
      grep -m1 -A12 -E '^==[0-9]+==ERROR|runtime error|fuzz invariant' "$log" || tail -20 "$log"
    } >"$root/$target.summary"
    return 1
  fi
}

# keep TARGET WORK LOG (campaigns): merges the inputs of WORK that add coverage into the
# committed corpus and records the executions.
keep() {
  local target=$1 work=$2 log=$3 executions
  "$root"/bin/"$target" -merge=1 -timeout=25 -rss_limit_mb=4096 -max_len=65536 \
    tests/fuzz/corpus/"$(inputs "$target")" "$work" >"$root/$target.merge.log" 2>&1
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  printf '%s\t%s\t%s\n' "$target" "${executions:-0}" "$seconds" >>"$root/$target.executions"
}

failed=()
pids=()
for target in "${targets[@]}"; do
  run "$target" &
  pids+=($!)
  if [[ ${#pids[@]} -ge $parallel ]]; then
    wait "${pids[0]}" || true
    pids=("${pids[@]:1}")
  fi
done
wait || true
for target in "${targets[@]}"; do
  cat "$root/$target.summary"
  grep -q '^!!' "$root/$target.summary" && failed+=("$target")
done
if [[ -n $campaign_hours ]]; then
  [[ -f tests/fuzz/campaigns.tsv ]] ||
    printf '# target\texecutions\tseconds: one line per target and campaign (scripts/fuzz.sh --campaign)\n' \
      >tests/fuzz/campaigns.tsv
  for target in "${targets[@]}"; do
    [[ ! -f $root/$target.executions ]] || cat "$root/$target.executions" >>tests/fuzz/campaigns.tsv
    rm -f "$root/$target.executions"
  done
  echo "cumulative executions (tests/fuzz/campaigns.tsv):"
  awk -F'\t' '!/^#/ {runs[$1] += $2; secs[$1] += $3}
    END {for (t in runs) printf "  %-18s %12d executions in %8d s\n", t, runs[t], secs[t]}' \
    tests/fuzz/campaigns.tsv | sort
fi
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "crashed: ${failed[*]}"
  exit 1
fi
