#!/usr/bin/env bash
# Every command of every program has a man page (MANDIR/PROG.1, MANDIR/PROG-SUB.1), identical
# to what `PROG --help-man SUB` prints now, that renders with `man -l` without a warning and
# mentions every long flag of the command's --help.
# Usage: man_pages.sh MANDIR PROGRAM...
set -euo pipefail
. "$(dirname "$0")/lib.sh"
mandir=$1
shift
command -v man >/dev/null || fail "man is not installed (scripts/install-deps.sh)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pages=0
for prog in "$@"; do
  name=$(basename "$prog")
  for sub in "" $(subcommands "$prog"); do
    page=$mandir/$name${sub:+-$sub}.1
    [ -f "$page" ] || fail "no man page $page"
    "$prog" --help-man $sub >"$tmp/now.1"
    cmp -s "$page" "$tmp/now.1" || fail "$page differs from \`$name --help-man $sub\` (stale build?)"
    MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/err" ||
      fail "man -l $page failed: $(cat "$tmp/err")"
    [ ! -s "$tmp/err" ] || fail "man -l $page warns: $(cat "$tmp/err")"
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" ENVIRONMENT "SEE ALSO"; do
      grep -q "^$section" "$tmp/out" || fail "$page has no $section section"
    done
    for flag in $(long_flags "$prog" $sub); do
      grep -qe "$flag" "$tmp/out" || fail "$page does not document $flag"
    done
    pages=$((pages + 1))
  done
done
# Nothing stale: every page in MANDIR belongs to a command that exists.
for page in "$mandir"/*.1; do
  base=$(basename "$page" .1)
  found=0
  for prog in "$@"; do
    name=$(basename "$prog")
    for sub in "" $(subcommands "$prog"); do
      [ "$base" = "$name${sub:+-$sub}" ] && found=1
    done
  done
  [ $found = 1 ] || fail "stale man page $page"
done
echo "ok: $pages man pages render without warnings"
