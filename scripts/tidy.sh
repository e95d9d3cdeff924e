#!/usr/bin/env bash
# clang-tidy over the project's own sources (base/, compiler/, runtime/) with the checks of
# .clang-tidy, two files at a time; any warning fails. Generated ANTLR sources (build/grammar/)
# and the tests are not checked. Needs build/compile_commands.json and the generated headers, so it
# builds first (a no-op after scripts/test.sh).
#   scripts/tidy.sh [FILE...]      default: every .cpp under base/, compiler/ and runtime/
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-tidy >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang-tidy >/dev/null
fi
scripts/build.sh >/dev/null
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(git ls-files 'base/*.cpp' 'compiler/*.cpp' 'runtime/*.cpp')
fi
# --warnings-as-errors turns every finding into a failure of that file; xargs exits non-zero
# when any file failed. --quiet drops the "N warnings generated" chatter of system headers. The
# shim is the ANTLR umbrella header clang can read (grammar/CMakeLists.txt).
printf '%s\n' "${files[@]}" |
  xargs -P2 -n4 clang-tidy -p build --quiet --warnings-as-errors='*' \
    --extra-arg-before=-isystem"$PWD/build/antlr4-clang-shim" 2>/dev/null
