// A route-test app: the real app over a fake ledger and a caller store with one caller per role, driven through inject.
import { DEFAULT_DEADLINES } from '@regchain/fabric';
import type { FastifyInstance, RouteOptions } from 'fastify';
import Fastify from 'fastify';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import gatewayApp, { buildApp, type LedgerPort, type Services } from '../app';
import type { GatewayConfig } from '../config';
import { type Caller, CallerRegistry, Vault } from '../fabric/identities';
import type { Invocation, Readiness, SubmitResult } from '../fabric/ledger';
import { Idempotency } from '../idempotency';
import type { IndexPort } from '../monitor-index';
import { createMetrics } from '../metrics';

export const TX = 'ab'.repeat(32);

/** The monitor's index in route tests: what it was asked, and a canned answer. */
export class FakeIndex implements IndexPort {
  calls: { path: string; query: Record<string, string | number | undefined> }[] = [];
  next: (path: string) => Record<string, unknown> = () => ({ source: 'index', asOfBlock: 7 });

  async query(path: string, query: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    this.calls.push({ path, query });
    return this.next(path);
  }

  reset(): void {
    this.calls = [];
    this.next = () => ({ source: 'index', asOfBlock: 7 });
  }
}

export class FakeLedger implements LedgerPort {
  calls: { caller: string; call: Invocation }[] = [];
  next: (call: Invocation) => unknown = () => ({ ok: true });
  inFlight = 0;

  async submit(caller: Caller, call: Invocation, options: { onSubmitted?: (txId: string, commit: Promise<SubmitResult>) => void } = {}): Promise<SubmitResult> {
    this.calls.push({ caller: caller.id, call });
    const result = await Promise.resolve().then(() => this.next(call));
    const done: SubmitResult = { transactionId: TX, blockNumber: '7', validationCode: 'VALID', result };
    options.onSubmitted?.(TX, Promise.resolve(done));
    return done;
  }

  async evaluate(caller: Caller, call: Invocation): Promise<unknown> {
    this.calls.push({ caller: caller.id, call });
    return this.next(call);
  }

  async transactionStatus(): Promise<undefined> {
    return undefined;
  }

  async ready(): Promise<Readiness> {
    return {
      peers: { 'peer0.regulator': true, 'peer1.regulator': false, 'peer0.bank': true, 'peer0.enterprise': true, 'peer0.auditor': false },
      orgs: { RegulatorMSP: true, BankMSP: true, EnterpriseMSP: true, AuditorMSP: false },
      chaincode: true,
    };
  }

  gateway(): never {
    throw new Error('not in route tests');
  }

  async attestations(): Promise<Uint8Array[]> {
    return [];
  }

  network(): never {
    throw new Error('not in route tests');
  }

  close(): void {}

  reset(): void {
    this.calls = [];
    this.next = () => ({ ok: true });
  }
}

const ROLE_MSP = { regulator: 'RegulatorMSP', enterprise: 'EnterpriseMSP', bank: 'BankMSP', auditor: 'AuditorMSP' } as const;

export function certificate(): { cert: string; key: string } {
  // Route tests never reach Fabric: any EC key pair stands in for an enrolled identity.
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { cert: '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n', key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Settings for a route-test app: nothing reaches Fabric, so profile and anchors point nowhere. */
export function testConfig(
  dir: string,
  limits: Pick<GatewayConfig, 'secret' | 'bodyLimit' | 'rateLimitPerMinute' | 'addressRateLimitPerMinute'>,
): GatewayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    deadlines: DEFAULT_DEADLINES,
    secretFile: '/nonexistent',
    publicCaller: 'public',
    logLevel: 'silent',
    trustAnchors: '/nonexistent',
    maxStreamsPerCaller: 2,
    offlineSkewSeconds: 60,
    streamBufferBytes: 65536,
    profile: '/nonexistent',
    channel: 'supervision',
    chaincode: 'regchain',
    caClient: '/nonexistent',
    registrars: '/nonexistent',
    users: '/nonexistent',
    uploadBatchSize: 2,
    uploadBodyLimit: 1024 * 1024,
    uploadMaxPendingRows: 1_000_000,
    indexQueriesPerCaller: 2,
    indexQueriesTotal: 6,
    uploadRetentionSeconds: 86_400,
    monitorUrl: 'http://127.0.0.1:9',
    monitorToken: 'test-token',
    monitorTokenFile: '/nonexistent',
    nodes: '/nonexistent',
    consoleDir: '/nonexistent',
    ...limits,
  };
}

export interface RouteTestApp {
  readonly app: FastifyInstance;
  readonly ledger: FakeLedger;
  readonly index: FakeIndex;
  readonly services: Services;
  /** API keys by role, and `offline` for a bank caller that keeps its own key. */
  readonly keys: Readonly<Record<string, string>>;
  /** Every route the app registers, with the roles its config names. */
  readonly routes: readonly RouteOptions[];
  readonly dataDir: string;
  auth(role: string): Record<string, string>;
}

export async function startRouteTestApp(overrides: Partial<GatewayConfig> = {}): Promise<RouteTestApp> {
  const keys: Record<string, string> = {};
  const routes: RouteOptions[] = [];

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-gw-'));
  const config: GatewayConfig = testConfig(dataDir, {
    secret: 'test-secret',
    bodyLimit: 64 * 1024,
    rateLimitPerMinute: 10_000,
    addressRateLimitPerMinute: 100_000,
  });
  Object.assign(config, overrides);
  const callers = new CallerRegistry(dataDir, new Vault('test-secret'));
  for (const role of ['regulator', 'enterprise', 'bank', 'auditor'] as const) {
    const { cert, key } = certificate();
    const { apiKey } = await callers.add({
      id: `${role}-1`,
      mspId: ROLE_MSP[role],
      role,
      entityId: '91500000MA5U0ENT1W',
      certificate: cert,
      privateKey: key,
      withApiKey: true,
    });
    keys[role] = apiKey as string;
  }
  const { cert } = certificate();
  const { apiKey } = await callers.add({
    id: 'offline-1',
    mspId: 'BankMSP',
    role: 'bank',
    entityId: '91500000MA5U0BNK10',
    certificate: cert,
    withApiKey: true,
  });
  keys.offline = apiKey as string;
  await callers.add({ id: 'public', mspId: 'AuditorMSP', role: 'auditor', entityId: 'x', certificate: cert, privateKey: certificate().key, withApiKey: false });
  const ledger = new FakeLedger();
  const index = new FakeIndex();
  const services: Services = { config, callers, ledger, index, metrics: createMetrics(), idempotency: new Idempotency(dataDir) };
  const app = await buildApp(services);
  // Every route the app registers, with the roles its config names: the role matrix below covers them all.
  const probe = Fastify();
  probe.addHook('onRoute', (route) => void routes.push(route));
  await probe.register(gatewayApp, { services });
  await probe.ready();
  await probe.close();
  return { app, ledger, index, services, keys, routes, dataDir, auth: (role) => ({ authorization: `Bearer ${keys[role]}` }) };
}

/** A transfer that passes the gateway's schema. */
export const transfer = { fromAccount: 'a', toAccount: 'b', amount: 100, currency: 'CNY', purpose: 'goods', reference: '' };
