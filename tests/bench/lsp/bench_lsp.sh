#!/bin/sh
# Builds trustc and bench_lsp (RelWithDebInfo, into build/ unless BUILD_DIR says otherwise),
# makes LINES/6 distinct self-signed certificates once (kept in the build directory), and
# prints the language server's latencies on a generated file of LINES lines.
#   tests/bench/lsp/bench_lsp.sh [LINES]   (default 10000)
set -eu
repo=$(cd "$(dirname "$0")/../../.." && pwd)
build=${BUILD_DIR:-$repo/build}
lines=${1:-10000}
certs=$((lines / 6))
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target trustc bench_lsp >/dev/null
dir="$build/bench-lsp-certs"
mkdir -p "$dir"
[ -f "$dir/key.pem" ] || openssl ecparam -name prime256v1 -genkey -noout -out "$dir/key.pem"
i=0
while [ $i -lt $certs ]; do
  [ -f "$dir/c$i.pem" ] || openssl req -x509 -key "$dir/key.pem" -subj "/CN=bench $i" \
    -days 3650 -out "$dir/c$i.pem" 2>/dev/null
  i=$((i + 1))
done
"$build/bin/bench_lsp" "$lines" "$dir"
