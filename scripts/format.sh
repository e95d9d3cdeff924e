#!/usr/bin/env bash
# Formats every C++ file of the project with the checked-in .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files '*.cpp' '*.h' | xargs clang-format -i
