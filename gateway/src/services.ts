// Wires the gateway's services: config, caller registry with its vault, ledger connections, metrics, idempotency.
import * as path from 'node:path';
import type { Services } from './app';
import { loadConfig, type GatewayConfig } from './config';
import { CallerRegistry, Vault } from './fabric/identities';
import { FabricLedger } from './fabric/ledger';
import { loadProfile } from '@regchain/fabric';
import { Idempotency } from './idempotency';
import { GatewayDatabase } from './store/database';
import { createMetrics } from './metrics';

/** The services, and how to close them: the ledger's connections and the database. */
export function createServices(config: GatewayConfig = loadConfig()): Services & { ledger: FabricLedger; close(): Promise<void> } {
  const metrics = createMetrics();
  const database = new GatewayDatabase({ url: config.databaseUrl, dir: path.join(config.dataDir, 'db') });
  const callers = new CallerRegistry(database, Vault.open(config.secretFile, config.secret, path.join(config.dataDir, 'vault.secret')), config.dataDir);
  const ledger = new FabricLedger(callers, metrics, loadProfile(config.profile, config.channel), {
    channel: config.channel,
    chaincode: config.chaincode,
    deadlines: config.deadlines,
  });
  return {
    config,
    callers,
    metrics,
    ledger,
    async close(): Promise<void> {
      ledger.close();
      await database.close();
    },
    database,
    idempotency: new Idempotency(database, config.dataDir),
  };
}
