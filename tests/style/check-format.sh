#!/usr/bin/env bash
# Fails when a C++ file of the project is not formatted with the checked-in .clang-format.
# scripts/format.sh fixes them.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format >/dev/null || { echo "clang-format not installed: skipped"; exit 0; }
mapfile -t files < <(git ls-files '*.cpp' '*.h' 2>/dev/null || find compiler runtime stdlib tests -name '*.cpp' -o -name '*.h')
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'not clang-formatted (run scripts/format.sh):\n'; printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "${#files[@]} files formatted"
