#!/usr/bin/env bash
# `cmake --install BUILD --prefix P` puts every file where it belongs, and the trust_apply
# component alone installs nothing of trustc.
# Usage: install.sh BUILD_DIR PROGRAM...
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/p" >/dev/null
for prog in "$@"; do
  name=$(basename "$prog")
  [ -x "$tmp/p/bin/$name" ] || fail "bin/$name not installed"
  "$tmp/p/bin/$name" --version | grep -q "^$name " || fail "installed $name --version"
  for sub in "" $(subcommands "$prog"); do
    [ -f "$tmp/p/share/man/man1/$name${sub:+-$sub}.1" ] ||
      fail "share/man/man1/$name${sub:+-$sub}.1 not installed"
  done
  [ -f "$tmp/p/share/bash-completion/completions/$name" ] ||
    fail "share/bash-completion/completions/$name not installed"
  [ -f "$tmp/p/share/zsh/vendor-completions/_$name" ] ||
    fail "share/zsh/vendor-completions/_$name not installed"
  doc=$name
  [ -f "$tmp/p/share/doc/$doc/install.md" ] || fail "share/doc/$doc/install.md not installed"
done
if [ -x "$tmp/p/bin/trustc" ]; then
  for f in README.md language.md stdlib.md; do
    [ -f "$tmp/p/share/doc/trustc/$f" ] || fail "share/doc/trustc/$f not installed"
  done
  # Every doc is installed, with docs/'s layout (their relative links between them resolve).
  src=$(cd "$(dirname "$0")/../.." && pwd)
  count=0
  while IFS= read -r f; do
    [ -f "$tmp/p/share/doc/trustc/$f" ] || fail "share/doc/trustc/$f (docs/$f) not installed"
    count=$((count + 1))
  done < <(cd "$src/docs" && find . -type f \( -name '*.md' -o -name '*.json' \) | sed 's|^\./||')
  [ "$count" -ge 15 ] || fail "expected the docs/ tree, found $count files"
  grep -qi "embedded" "$tmp/p/share/doc/trustc/install.md" ||
    fail "install.md does not say the standard library is embedded"
fi
# Nothing outside the expected places.
unexpected=$(cd "$tmp/p" && find . -type f | grep -vE \
  '^\./(bin/[^/]+|share/man/man1/[^/]+\.1|share/bash-completion/completions/[^/]+|share/zsh/vendor-completions/_[^/]+|share/doc/(trustc|trust-apply)/([^/]+\.md|stdlib/[^/]+\.md|schema/[^/]+\.json))$' || true)
[ -z "$unexpected" ] || fail "unexpected files installed: $unexpected"

cmake --install "$build" --prefix "$tmp/rt" --component trust_apply >/dev/null
[ -x "$tmp/rt/bin/trust-apply" ] || fail "component trust_apply lacks bin/trust-apply"
leaked=$(cd "$tmp/rt" && find . -name '*trustc*' -o -path './share/doc/trustc*')
[ -z "$leaked" ] || fail "component trust_apply installs trustc files: $leaked"
echo "ok: install layout ($(cd "$tmp/p" && find . -type f | wc -l) files)"
