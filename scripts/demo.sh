#!/usr/bin/env bash
# One command from a fresh clone to the demo: installs pnpm when missing and the workspace,
# builds, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-tools.sh
ensure_pnpm
pnpm install --frozen-lockfile
pnpm run demo
