#!/bin/sh
# Every Graphman bundle trustc writes (each golden sidecar, a fresh build of the example, and
# the migration bundle of a rotation) validates against the three GraphQL schemas in
# ../shared/reference/graphman/ (validate.js). The schemas and tests/graphman/node_modules
# (npm ci) are needed: without them this skips (exit 77), except when CI is set, where it fails.
# usage: run_schemas.sh SOURCE_DIR TRUSTC
set -eu
src=$(cd "$1" && pwd)
trustc=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here="$src/tests/graphman"
ref="$src/../shared/reference/graphman"
missing=""
for schema in layer7-operator graphman-client-v11.1.1 graphman-client-v11.2.1; do
  [ -f "$ref/$schema.schema.graphql" ] || missing="$missing $ref/$schema.schema.graphql"
done
if ! command -v node >/dev/null 2>&1 || [ ! -d "$here/node_modules/graphql" ]; then
  missing="$missing node+$here/node_modules/graphql (cd tests/graphman && npm ci)"
fi
if [ -n "$missing" ]; then
  if [ -n "${CI:-}" ]; then
    echo "FAIL: CI is set and these are missing:$missing"
    exit 1
  fi
  echo "SKIP: missing:$missing"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$src/examples/ca-im-scim" && "$trustc" build -q main.trust -o "$tmp/example")
bundles=$(find "$src/tests/golden" "$tmp/example/gateways" "$here/rotation" -name '*.graphman*.json' \
  2>/dev/null | sort)
[ -n "$bundles" ] || { echo "FAIL: no bundle found"; exit 1; }
# shellcheck disable=SC2086
node "$here/validate.js" "$ref/layer7-operator.schema.graphql" \
  "$ref/graphman-client-v11.1.1.schema.graphql" "$ref/graphman-client-v11.2.1.schema.graphql" \
  -- $bundles
# The validator itself must refuse what the schemas refuse.
if node "$here/validate.js" "$ref/layer7-operator.schema.graphql" -- "$here/invalid/"*.json \
    >/dev/null 2>&1; then
  echo "FAIL: validate.js accepted tests/graphman/invalid/*.json"
  exit 1
fi
echo "ok: the invalid bundles are refused"
