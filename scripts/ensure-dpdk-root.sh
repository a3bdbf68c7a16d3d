#!/usr/bin/env bash
# Provisions a second DPDK for the interop tests: a `debootstrap --variant=minbase trixie` root with
# Debian 13's dpdk-dev (DPDK 24.11 LTS) in it, kept outside the repo so every clone and CI run on this
# machine reuses it. Idempotent: a finished root carries a marker; an unfinished one is rebuilt.
#
# Only /proc (and /sys) are ever mounted into the root, never a host directory, and only inside a
# private mount namespace of the command that runs there (unshare --mount), so the mounts vanish with
# it: the root may be deleted recursively at any time, and nothing under it is a mount on the host.
# The root's own /dev (from debootstrap) is enough for testpmd.
#
# Usage: scripts/ensure-dpdk-root.sh [ROOT]   (default /var/lib/memif-test/dpdk-trixie)
# The tests find roots through MEMIF_TEST_DPDK_ROOTS (see vitest.config.ts).
set -euo pipefail

root=${1:-/var/lib/memif-test/dpdk-trixie}
suite=trixie
mirror=${MEMIF_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ready_marker="$root/.memif-test-ready"

if [ -f "$ready_marker" ] && [ -x "$root/usr/bin/dpdk-testpmd" ]; then exit 0; fi

if [ "$(id -u)" != 0 ] || ! command -v debootstrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing debootstrap with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
  else
    echo "The DPDK 24.11 interop tests need a Debian 13 root made with debootstrap, as root." >&2
    echo "Run as root: sudo $0 $root" >&2
    exit 1
  fi
fi

mkdir -p "$(dirname "$root")"
# Two test runs on one machine must not build the same root at once.
exec 9>"$root.lock"
flock 9
if [ -f "$ready_marker" ] && [ -x "$root/usr/bin/dpdk-testpmd" ]; then exit 0; fi

staging="$root.partial"

mounts_under() {
  # Every mount point at or below $1, deepest first.
  awk -v p="$1" '$2 == p || index($2, p "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

unmount_all_under() {
  local m
  for m in $(mounts_under "$1"); do umount "$m" || umount -l "$m"; done
  if [ -n "$(mounts_under "$1")" ]; then
    echo "still mounted under $1; refusing to go on" >&2
    exit 1
  fi
}

remove_tree() {
  [ -e "$1" ] || return 0
  unmount_all_under "$1"
  rm -rf --one-file-system "$1"
}

trap 'unmount_all_under "$staging"' EXIT

remove_tree "$staging"
# A root is only ever replaced when this script made it (it carries the marker): never a folder
# that someone else put at that path.
if [ -e "$root" ] && [ ! -f "$ready_marker" ]; then
  echo "$root exists but was not made by $0; move it away or name another root" >&2
  exit 1
fi
remove_tree "$root"

echo "==> debootstrap $suite into $root (Debian 13 root for DPDK 24.11; about 1.5 min)"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
# In a private mount namespace: the /proc and /sys debootstrap mounts in the target go with it.
unshare --mount --propagation private -- debootstrap --variant=minbase ${keyring:+--keyring="$keyring"} "$suite" "$staging" "$mirror" >"$root.debootstrap.log" 2>&1 || {
  echo "debootstrap failed; the last lines of $root.debootstrap.log:" >&2
  tail -n 20 "$root.debootstrap.log" >&2
  exit 1
}

echo "==> installing dpdk-dev in the $suite root"
unshare --mount --propagation private -- sh -c 'root=$1; shift; mount -t proc proc "$root/proc" && exec chroot "$root" "$@"' in-root "$staging" \
  /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpdk-dev >>"$root.debootstrap.log" 2>&1 || {
  echo "apt-get install dpdk-dev in the root failed; the last lines of $root.debootstrap.log:" >&2
  tail -n 20 "$root.debootstrap.log" >&2
  exit 1
}
chroot "$staging" apt-get clean
unmount_all_under "$staging"
trap - EXIT
if [ ! -x "$staging/usr/bin/dpdk-testpmd" ]; then
  echo "dpdk-dev in the $suite root brought no /usr/bin/dpdk-testpmd" >&2
  exit 1
fi

touch "$staging/.memif-test-ready"
mv "$staging" "$root"
echo "==> DPDK root ready at $root"
