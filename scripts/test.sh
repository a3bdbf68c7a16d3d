#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite, interop with dpdk-testpmd included:
# installs pnpm, DPDK (the host's 22.11, and a Debian 13 root with DPDK 24.11 for the second run of
# the interop suites), chromium and the arm64 cross compiler when missing, the workspace, builds
# everything, then runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-tools.sh
ensure_pnpm
ensure_test_tools
ensure_dpdk_roots
ensure_release_tools
ensure_arm64_node
pnpm install --frozen-lockfile
pnpm run test:all
