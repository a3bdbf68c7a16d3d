#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite, interop with dpdk-testpmd included:
# installs pnpm and DPDK when missing (the host's DPDK 22.11, and a Debian 13 root with DPDK 24.11
# for the second run of the interop suites), the workspace, builds everything, then runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-tools.sh
ensure_pnpm
ensure_test_tools
ensure_dpdk_roots
pnpm install --frozen-lockfile
pnpm run test:all
