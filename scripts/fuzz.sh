#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, scripts/configure-sanitize.sh, in
# build-sanitize/) and runs each one for SECONDS (default 60) on a scratch copy of its seed
# corpus (tests/fuzz/corpus/<target>/), FUZZ_JOBS targets at a time (default: the core count).
# Fails when any target crashes; the crashing input is left in build-sanitize/findings/<target>/
# (copy it to tests/fuzz/regressions/<target>/ once fixed: the replay test keeps it fixed).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 fuzz_parse fuzz_jks
set -euo pipefail
cd "$(dirname "$0")/.."

all=(fuzz_parse fuzz_cert fuzz_jks fuzz_pkcs12 fuzz_pem_bundle fuzz_manifest fuzz_bundle
  fuzz_facts_cache fuzz_graphman)
seconds=60
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
parallel=${FUZZ_JOBS:-$(nproc)}
root=build-sanitize

scripts/configure-sanitize.sh "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# run TARGET: one fuzzing session; its summary goes to $root/TARGET.summary.
run() {
  local target=$1
  local work=$root/corpus/$target findings=$root/findings/$target log=$root/$target.log
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp -r tests/fuzz/corpus/"$target"/. "$work"/
  [[ -d tests/fuzz/regressions/$target ]] && cp -r tests/fuzz/regressions/"$target"/. "$work"/
  rm -f "$work"/README.md
  local seeds
  seeds=$(ls "$work" | wc -l)
  if "$root"/bin/"$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" "$work" >"$log" 2>&1; then
    echo "$target ${seconds}s seeds=$seeds $(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" |
      sed 's/^stat:://; s/: */=/' | tr '\n' ' ')corpus=$(ls "$work" | wc -l)" >"$root/$target.summary"
  else
    {
      echo "!! $target crashed; see $log and $findings/"
      grep -m1 -A12 -E '^==[0-9]+==ERROR|runtime error|fuzz invariant' "$log" || tail -20 "$log"
    } >"$root/$target.summary"
    return 1
  fi
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
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "crashed: ${failed[*]}"
  exit 1
fi
