# Sourced by the set-up scripts: brings the pinned pnpm and, where asked, DPDK's testpmd onto a
# fresh machine (Node 20 + npm and nothing else). Only the npm and Debian registries are used.

pinned_pnpm() {
  node -p "require('./package.json').packageManager.split('@')[1]"
}

ensure_pnpm() {
  local want
  want=$(pinned_pnpm)
  if [ "$(pnpm --version 2>/dev/null || true)" = "$want" ]; then return; fi
  echo "==> installing pnpm $want (npm install -g)"
  if ! npm install -g --no-fund --no-audit "pnpm@$want" >/dev/null; then
    echo "npm could not install pnpm globally; trying corepack" >&2
    # Corepack's signature check fails against registries that serve no signatures.
    export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0
    corepack enable pnpm
  fi
  hash -r
  pnpm --version >/dev/null
}

# Installs Debian packages with apt-get when a command they bring is missing, or says what to
# install when it cannot (not root, no apt). Usage: ensure_commands WHO "COMMAND..." "PACKAGE..."
ensure_commands() {
  local who=$1 commands=$2 packages=$3 command missing=
  for command in $commands; do command -v "$command" >/dev/null 2>&1 || missing=1; done
  [ -n "$missing" ] || return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$who need $commands. Install them with: sudo apt-get install $packages" >&2
    exit 1
  fi
  echo "==> installing $packages with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # a list of package names
  apt-get install -y -qq --no-install-recommends $packages >/dev/null
  for command in $commands; do command -v "$command" >/dev/null; done
}

# The interop tests need dpdk-testpmd (Debian's dpdk-dev, DPDK 22.11); the pcap test reads our
# files back with tcpdump.
ensure_test_tools() {
  ensure_commands "The interop and pcap tests" "dpdk-testpmd tcpdump" "dpdk-dev tcpdump"
}

# The interop suites also run against DPDK 24.11 LTS (Debian 13), from a Debian root made once per
# machine outside the repo (scripts/ensure-dpdk-root.sh; about 1.5 min on a fresh machine). Exports
# MEMIF_TEST_DPDK_ROOTS for vitest.config.ts, which adds a project per root.
ensure_dpdk_roots() {
  local root=/var/lib/memif-test/dpdk-trixie
  bash scripts/ensure-dpdk-root.sh "$root"
  export MEMIF_TEST_DPDK_ROOTS=$root
}

# The release checks: Debian's chromium runs the browser tests of protocol and ring (nothing is
# downloaded by npm), and g++-aarch64-linux-gnu cross-compiles the linux-arm64 prebuild.
ensure_release_tools() {
  ensure_commands "The browser tests and the arm64 prebuild" "chromium aarch64-linux-gnu-g++" "chromium g++-aarch64-linux-gnu"
}

# The arm64 prebuild is checked by loading it in Debian's arm64 nodejs under qemu-user: that
# Node and its libraries are unpacked once into a cache directory (debootstrap's first stage
# fetches them with their dependencies; nothing is installed into this system).
ensure_arm64_node() {
  local root="${MEMIF_ARM64_ROOT:-/var/cache/memif-node/arm64-bookworm}"
  if [ -x "$root/usr/bin/node" ] && command -v qemu-aarch64-static >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "The arm64 prebuild test needs qemu-user-static, debootstrap and root to unpack Debian's arm64 nodejs into $root" >&2
    exit 1
  fi
  echo "==> unpacking Debian's arm64 nodejs into $root (debootstrap --foreign) for qemu-user"
  export DEBIAN_FRONTEND=noninteractive
  command -v qemu-aarch64-static >/dev/null 2>&1 && command -v debootstrap >/dev/null 2>&1 ||
    apt-get install -y -qq --no-install-recommends qemu-user-static debootstrap >/dev/null
  # Only a folder this function made (it carries the marker) is ever removed.
  local marker=.memif-arm64-node
  for dir in "$root" "$root.partial"; do
    if [ -e "$dir" ] && [ ! -f "$dir/$marker" ]; then
      echo "$dir exists but was not made by this script; move it away or set MEMIF_ARM64_ROOT" >&2
      exit 1
    fi
  done
  rm -rf "$root.partial"
  mkdir -p "$root.partial" && touch "$root.partial/$marker"
  debootstrap --arch=arm64 --foreign --variant=minbase --include=nodejs bookworm "$root.partial" >/dev/null
  for deb in "$root.partial"/var/cache/apt/archives/*.deb; do dpkg-deb -x "$deb" "$root.partial"; done
  rm -rf "$root" && mv "$root.partial" "$root"
  [ -x "$root/usr/bin/node" ]
}
