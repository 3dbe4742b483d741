#!/usr/bin/env bash
# Runs every test on a fresh machine: dependencies, Fabric binaries, type checks, then the unit and
# integration suites (the integration suites bring the real network up, or reuse a healthy one).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

prepare
# The tests' network lives in its own state folder and port range (+20000), so a network that `npm start`
# runs keeps answering throughout; the Docker passes below have their own (+10000). Every port stays below 32768,
# where Linux picks the source ports of outgoing connections: a service port above it can be taken by one.
export REGCHAIN_HOME="${REGCHAIN_HOME:-$PWD/.regchain-test}"
export REGCHAIN_PORT_OFFSET="${REGCHAIN_PORT_OFFSET:-20000}"
ensure_schemathesis
ensure_chromium
ensure_postgresql
step "linting (eslint) and checking the format (prettier)"
npm run -s lint
step "type-checking (strict)"
npm run -s typecheck
step "running the unit and integration suites"
# PGlite loads Node's own modules with import(), which Jest's module sandbox allows only with this flag.
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"
native=0
npx jest "$@" || native=$?

# The same network on Docker Compose, driven by testcontainers: the lifecycle, gateway and failover suites
# (the README says why these). The engine found, or a private dockerd started for the run and stopped after
# it; images pulled, or built from the pinned archives when no registry answers. Its results go beside the
# first pass's (--outputFile=F.docker) so the CI line counts both.
# Run in full (npm test, or CI's --json --outputFile=F): a narrowed run (a pattern, a project) skips this pass.
docker_args=()
narrowed=0
for arg in "$@"; do
  case "$arg" in
    --outputFile=*) docker_args+=("$arg.docker") ;;
    --json | --ci | --silent | --verbose) docker_args+=("$arg") ;;
    *) narrowed=1 ;;
  esac
done
docker=0
if [ "${REGCHAIN_DOCKER_SUITES:-1}" = 1 ] && [ "$narrowed" = 0 ]; then
  step "running the Docker suites (Docker Compose through testcontainers, ports +10000)"
  REGCHAIN_RUNTIME=docker REGCHAIN_HOME="$PWD/.regchain-docker" REGCHAIN_PORT_OFFSET=10000 \
    npx jest --selectProjects integration --testPathPatterns 'test/integration/(lifecycle|gateway|failover)\.test' "${docker_args[@]}" || docker=$?
fi
# Each organisation on a Docker host of its own (a Compose project and network namespace per org, reaching the
# others only by name): its own state folder, the Docker pass's ports (+10000: that pass has taken its network
# down; no third range fits below 32768), its results in F.hosts.
hosts=0
if [ "${REGCHAIN_DOCKER_SUITES:-1}" = 1 ] && [ "$narrowed" = 0 ]; then
  step "running the multi-host suite (a Docker host per organisation, ports +10000)"
  hosts_args=()
  for arg in "${docker_args[@]}"; do
    case "$arg" in
      --outputFile=*.docker) hosts_args+=("${arg%.docker}.hosts") ;;
      *) hosts_args+=("$arg") ;;
    esac
  done
  REGCHAIN_RUNTIME=hosts REGCHAIN_HOME="$PWD/.regchain-hosts" REGCHAIN_PORT_OFFSET=10000 \
    npx jest --selectProjects integration --testPathPatterns 'test/integration/hosts\.test' "${hosts_args[@]}" || hosts=$?
fi
exit $((native != 0 ? native : docker != 0 ? docker : hosts))
