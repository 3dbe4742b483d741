#!/usr/bin/env bash
# Runs every test on a fresh machine: dependencies, Fabric binaries, type checks, then the unit and
# integration suites (the integration suites bring the real network up, or reuse a healthy one).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_node_modules
step "finding or installing Fabric 3.1.5 and fabric-ca 1.5.21"
npx tsx network/src/cli.ts install
step "type-checking (strict)"
npm run -s typecheck
step "running the unit and integration suites"
npx jest "$@"
