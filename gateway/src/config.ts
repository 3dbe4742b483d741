// Gateway settings from the environment, with defaults that fit the local network.
import * as path from 'node:path';
import { genesisBlock, STATE_DIR } from '../../network/src/paths';
import { CHAINCODE_NAME, CHANNEL, GATEWAY_PORT } from '../../network/src/topology';

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** Where the embedded store (callers, encrypted keys, idempotency records, stream checkpoints) lives. */
  readonly dataDir: string;
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
  /** Bytes an event stream may buffer for a slow reader before dropping it (it resumes with Last-Event-ID). */
  readonly streamBufferBytes: number;
  /** The Fabric common connection profile (JSON or YAML) naming the peers, their orgs and TLS roots. */
  readonly profile: string;
  readonly channel: string;
  readonly chaincode: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    host: env.REGCHAIN_GATEWAY_HOST ?? '127.0.0.1',
    port: Number(env.REGCHAIN_GATEWAY_PORT ?? GATEWAY_PORT),
    dataDir: path.resolve(env.REGCHAIN_GATEWAY_DATA ?? path.join(STATE_DIR, 'gateway')),
    secret: env.REGCHAIN_GATEWAY_SECRET,
    secretFile: path.resolve(env.REGCHAIN_GATEWAY_SECRET_FILE ?? path.join(STATE_DIR, 'secrets', 'vault.key')),
    bodyLimit: Number(env.REGCHAIN_GATEWAY_BODY_LIMIT ?? 256 * 1024),
    rateLimitPerMinute: Number(env.REGCHAIN_GATEWAY_RATE_LIMIT ?? 1200),
    addressRateLimitPerMinute: Number(env.REGCHAIN_GATEWAY_ADDRESS_RATE_LIMIT ?? 6000),
    publicCaller: env.REGCHAIN_GATEWAY_PUBLIC_CALLER ?? 'public',
    logLevel: env.LOG_LEVEL ?? 'info',
    trustAnchors: path.resolve(env.REGCHAIN_TRUST_ANCHORS ?? genesisBlock()),
    maxStreamsPerCaller: Number(env.REGCHAIN_GATEWAY_STREAMS_PER_CALLER ?? 4),
    streamBufferBytes: Number(env.REGCHAIN_GATEWAY_STREAM_BUFFER ?? 1024 * 1024),
    profile: path.resolve(env.REGCHAIN_GATEWAY_PROFILE ?? path.join(STATE_DIR, 'profiles', 'network.json')),
    channel: env.REGCHAIN_CHANNEL ?? CHANNEL,
    chaincode: env.REGCHAIN_CHAINCODE ?? CHAINCODE_NAME,
  };
}
