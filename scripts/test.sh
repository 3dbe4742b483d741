#!/usr/bin/env bash
# Runs every test on a fresh machine: dependencies, Fabric binaries, type checks, then the unit and
# integration suites (the integration suites bring the real network up, or reuse a healthy one).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

prepare
# The tests' network lives in its own state folder and port range (+20000), so a network that `npm start`
# runs keeps answering throughout. Docker Compose uses the default ports: with an engine, the offset is off.
export REGCHAIN_HOME="${REGCHAIN_HOME:-$PWD/.regchain-test}"
if [ "${REGCHAIN_RUNTIME:-}" != docker ] && ! { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }; then
  export REGCHAIN_PORT_OFFSET="${REGCHAIN_PORT_OFFSET:-20000}"
fi
ensure_schemathesis
ensure_chromium
ensure_postgresql
step "linting (eslint) and checking the format (prettier)"
npm run -s lint
step "type-checking (strict)"
npm run -s typecheck
step "running the unit and integration suites"
# PGlite loads Node's own modules with import(), which Jest's module sandbox allows only with this flag.
NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning" npx jest "$@"
