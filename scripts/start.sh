#!/usr/bin/env bash
# Starts everything on a fresh machine: dependencies, Fabric binaries, the network and the chaincode.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_node_modules
step "finding or installing Fabric 3.1.5 and fabric-ca 1.5.21"
npx tsx network/src/cli.ts install
step "starting the network (3 Raft orderers, 4 peers, 4 CAs) and deploying the chaincode"
npx tsx network/src/cli.ts up "$@"
step "running"
npx tsx network/src/cli.ts status
printf '\nStop it with: npm run network:down   (add -- --purge to delete its state)\n'
