#!/usr/bin/env bash
# The compiler benchmark: for each N (default 1000 10000; 100000 when asked) generates a program
# of N certificates (tests/bench/compiler/gen_program.cpp), then times, each the best of
# BENCH_REPEAT runs (default 3) on a warm page cache:
#   hash      read + SHA-256 every certificate file (the read-and-hash floor)
#   parse     the same + d2i_X509 (the parsing floor)
#   check     trustc check main.trust
#   build     trustc build, cold: empty certificate-facts cache (TRUSTC_CACHE_DIR), no output
#             directory (the previous one is moved aside, not deleted: on this machine's ext4,
#             mounted with online discard, creating 5,000 files right after deleting 5,000
#             took 1.4-2.0 s instead of 0.3-0.6 s; set-aside trees are deleted at the end)
#   rebuild   trustc build again with the cache filled and a comment of main.trust changed (a
#             warm rebuild: the output directory is up to date, so it is only checked)
#   edit      the same after a change of main.trust's tokens that changes no artifact (an unused
#             param): parsed and checked again, every artifact reused
#   1-cert    trustc build again after one of gw_b's certificates changed (swapped with
#             certs/spare.der): what changes is one gateway's bundles
# and prints wall seconds, peak RSS and the ratios build/parse, rebuild/hash and 1-cert/edit
# (one changed certificate should cost no more than a rebuild of all else plus one bundle); then
# the growth
# of build time between the two largest N, the phases of a cold and a warm build at the largest
# N up to 10,000 (`trustc build --timings`), and the trust-apply benchmark against keytool
# (tests/bench/apply/bench_apply.sh; BENCH_APPLY=0 skips it), and the language server's request
# latencies on a 10,000-line file, one row per request (tests/bench/lsp/bench_lsp.sh;
# BENCH_LSP=0 skips it).
#   scripts/bench.sh [N...]        e.g. scripts/bench.sh 1000 10000 100000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)
repeat=${BENCH_REPEAT:-3}
jobs=${BENCH_BUILD_JOBS:-2}
root=$PWD/build-bench

cmake -S . -B "$root" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root" -j"$jobs" --target trustc trust-apply bench_make_stores >/dev/null
cmake -S tests/bench/compiler -B "$root/tools" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/tools" -j"$jobs" >/dev/null
trustc=$root/bin/trustc
tools=$root/tools
# Output directories of cold builds, moved aside (see `build` above).
aside=$root/set-aside
rm -rf "$aside"
mkdir -p "$aside"
set_aside() { if [[ -e $1 ]]; then mv "$1" "$(mktemp -d "$aside/out.XXXXXX")/"; fi; }

# measure PREFIX SETUP -- COMMAND...: the best wall time of $repeat runs, and the peak RSS
# (MB) of that run, into ${PREFIX}_s and ${PREFIX}_mb. SETUP runs before each (untimed).
measure() {
  local prefix=$1 setup=$2
  shift 3
  local best="" best_mb="" s kb
  for ((r = 0; r < repeat; r++)); do
    eval "$setup"
    if ! "$tools/measure" "$@" >"$root/last.time" 2>"$root/last.stderr"; then
      echo "failed: $*" >&2
      tail -n 20 "$root/last.stderr" >&2
      exit 1
    fi
    read -r s kb <"$root/last.time"
    if [[ -z $best ]] || awk "BEGIN{exit !($s < $best)}"; then
      best=$s
      best_mb=$((kb / 1024))
    fi
  done
  printf -v "${prefix}_s" '%s' "$best"
  printf -v "${prefix}_mb" '%s' "$best_mb"
}

row='%-8s %8s %8s %14s %14s %14s %14s %14s %10s %12s %12s\n'
# shellcheck disable=SC2059
printf "$row" N hash parse check build rebuild edit 1-cert build/parse rebuild/hash 1-cert/edit
# shellcheck disable=SC2059
printf "$row" '' '(s)' '(s)' '(s / MiB)' '(s / MiB)' '(s / MiB)' '(s / MiB)' '(s / MiB)' '' '' ''
# swap_certificate A B: exchanges two certificate files (a one-certificate change each time).
swap_certificate() {
  mv "$1" "$1.swap" && mv "$2" "$1" && mv "$1.swap" "$2"
  swaps=$((swaps + 1))
}

