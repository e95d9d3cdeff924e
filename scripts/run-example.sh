#!/usr/bin/env bash
# The main job, end to end on the example scenario: install what is missing, build, and run
# trustc on examples/ca-im-scim.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
example=examples/ca-im-scim/main.trust
echo "== trustc check $example"
build/bin/trustc check "$example"
