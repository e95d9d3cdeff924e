#!/usr/bin/env bash
# Installs what trustc needs to build and test, from Debian 12 packages only. Idempotent:
# packages already present are not touched. Run as root (or with sudo available).
set -euo pipefail

packages=(
  cmake make g++ pkg-config
  antlr4 libantlr4-runtime-dev
  libssl-dev openssl
  libtinyxml2-dev libcli11-dev nlohmann-json3-dev libgtest-dev
  openjdk-17-jre-headless
  clang-format
  graphviz  # `dot -Tsvg` checks trustc graph output (tests/review)
  man-db groff-base zsh dpkg-dev  # man pages, completions, .deb packages (tests/packaging)
  clang libclang-rt-14-dev  # libFuzzer targets (scripts/fuzz.sh)
  python3-cryptography-vectors  # PKCS#12 files for trust-apply's alias tests (tests/interop)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