for n in "${sizes[@]}"; do
  data=$root/data/$n
  if [[ ! -f $data/main.trust || ! -f $data/certs/spare.der ]]; then
    rm -rf "$data"
    "$tools/gen_program" "$n" "$data" >/dev/null
  fi
  cp "$data/main.trust" "$data/main.trust.orig"
  cd "$data"
  "$tools/cert_floor" hash . >/dev/null  # warm the page cache
  export TRUSTC_CACHE_DIR=$root/cache/$n
  measure hash : -- "$tools/cert_floor" hash .
  measure parse : -- "$tools/cert_floor" parse .
  measure check "rm -rf '$TRUSTC_CACHE_DIR'" -- "$trustc" check main.trust
  measure build "rm -rf '$TRUSTC_CACHE_DIR'; set_aside out" -- "$trustc" build main.trust -o out
  "$trustc" build main.trust -o out >/dev/null 2>&1
  measure rebuild "cp main.trust.orig main.trust; echo \"// edit \$RANDOM\" >>main.trust" -- \
    "$trustc" build main.trust -o out
  measure edit "cp main.trust.orig main.trust; echo \"param bench_edit = \\\"\$RANDOM\\\"\" >>main.trust" -- \
    "$trustc" build main.trust -o out
  cp main.trust.orig main.trust
  "$trustc" build main.trust -o out >/dev/null 2>&1
  # The last leaf with i % 4 == 1 belongs to gw_b and to no user; each run swaps it again.
  for ((swapped = n - 1; swapped % 4 != 1; swapped--)); do :; done
  swaps=0
  measure onecert "swap_certificate certs/cert-$swapped.der certs/spare.der" -- \
    "$trustc" build main.trust -o out
  ((swaps % 2 == 0)) || swap_certificate "certs/cert-$swapped.der" certs/spare.der
  cd - >/dev/null
  # shellcheck disable=SC2059
  printf "$row" "$n" "$hash_s" "$parse_s" \
    "$check_s / $check_mb" "$build_s / $build_mb" "$rebuild_s / $rebuild_mb" \
    "$edit_s / $edit_mb" "$onecert_s / $onecert_mb" \
    "$(awk "BEGIN{printf \"%.2f\", $build_s / ($parse_s > 0 ? $parse_s : 0.01)}")" \
    "$(awk "BEGIN{printf \"%.2f\", $rebuild_s / ($hash_s > 0 ? $hash_s : 0.01)}")" \
    "$(awk "BEGIN{printf \"%.2f\", $onecert_s / ($edit_s > 0 ? $edit_s : 0.01)}")"
  printf -v "build_of_$n" '%s' "$build_s"
done

# Linear growth: build time ratio between consecutive sizes, against the ratio of the sizes.
for ((i = 1; i < ${#sizes[@]}; i++)); do
  small=${sizes[i - 1]} large=${sizes[i]}
  small_s=build_of_$small large_s=build_of_$large
  echo "build($large) / build($small) = $(awk "BEGIN{printf \"%.2f\", ${!large_s} / ${!small_s}}")" \
    "(N grew $(awk "BEGIN{printf \"%g\", $large / $small}")x)"
done

# Where a build's time goes, cold (empty facts cache) and warm (cache filled, a token edited:
# a comment alone would leave the output directory up to date, with nothing to profile).
profile_n=
for n in "${sizes[@]}"; do ((n <= 10000)) && profile_n=$n; done
if [[ -n $profile_n ]]; then
  cd "$root/data/$profile_n"
  export TRUSTC_CACHE_DIR=$root/cache/$profile_n
  rm -rf "$TRUSTC_CACHE_DIR"
  set_aside out
  echo
  echo "cold build, N=$profile_n:"
  "$trustc" build main.trust -o out --timings 2>&1 >/dev/null | tail -n +2
  echo 'param bench_edit = "profile"' >>main.trust
  echo "warm rebuild after a token edit, N=$profile_n:"
  "$trustc" build main.trust -o out --timings 2>&1 >/dev/null | tail -n +2
  cp main.trust.orig main.trust
  cd - >/dev/null
fi

if [[ ${BENCH_APPLY:-1} != 0 ]]; then
  echo
  tests/bench/apply/bench_apply.sh "$root"
fi

if [[ ${BENCH_LSP:-1} != 0 ]]; then
  echo
  BUILD_DIR=$root tests/bench/lsp/bench_lsp.sh 10000
fi

rm -rf "$aside"
