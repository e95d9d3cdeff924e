#!/bin/sh
# The language server in a real editor: Debian's Neovim, headless, with the documented 0.7
# setup (init.lua) and a Lua script of what a user does (test.lua) on a copy of the example.
#   run.sh TRUSTC SOURCE_DIR
# Skips (77) without nvim, but fails when CI is set: there the editor must be installed.
set -eu
trustc=$1
source_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v nvim >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    echo "FAIL: nvim is not installed and CI is set (scripts/install-deps.sh installs neovim)"
    exit 1
  fi
  echo "SKIP: nvim is not installed (apt-get install neovim)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The setup docs/editors.md gives for Neovim 0.7 is this init.lua (bar its comments and $TRUSTC).
awk '/^Neovim 0.7 /{found=1} found && /^```lua/{copy=1; next} copy && /^```/{exit} copy' \
  "$source_dir/docs/editors.md" >"$work/documented.lua"
grep -v '^--' "$here/init.lua" | sed 's/os.getenv("TRUSTC") or "trustc"/"trustc"/' \
  >"$work/tested.lua"
if ! diff -u "$work/documented.lua" "$work/tested.lua"; then
  echo "not ok - docs/editors.md's Neovim 0.7 setup differs from tests/lsp/nvim/init.lua"
  exit 1
fi
echo "ok - docs/editors.md gives the tested Neovim 0.7 setup"
cp -R "$source_dir/examples/ca-im-scim/." "$work/"
mkdir -p "$work/lib"
printf 'cert root_ca { file "../certs/dev/endpoint-ca.pem" }\n' >"$work/lib/shared.trust"
printf 'import "./lib/shared"\n\ngateway g2 {\n  trust shared.root_ca { anchor for ssl }\n}\n' \
  >"$work/extra.trust"
cd "$work"
# -n: no swap files; -i NONE: no shada; XDG dirs inside the copy so nothing of the user's is read.
XDG_CONFIG_HOME="$work/.config" XDG_DATA_HOME="$work/.data" XDG_STATE_HOME="$work/.state" \
  XDG_CACHE_HOME="$work/.cache" TRUSTC="$trustc" \
  timeout 120 nvim --headless -n -i NONE -u "$here/init.lua" -c "luafile $here/test.lua"
