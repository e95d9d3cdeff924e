#!/usr/bin/env bash
# Installs what trustc needs to build and test, from Debian 12 packages only. Idempotent:
# packages already present are not touched. Run as root (or with sudo available).
#   scripts/install-deps.sh [--sanitize]   --sanitize adds clang for the sanitizer/fuzz build
set -euo pipefail

packages=(
  cmake make g++ pkg-config
  antlr4 libantlr4-runtime-dev
  libssl-dev openssl
  libtinyxml2-dev libcli11-dev nlohmann-json3-dev
  uuid-dev  # the ANTLR C++ runtime links libuuid
  libgtest-dev libgmock-dev  # GoogleTest; GTest::gmock exists only with GoogleMock installed
  openjdk-17-jre-headless
  clang-format
  graphviz  # `dot -Tsvg` checks trustc graph output (tests/review)
  man-db groff-base zsh dpkg-dev  # man pages, completions, .deb packages (tests/packaging)
  file  # CPack's DEB generator calls file(1)
  git  # trustc diff git:REV:path (tests/review)
  vim  # the Vim syntax plugin test (editors/vim/test)
  neovim  # the language server driven by a real editor (tests/lsp/nvim, CTest lsp_neovim)
  ca-certificates  # npm's registry over TLS
  python3 python3-jsonschema  # docs tests: snippets compile, manifests match docs/schema (tests/docs)
  ansible-core  # the trustc.trust collection (ansible/) tested with the real Ansible (tests/ansible)
  python3-cryptography-vectors  # PKCS#12 files for trust-apply's alias tests (tests/interop)
  python3-yaml  # examples/kubernetes validated against the Layer7 Operator CRDs (tests/graphman)
)
# The sanitizer and fuzzing build (scripts/configure-sanitize.sh) also needs clang and its
# runtime libraries; the README's two commands do not.
if [[ ${1:-} == --sanitize ]]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm (the editor extension's TextMate grammar test runs `npm ci`): a machine
# may already carry another build of Node.js whose package conflicts with Debian's npm, so
# these are installed only when the commands are missing.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
