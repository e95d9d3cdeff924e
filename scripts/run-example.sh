#!/usr/bin/env bash
# The main job, end to end on the example scenario: install what is missing, build trustc,
# check the example, build its artifacts into out/ca-im-scim and verify them as a release
# consumer would.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
example=examples/ca-im-scim/main.trust
out=out/ca-im-scim
echo "== trustc check $example"
build/bin/trustc check "$example"
echo "== trustc build $example -o $out"
build/bin/trustc build "$example" -o "$out"
echo "== what came out"
(cd "$out" && find . -type f | sort | sed 's|^\./|  |')
echo "== sha256sum -c SHA256SUMS"
(cd "$out" && sha256sum -c SHA256SUMS)
echo "== the install bundle for gateway api_gateway (first 40 lines)"
head -n 40 "$out/gateways/api_gateway.install.bundle"
