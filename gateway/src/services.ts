// Wires the gateway's services: config, caller registry with its vault, ledger connections, metrics, idempotency.
import * as path from 'node:path';
import type { Services } from './app';
import { loadConfig, type GatewayConfig } from './config';
import { CallerRegistry, Vault } from './fabric/identities';
import { FabricLedger } from './fabric/ledger';
import { loadProfile } from '@regchain/fabric';
import { Idempotency } from './idempotency';
import { createMetrics } from './metrics';

export function createServices(config: GatewayConfig = loadConfig()): Services & { ledger: FabricLedger } {
  const metrics = createMetrics();
  const callers = new CallerRegistry(config.dataDir, Vault.open(config.secretFile, config.secret, path.join(config.dataDir, 'vault.secret')));
  return {
    config,
    callers,
    metrics,
    ledger: new FabricLedger(callers, metrics, loadProfile(config.profile, config.channel), {
      channel: config.channel,
      chaincode: config.chaincode,
      deadlines: config.deadlines,
    }),
    idempotency: new Idempotency(config.dataDir, { databaseUrl: config.databaseUrl }),
  };
}
