#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and runs each one for
# SECONDS (default 60) on a scratch copy of its seed corpus (tests/fuzz/corpus/<target>/).
# Fails when any target crashes; the crashing input is left in build-fuzz/findings/<target>/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 fuzz_parse fuzz_jks
set -euo pipefail
cd "$(dirname "$0")/.."

all=(fuzz_parse fuzz_cert fuzz_jks fuzz_pkcs12 fuzz_pem_bundle fuzz_manifest fuzz_bundle)
seconds=60
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
jobs=${FUZZ_BUILD_JOBS:-2}

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRUST_FUZZ=ON \
  >/dev/null
cmake --build build-fuzz -j"$jobs" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for target in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/$target
  work=build-fuzz/corpus/$target
  findings=build-fuzz/findings/$target
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp -r "$seeds"/. "$work"/
  [[ -d tests/fuzz/regressions/$target ]] && cp -r tests/fuzz/regressions/"$target"/. "$work"/
  rm -f "$work"/README.md
  log=build-fuzz/$target.log
  echo "== $target: ${seconds}s, $(ls "$work" | wc -l) seeds"
  if build-fuzz/bin/"$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" "$work" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" |
      tr '\n' ' '
    echo "corpus=$(ls "$work" | wc -l)"
  else
    echo "!! $target crashed; see $log and $findings/"
    grep -m1 -A12 -E '^==[0-9]+==ERROR|runtime error|fuzz invariant' "$log" || tail -20 "$log"
    failed+=("$target")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "crashed: ${failed[*]}"
  exit 1
fi
