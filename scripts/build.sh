#!/usr/bin/env bash
# Configures and builds into build/ (incremental on later runs): every target, or only the
# ones named.   scripts/build.sh [TARGET...]      e.g. scripts/build.sh trustc trust-apply
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
