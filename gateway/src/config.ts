// Gateway settings from the environment. The defaults are the local network's layout (REGCHAIN_HOME); for any
// other network, point the profile, trust anchors and CA settings at its own files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHAINCODE_NAME, CHANNEL } from '@regchain/common';
import { LOG_LEVELS, PortSetting, readSettings, REPO_ROOT, stateDir, stateLayout, WholeSetting, WordSetting } from '@regchain/common/node';
import { type Deadlines, DeadlineSettings, deadlinesOf } from '@regchain/fabric';
import { Type } from '@sinclair/typebox';

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** Where the gateway's state lives: callers and encrypted keys, its database (PGlite, in `db`), stream checkpoints, uploads. */
  readonly dataDir: string;
  /** PostgreSQL for the gateway's database (idempotency keys) instead of the embedded PGlite. */
  readonly databaseUrl?: string | undefined;
  /** Secret the custodial private keys are encrypted with (AES-256-GCM), from the environment; else read from secretFile. */
  readonly secret: string | undefined;
  /** Owner-only key file holding the vault secret when it is not in the environment; generated on first start. */
  readonly secretFile: string;
  readonly bodyLimit: number;
  /** Requests a minute per authenticated caller. */
  readonly rateLimitPerMinute: number;
  /** Requests a minute per client address, counted before authentication. */
  readonly addressRateLimitPerMinute: number;
  /** Caller whose identity answers the public filing-number lookup. */
  readonly publicCaller: string;
  readonly logLevel: string;
  /** What audits trust: the channel's genesis block, or a JSON file pinning its hash or the orgs' root fingerprints. */
  readonly trustAnchors: string;
  /** Event streams one caller may hold open at once. */
  readonly maxStreamsPerCaller: number;
  /** How far an offline-signed proposal's timestamp may lie from the gateway's clock, in seconds. */
  readonly offlineSkewSeconds: number;
  /** Bytes an event stream may buffer for a slow reader before dropping it (it resumes with Last-Event-ID). */
  readonly streamBufferBytes: number;
  /** The Fabric common connection profile (JSON or YAML) naming the peers, their orgs and TLS roots. */
  readonly profile: string;
  readonly channel: string;
  readonly chaincode: string;
  /** How long each step of a transaction may take at the peers and orderers. */
  readonly deadlines: Deadlines;
  /** Fabric's fabric-ca-client, which the admin command registers, enrols and revokes callers with. */
  readonly caClient: string;
  /** One fabric-ca-client home per MSP id (`<dir>/<MSP id>/msp`) holding an identity allowed to register at that org's CA. */
  readonly registrars: string;
  /** The users `gateway:admin bootstrap` creates callers for: a JSON list of {mspId, name, role, entityId}. */
  readonly users: string;
  /** Rows of a CSV upload sent per transaction. */
  readonly uploadBatchSize: number;
  /** Largest CSV upload, in bytes. */
  readonly uploadBodyLimit: number;
  /** Index queries one caller may have in flight, and all callers together. */
  readonly indexQueriesPerCaller: number;
  readonly indexQueriesTotal: number;
  /** Rows one caller may have waiting in uploads. */
  readonly uploadMaxPendingRows: number;
  /** How long a finished upload's status is kept, in seconds. */
  readonly uploadRetentionSeconds: number;
  /** The monitor, whose index answers history-wide traces, counterparties and statistics (source=index). */
  readonly monitorUrl: string;
  /** The token the monitor expects; else read from (or created in) monitorTokenFile, which the monitor reads too. */
  readonly monitorToken: string | undefined;
  readonly monitorTokenFile: string;
  /** The nodes to health-check (JSON list of {name, kind, mspId?, healthUrl}); the network tooling writes one. */
  readonly nodes: string;
  /** The console's built files (`npm run build -w console`), served at /console. */
  readonly consoleDir: string;
}

/** The numbers and words the gateway reads from the environment, each with its rule; paths and names are taken as given. */
export const GatewaySettings = Type.Object({
  ...DeadlineSettings.properties,
  REGCHAIN_GATEWAY_PORT: PortSetting('the gateway’s port'),
  REGCHAIN_GATEWAY_BODY_LIMIT: WholeSetting(1024, 64 * 1024 * 1024, 'the largest JSON body, in bytes'),
  REGCHAIN_GATEWAY_RATE_LIMIT: WholeSetting(1, 1_000_000, 'requests a minute per authenticated caller'),
  REGCHAIN_GATEWAY_ADDRESS_RATE_LIMIT: WholeSetting(1, 1_000_000, 'requests a minute per client address'),
  LOG_LEVEL: WordSetting(LOG_LEVELS, 'the log level'),
  REGCHAIN_GATEWAY_STREAMS_PER_CALLER: WholeSetting(1, 1000, 'event streams one caller may hold open'),
  REGCHAIN_GATEWAY_OFFLINE_SKEW_SECONDS: WholeSetting(1, 3600, 'how far an offline-signed proposal’s time may lie from the clock, in seconds'),
  REGCHAIN_GATEWAY_STREAM_BUFFER: WholeSetting(1024, 1024 * 1024 * 1024, 'bytes an event stream may buffer for a slow reader'),
  REGCHAIN_GATEWAY_UPLOAD_BATCH: WholeSetting(1, 500, 'rows of a CSV upload per transaction'),
  REGCHAIN_GATEWAY_UPLOAD_LIMIT: WholeSetting(1024, 1024 * 1024 * 1024, 'the largest CSV upload, in bytes'),
  REGCHAIN_GATEWAY_INDEX_QUERIES_PER_CALLER: WholeSetting(1, 100, 'index queries one caller may have in flight'),
  REGCHAIN_GATEWAY_INDEX_QUERIES: WholeSetting(1, 1000, 'index queries all callers may have in flight'),
  REGCHAIN_GATEWAY_UPLOAD_PENDING_ROWS: WholeSetting(1, 100_000_000, 'rows one caller may have waiting in uploads'),
  REGCHAIN_GATEWAY_UPLOAD_RETENTION_SECONDS: WholeSetting(60, 365 * 86_400, 'how long a finished upload’s status is kept, in seconds'),
  REGCHAIN_MONITOR_PORT: PortSetting('the monitor’s port'),
  REGCHAIN_PORT_OFFSET: WholeSetting(0, 50_000, 'added to every default port (a test network beside npm start’s)'),
});

