#!/usr/bin/env bash
# Builds the Debian packages into out/packages/:
#   trustc_VERSION_ARCH.deb       trustc, its man pages, completions and docs
#   trust-apply_VERSION_ARCH.deb  trust-apply alone (no ANTLR), its man pages and completions
# Usage: scripts/package.sh [BUILD_DIR]   (default: build-package, configured Release, no tests)
# Needs dpkg-dev (dpkg-shlibdeps computes Depends): scripts/install-deps.sh installs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-package}
out=$root/out/packages
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTRUST_BUILD_TESTS=OFF >/dev/null
else
  cmake "$build" >/dev/null
fi
cmake --build "$build" -j "${JOBS:-2}" --target trustc trust-apply
mkdir -p "$out"
staging=$(mktemp -d "$out/.cpack.XXXXXX")
trap 'rm -rf "$staging"' EXIT
(cd "$build" && cpack -G DEB -B "$staging" >"$staging/cpack.log" 2>&1) ||
  { cat "$staging/cpack.log" >&2; exit 1; }
for deb in "$staging"/*.deb; do
  mv -f "$deb" "$out/"
  name=$(basename "$deb")
  echo "$out/$name: $(du -h "$out/$name" | cut -f1), Depends: $(dpkg-deb -f "$out/$name" Depends)"
done
