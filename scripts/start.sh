#!/usr/bin/env bash
# Starts everything on a fresh machine: dependencies, Fabric binaries, the network, the chaincode and the gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

prepare
step "starting the network (3 Raft orderers, 5 peers, 4 CAs) and deploying the chaincode"
npx tsx network/src/cli.ts up "$@"
step "creating the gateway's callers for the network's users"
npx tsx gateway/src/admin/cli.ts bootstrap
step "starting the REST gateway"
npx tsx network/src/cli.ts gateway start
step "starting the monitor (typology detectors over committed blocks, index in PGlite)"
npx tsx network/src/cli.ts monitor start
step "running"
npx tsx network/src/cli.ts status
port="${REGCHAIN_GATEWAY_PORT:-3000}"
cat <<MSG

  Console (zh-CN / English): http://127.0.0.1:${port}/console/
  API docs (OpenAPI 3.1):    http://127.0.0.1:${port}/docs
  Readiness:                 http://127.0.0.1:${port}/ready
  Metrics (Prometheus):      http://127.0.0.1:${port}/metrics   (Bearer: the operations token, .regchain/secrets/monitor.token)
  Event stream (SSE):        http://127.0.0.1:${port}/v1/events
  Monitor status:            http://127.0.0.1:${REGCHAIN_MONITOR_PORT:-3100}/status   (the same token; /health is public)
  API keys of the local users (regulator1, bank1, enterprise1, auditor1): .regchain/gateway/dev-api-keys.json
    e.g. curl -H "authorization: Bearer \$(node -p "require('./.regchain/gateway/dev-api-keys.json').regulator1")" http://127.0.0.1:${port}/v1/rules

  Stop everything: npm run network:down   (add -- --purge to delete all state)
MSG