/** The gateway's settings: the environment's, checked (a bad value stops the start, naming the variable), over the defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const local = stateLayout(stateDir(env));
  const s = readSettings(GatewaySettings, env);
  const bundledCaClient = path.join(local.bin, 'fabric-ca-client');
  return {
    host: env.REGCHAIN_GATEWAY_HOST ?? '127.0.0.1',
    port: s.REGCHAIN_GATEWAY_PORT ?? 3000 + (s.REGCHAIN_PORT_OFFSET ?? 0),
    dataDir: path.resolve(env.REGCHAIN_GATEWAY_DATA ?? local.gatewayData),
    databaseUrl: env.REGCHAIN_GATEWAY_DATABASE_URL || undefined,
    secret: env.REGCHAIN_GATEWAY_SECRET,
    secretFile: path.resolve(env.REGCHAIN_GATEWAY_SECRET_FILE ?? local.vaultKey),
    bodyLimit: s.REGCHAIN_GATEWAY_BODY_LIMIT ?? 256 * 1024,
    rateLimitPerMinute: s.REGCHAIN_GATEWAY_RATE_LIMIT ?? 1200,
    addressRateLimitPerMinute: s.REGCHAIN_GATEWAY_ADDRESS_RATE_LIMIT ?? 6000,
    publicCaller: env.REGCHAIN_GATEWAY_PUBLIC_CALLER ?? 'public',
    logLevel: s.LOG_LEVEL ?? 'info',
    trustAnchors: path.resolve(env.REGCHAIN_TRUST_ANCHORS ?? local.genesisBlock),
    maxStreamsPerCaller: s.REGCHAIN_GATEWAY_STREAMS_PER_CALLER ?? 4,
    offlineSkewSeconds: s.REGCHAIN_GATEWAY_OFFLINE_SKEW_SECONDS ?? 60,
    streamBufferBytes: s.REGCHAIN_GATEWAY_STREAM_BUFFER ?? 1024 * 1024,
    profile: path.resolve(env.REGCHAIN_GATEWAY_PROFILE ?? local.networkProfile),
    channel: env.REGCHAIN_CHANNEL ?? CHANNEL,
    chaincode: env.REGCHAIN_CHAINCODE ?? CHAINCODE_NAME,
    deadlines: deadlinesOf(s),
    caClient: env.REGCHAIN_FABRIC_CA_CLIENT ?? (fs.existsSync(bundledCaClient) ? bundledCaClient : 'fabric-ca-client'),
    registrars: path.resolve(env.REGCHAIN_GATEWAY_REGISTRARS ?? local.registrars),
    users: path.resolve(env.REGCHAIN_GATEWAY_USERS ?? local.users),
    uploadBatchSize: s.REGCHAIN_GATEWAY_UPLOAD_BATCH ?? 200,
    uploadBodyLimit: s.REGCHAIN_GATEWAY_UPLOAD_LIMIT ?? 32 * 1024 * 1024,
    indexQueriesPerCaller: s.REGCHAIN_GATEWAY_INDEX_QUERIES_PER_CALLER ?? 2,
    indexQueriesTotal: s.REGCHAIN_GATEWAY_INDEX_QUERIES ?? 6,
    uploadMaxPendingRows: s.REGCHAIN_GATEWAY_UPLOAD_PENDING_ROWS ?? 1_000_000,
    uploadRetentionSeconds: s.REGCHAIN_GATEWAY_UPLOAD_RETENTION_SECONDS ?? 24 * 3600,
    monitorUrl:
      env.REGCHAIN_MONITOR_URL ?? `http://${env.REGCHAIN_MONITOR_HOST ?? '127.0.0.1'}:${s.REGCHAIN_MONITOR_PORT ?? 3100 + (s.REGCHAIN_PORT_OFFSET ?? 0)}`,
    monitorToken: env.REGCHAIN_MONITOR_TOKEN || undefined,
    monitorTokenFile: path.resolve(env.REGCHAIN_MONITOR_TOKEN_FILE ?? local.monitorToken),
    nodes: path.resolve(env.REGCHAIN_GATEWAY_NODES ?? local.nodes),
    consoleDir: path.resolve(env.REGCHAIN_CONSOLE_DIR ?? path.join(REPO_ROOT, 'console', 'dist')),
  };
}
