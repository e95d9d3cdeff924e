#!/usr/bin/env bash
# Configures and builds build-sanitize/: clang with AddressSanitizer + UndefinedBehaviorSanitizer
# on everything (TRUST_SANITIZE) and the libFuzzer targets (TRUST_FUZZ). One build serves both
# scripts/test-sanitize.sh (the whole test suite) and scripts/fuzz.sh (the fuzz targets).
# -O1 with line tables only: a third faster to build than RelWithDebInfo, and reports still
# name file:line.   scripts/configure-sanitize.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --sanitize
flags="-O1 -gline-tables-only"
CC=clang CXX=clang++ cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DTRUST_SANITIZE=ON -DTRUST_FUZZ=ON \
  >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build-sanitize -j"${BUILD_JOBS:-$(nproc)}" "${targets[@]}"
