#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# The TextMate grammar test needs the editor extension's node modules (from the npm registry);
# without node it skips, and says so.
if command -v npm >/dev/null && [ ! -d editors/vscode/node_modules ]; then
  (cd editors/vscode && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
    echo "npm ci in editors/vscode failed: the grammar test will skip"
fi
# The Graphman schema test needs the `graphql` package (tests/graphman/package-lock.json).
if command -v npm >/dev/null && [ ! -d tests/graphman/node_modules ]; then
  (cd tests/graphman && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
    echo "npm ci in tests/graphman failed: the Graphman schema test will skip"
fi
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
