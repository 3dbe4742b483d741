#!/usr/bin/env bash
# Runs every test on a fresh machine: dependencies, Fabric binaries, type checks, then the unit and
# integration suites (the integration suites bring the real network up, or reuse a healthy one).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

prepare
step "type-checking (strict)"
npm run -s typecheck
step "running the unit and integration suites"
npx jest "$@"
