#!/usr/bin/env bash
# The newcomer's path, proven: a brand-new Debian 12 root (debootstrap --variant=minbase
# bookworm), a clone of the committed HEAD in it, and the README's two commands run there in
# order, as root, with nothing else installed:
#   scripts/run-example.sh    then    scripts/test.sh
# Prints the wall time of each and exits non-zero if either fails.
#
# When this machine has a compiler cache (ccache), it is lent to the root: CI has just
# compiled the same tree with the same Debian compiler in its first stage, and compiling it
# again from nothing would be a quarter of CI's time. ccache is installed in the root by this
# script (not by the README's commands) and reached through CMake's compiler launcher; a hit
# needs the same compiler and the same preprocessed input, so a header missing in the root
# still fails the build there, and every link runs in the root. FRESH_NO_CCACHE=1 builds
# without it.
#
# Only the bare debootstrap output is cached between runs (FRESH_CACHE, default
# /var/cache/trustc/fresh-machine); everything after it starts from nothing each time. The
# mirror is the one this machine's apt uses (FRESH_MIRROR overrides it; security updates come
# from MIRROR-security unless FRESH_SECURITY_MIRROR says otherwise). The root is built
# under TMPDIR and removed at the end, after /proc, /sys and /dev are unmounted whatever
# happens. Needs root (chroot, mount); installs debootstrap when it is missing.
#   scripts/fresh-machine.sh [--keep]     --keep leaves the root in place for a look inside
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
keep=false
[[ ${1:-} == --keep ]] && keep=true

[[ $(id -u) -eq 0 ]] || { echo "fresh-machine.sh: needs root (debootstrap, chroot, mount)" >&2; exit 2; }
git diff --quiet HEAD 2>/dev/null ||
  echo "fresh-machine.sh: note: uncommitted changes are not part of the test (it clones HEAD)"

# The mirror this machine's apt already uses: a deb822 source's URIs, else a one-line source
# (the release's, not the security archive's).
host_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' |
    grep -v -- '-security' | head -n1)
  [[ -n $uri ]] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list | awk '{print $2}' |
    grep -v -- '-security' | head -n1)
  echo "$uri"
}
mirror=${FRESH_MIRROR:-$(host_mirror)}
[[ -n $mirror ]] || { echo "fresh-machine.sh: no apt mirror found; set FRESH_MIRROR" >&2; exit 2; }

if ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The cached bare root: made once by debootstrap, then only ever unpacked.
cache=${FRESH_CACHE:-/var/cache/trustc/fresh-machine}
base=$cache/bookworm-minbase.tar
if [[ ! -f $base ]]; then
  echo "== debootstrap --variant=minbase bookworm (cached in $base)"
  mkdir -p "$cache"
  staging=$(mktemp -d "$cache/.debootstrap.XXXXXX")
  debootstrap --variant=minbase bookworm "$staging/root" "$mirror" >"$staging/log" 2>&1 ||
    { tail -n 20 "$staging/log" >&2; rm -rf --one-file-system "$staging"; exit 1; }
  tar -C "$staging/root" --numeric-owner -cf "$staging/base.tar" .
  mv "$staging/base.tar" "$base"
  rm -rf --one-file-system "$staging"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/trustc-fresh.XXXXXX")
root=$work/root
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -R -l "${mounted[i]}" 2>/dev/null || true
  done
  if $keep; then
    echo "fresh-machine.sh: root kept at $root (unmounted)"
  elif ! findmnt -rn -o TARGET | grep -q "^$root/"; then
    rm -rf --one-file-system "$work"
  else
    echo "fresh-machine.sh: something is still mounted under $root; left in place" >&2
  fi
}
trap cleanup EXIT
# A signal ends the script through `exit`, so the EXIT trap unmounts then too.
trap 'exit 130' INT TERM HUP

mkdir -p "$root"
tar -C "$root" --numeric-owner -xf "$base"
# The package sources Debian's installer writes: the release, its updates and its security
# updates (debootstrap writes the release alone, which no installed machine uses).
security_mirror=${FRESH_SECURITY_MIRROR:-${mirror%/}-security}
cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security_mirror bookworm-security main
SOURCES
# The network as this machine reaches it: its resolver, and the local certificate authorities
# it trusts (an egress proxy that inspects TLS signs with one; npm's registry is reached
# through it). The packages that use them are still installed by the project's scripts.
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/usr/local/share/ca-certificates"
find /usr/local/share/ca-certificates -maxdepth 1 -name '*.crt' -type f \
  -exec cp {} "$root/usr/local/share/ca-certificates/" \;
mount -t proc proc "$root/proc"
mounted+=("$root/proc")
mount --rbind /sys "$root/sys"
mounted+=("$root/sys")
mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev"
mounted+=("$root/dev")
mount --make-rslave "$root/dev"

# The committed HEAD, as a newcomer's clone would hold it (no build tree, no ../shared).
git clone -q --no-hardlinks "$repo" "$root/root/trustc"
git -C "$root/root/trustc" checkout -q --detach "$(git -C "$repo" rev-parse HEAD)"
echo "== fresh Debian 12 root at $root, HEAD $(git -C "$repo" rev-parse --short HEAD)"

# The host's compiler cache, lent to the root (see the header).
cache_env=()
if [[ ${FRESH_NO_CCACHE:-} != 1 ]] && command -v ccache >/dev/null; then
  host_cache=$(ccache -k cache_dir)
  mkdir -p "$host_cache" "$root/var/cache/ccache-host"
  mount --bind "$host_cache" "$root/var/cache/ccache-host"
  mounted+=("$root/var/cache/ccache-host")
  if chroot "$root" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends ccache' >/dev/null 2>&1; then
    # Paths relative to the clone and no working directory in the key, so that the root's
    # /root/trustc/build hits what the host compiled in its own clone.
    cache_env=(CCACHE_DIR=/var/cache/ccache-host CCACHE_BASEDIR=/root/trustc CCACHE_NOHASHDIR=1
      CMAKE_CXX_COMPILER_LAUNCHER=ccache)
    echo "== compiler cache lent to the root: $host_cache"
  else
    echo "== ccache could not be installed in the root: building without a compiler cache"
  fi
fi

# run_in_root COMMAND: as a newcomer types it, in a clean login-like environment (no CI).
run_in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${cache_env[@]}" \
    /bin/bash -c "cd /root/trustc && $1"
}

status=0
times=()
for command in scripts/run-example.sh scripts/test.sh; do
  echo "== $command (fresh root)"
  start=$SECONDS
  if run_in_root "$command"; then result=passed; else result="FAILED ($?)" && status=1; fi
  times+=("$command: $result in $((SECONDS - start)) s")
  [[ $status -eq 0 ]] || break
done
echo "== fresh-machine summary"
printf '   %s\n' "${times[@]}"
exit $status
