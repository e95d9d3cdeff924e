#!/usr/bin/env bash
# CPack makes trustc_VERSION_ARCH.deb and trust-apply_VERSION_ARCH.deb whose Depends are
# runtime libraries only (no -dev, and no ANTLR for trust-apply), with the right contents;
# unpacked into a fresh root (dpkg -x), every library resolves and --version runs.
# Usage: deb.sh BUILD_DIR VERSION CPACK
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=$1 version=$2 cpack=$3
for tool in dpkg-deb dpkg-shlibdeps; do
  command -v $tool >/dev/null || { echo "$tool missing: skipping"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
arch=$(dpkg --print-architecture)
(cd "$build" && "$cpack" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1) ||
  { cat "$tmp/cpack.log"; fail "cpack"; }

check_package() {  # NAME BINARY
  local deb=$tmp/out/$1_${version}_$arch.deb
  [ -f "$deb" ] || fail "no $(basename "$deb") (got: $(ls "$tmp/out"))"
  dpkg-deb -I "$deb" >"$tmp/$1.info"
  dpkg-deb -c "$deb" | awk '{ print $6 }' >"$tmp/$1.files"
  local depends
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "$1: $(du -k "$deb" | cut -f1) KiB; Depends: $depends"
  [ -n "$depends" ] || fail "$1 has no Depends"
  ! grep -q -- '-dev' <<<"$depends" || fail "$1 depends on a -dev package: $depends"
  grep -qx "./usr/bin/$2" "$tmp/$1.files" || fail "$1 lacks /usr/bin/$2"
  grep -qx "./usr/share/man/man1/$2.1" "$tmp/$1.files" || fail "$1 lacks its man page"
  grep -qx "./usr/share/bash-completion/completions/$2" "$tmp/$1.files" ||
    fail "$1 lacks its bash completion"
  grep -qx "./usr/share/zsh/vendor-completions/_$2" "$tmp/$1.files" ||
    fail "$1 lacks its zsh completion"
  mkdir -p "$tmp/root-$1"
  dpkg -x "$deb" "$tmp/root-$1"
  ! ldd "$tmp/root-$1/usr/bin/$2" | grep -q "not found" || fail "$2: $(ldd "$tmp/root-$1/usr/bin/$2")"
  "$tmp/root-$1/usr/bin/$2" --version | grep -qx "$2 $version" || fail "$2 --version from $1"
  MANWIDTH=80 man --warnings -l "$tmp/root-$1/usr/share/man/man1/$2.1" 2>&1 >/dev/null |
    { ! grep -q .; } || fail "man page of $1 warns"
  echo "$depends" >"$tmp/$1.depends"
}

check_package trust-apply trust-apply
! grep -qi antlr "$tmp/trust-apply.depends" || fail "trust-apply depends on ANTLR"
grep -q libssl3 "$tmp/trust-apply.depends" || fail "trust-apply does not depend on libssl3"
! grep -q trustc "$tmp/trust-apply.files" || fail "trust-apply ships trustc files"
if [ -f "$build/bin/trustc" ]; then
  check_package trustc trustc
  for lib in libantlr4-runtime libssl3 libtinyxml2; do
    grep -q $lib "$tmp/trustc.depends" || fail "trustc does not depend on $lib"
  done
  ! grep -q "usr/bin/trust-apply" "$tmp/trustc.files" || fail "trustc ships trust-apply"
  grep -q "./usr/share/man/man1/trustc-check.1" "$tmp/trustc.files" || fail "trustc-check.1"
  grep -q "./usr/share/doc/trustc/install.md" "$tmp/trustc.files" || fail "trustc docs"
fi
echo "ok: Debian packages"
