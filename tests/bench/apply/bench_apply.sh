#!/usr/bin/env bash
# trust-apply vs keytool on big stores. Not part of ctest.
#
#   tests/bench/apply/bench_apply.sh [BUILD_DIR]      (default: build)
#   N=10000 ADD=100 KEEP=1 tests/bench/apply/bench_apply.sh build-rt2
#
# For a 10,000-entry JKS and a 10,000-entry PKCS#12 (made by bench_make_stores with the
# runtime's writers and one signing key): the time of one `trust-apply apply` adding 100
# certificates, against 100 `keytool -importcert -noprompt` calls adding the same ones; then a
# no-op re-apply, which must not rewrite the file (same inode, same mtime). Prints a table.
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-build}
[[ $build = /* ]] || build=$root/$build
n=${N:-10000}
add=${ADD:-100}

command -v keytool >/dev/null || { echo "bench_apply.sh: keytool is not installed" >&2; exit 1; }
cmake --build "$build" -j2 --target trust-apply bench_make_stores >/dev/null
apply=$build/bin/trust-apply

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-apply-XXXXXX")
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$work"' EXIT
"$build/bin/bench_make_stores" "$work" "$n" "$add"
export BENCH_STOREPASS=changeit

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
count() {  # entries of a store (trust-apply list), and keytool finds the last one added
  keytool -list -alias "new-$((add - 1))" -keystore "$1" -storetype "$2" \
    -storepass:env BENCH_STOREPASS >/dev/null || { echo "keytool cannot read $1" >&2; exit 1; }
  "$apply" list "$1" --password-env BENCH_STOREPASS | wc -l
}
stamp() { stat -c '%i %y' "$1"; }

rows=()
for fmt in jks p12; do
  type=$([[ $fmt = jks ]] && echo JKS || echo PKCS12)
  size=$(stat -c %s "$work/base.$fmt")

  cp "$work/base.$fmt" "$work/work.$fmt"
  t0=$(now)
  "$apply" apply --no-backup "$work/keystores/$fmt.manifest.json" >/dev/null
  t1=$(now)
  t_apply=$(elapsed "$t0" "$t1")
  got=$(count "$work/work.$fmt" "$type")
  [[ $got = $((n + add)) ]] || { echo "trust-apply: $got entries, expected $((n + add))" >&2; exit 1; }

  before=$(stamp "$work/work.$fmt")
  t0=$(now)
  "$apply" apply --no-backup "$work/keystores/$fmt.manifest.json" >/dev/null
  t1=$(now)
  t_noop=$(elapsed "$t0" "$t1")
  after=$(stamp "$work/work.$fmt")
  if [[ $before = "$after" ]]; then rewritten=no; else rewritten=YES; fi

  cp "$work/base.$fmt" "$work/keytool.$fmt"
  t0=$(now)
  for ((i = 0; i < add; i++)); do
    keytool -importcert -noprompt -alias "new-$i" -file "$work/add/$i.der" \
      -keystore "$work/keytool.$fmt" -storetype "$type" -storepass:env BENCH_STOREPASS >/dev/null 2>&1
  done
  t1=$(now)
  t_keytool=$(elapsed "$t0" "$t1")
  got=$(count "$work/keytool.$fmt" "$type")
  [[ $got = $((n + add)) ]] || { echo "keytool: $got entries, expected $((n + add))" >&2; exit 1; }

  ratio=$(echo "scale=1; $t_keytool / $t_apply" | bc)
  rows+=("$(printf '%-7s %8s %9d %16.3f %18.3f %8sx %12.3f  %s' "$type" "$n" "$size" \
    "$t_apply" "$t_keytool" "$ratio" "$t_noop" "$rewritten (inode+mtime $after)")")
done

echo
printf '%-7s %8s %9s %16s %18s %9s %12s  %s\n' format entries bytes \
  "trust-apply (s)" "${add}x keytool (s)" ratio "no-op (s)" "no-op rewrote the file?"
for row in "${rows[@]}"; do echo "$row"; done
