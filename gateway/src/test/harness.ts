// A route-test app: the real app over a fake ledger and a caller store with one caller per role, driven through inject.
import * as grpc from '@grpc/grpc-js';
import { type ChaincodeEvent, type CloseableAsyncIterable, connect, hash } from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, msp, peer } from '@hyperledger/fabric-protos';
import { blockNumber, DEFAULT_DEADLINES, txIdOf } from '@regchain/fabric';
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import Fastify from 'fastify';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import gatewayApp, { buildApp, type LedgerPort, type Services } from '../app';
import type { GatewayConfig } from '../config';
import { type Caller, CallerRegistry, Vault } from '../fabric/identities';
import type { Invocation, Readiness, SubmitResult, TransactionStatus } from '../plugins/app/ledger';
import type { EvidenceBundle } from '../audit/bundle';
import type { OfflinePort } from '../plugins/app/ledger';
import { ApiError } from '../errors';
import { Idempotency } from '../idempotency';
import { GatewayDatabase } from '../store/database';
import type { IndexPort } from '../monitor-index';
import { createMetrics } from '../metrics';

export const TX = 'ab'.repeat(32);

const FIXTURES = path.join(__dirname, '..', 'audit', 'fixtures');
/** A transaction recorded from the real network, with everything its evidence needs. */
export const RECORDED = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'bundle.json'), 'utf8')) as EvidenceBundle;
export const RECORDED_ANCHORS = path.join(FIXTURES, 'genesis.block');
/** The recorded channel's blocks by number: its config blocks, the chaincode definition's, and the transaction's. */
const RECORDED_BLOCKS = new Map(
  [...RECORDED.configBlocks, ...RECORDED.definitionBlocks, RECORDED.block]
    .map((b) => common.Block.deserializeBinary(Buffer.from(b, 'base64')))
    .map((b) => [blockNumber(b), b] as const),
);

/** A committed chaincode definition as _lifecycle answers it: sequence 1, the channel's Endorsement policy. */
function definition(): Uint8Array {
  const policy = new peer.ApplicationPolicy();
  policy.setChannelConfigPolicyReference('/Channel/Application/Endorsement');
  const result = new peer.lifecycle.QueryChaincodeDefinitionResult();
  result.setSequence(1);
  result.setVersion('v1');
  result.setEndorsementPlugin('escc');
  result.setValidationPlugin('vscc');
  result.setValidationParameter(policy.serializeBinary());
  result.getApprovalsMap().set('RegulatorMSP', true);
  return result.serializeBinary();
}

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

  async transactionStatus(_reader: Caller, transactionId: string): Promise<TransactionStatus | undefined> {
    return this.statuses.get(transactionId);
  }

  async ready(): Promise<Readiness> {
    return {
      peers: { 'peer0.regulator': true, 'peer1.regulator': false, 'peer0.bank': true, 'peer0.enterprise': true, 'peer0.auditor': false },
      orgs: { RegulatorMSP: true, BankMSP: true, EnterpriseMSP: true, AuditorMSP: false },
      chaincode: true,
    };
  }

  async attestations(): Promise<Uint8Array[]> {
    return [];
  }

  /** The channel as recorded from the real network (blocks 0 to 394, those the recorded evidence holds). */
  blocks = new Map(RECORDED_BLOCKS);
  /** What qscc says of transactions, by id. */
  statuses = new Map<string, TransactionStatus>();

  /** Commits transaction `transactionId` (valid, block 7) as created by `creator`. */
  commitAs(creator: Caller, transactionId = TX): void {
    this.statuses.set(transactionId, {
      transactionId,
      status: 'committed',
      validationCode: 'VALID',
      valid: true,
      blockNumber: '7',
      creator: { mspId: creator.mspId, certificate: creator.certificate },
    });
  }

  async querySystem(caller: Caller, chaincode: 'qscc' | '_lifecycle', fn: string, args: readonly (string | Uint8Array)[]): Promise<Uint8Array> {
    this.calls.push({ caller: caller.id, call: { fn: `${chaincode}:${fn}`, input: args.map((a) => (typeof a === 'string' ? a : '<bytes>')) } });
    if (chaincode === '_lifecycle') return definition();
    if (fn === 'GetChainInfo') {
      const info = new common.BlockchainInfo();
      info.setHeight(Math.max(...this.blocks.keys()) + 1);
      return info.serializeBinary();
    }
    const found =
      fn === 'GetBlockByNumber'
        ? this.blocks.get(Number(args[1]))
        : fn === 'GetBlockByTxID'
          ? [...this.blocks.values()].find((b) => (b.getData()?.getDataList_asU8() ?? []).some((d) => txIdOf(d) === args[1]))
          : undefined;
    if (!found) throw new ApiError(404, 'NOT_FOUND', `${fn} ${String(args[1])}: not on this fake channel`);
    return found.serializeBinary();
  }

  /** The chaincode events the fake channel delivers; with `live`, the feed stays open after them, as a peer's does. */
  events: ChaincodeEvent[] = [];
  live = false;

  async chaincodeEvents(caller: Caller): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    this.calls.push({ caller: caller.id, call: { fn: 'events', input: {} } });
    const events = this.events;
    const live = this.live;
    let closed = false;
    return {
      async *[Symbol.asyncIterator]() {
        for (const e of events) {
          if (closed) return;
          yield e;
        }
        if (live) await new Promise(() => undefined);
      },
      close: () => void (closed = true),
      [Symbol.dispose]: () => void (closed = true),
    };
  }

  /**
   * Offline signing against the fake: each step hands back the message Fabric would (a real proposal, a prepared
   * transaction and a commit-status request, each created by the caller), and the last commits in block 7.
   */
  readonly offline: OfflinePort = {
    propose: (caller, call) => {
      this.calls.push({ caller: caller.id, call });
      const gateway = connect({ client: OFFLINE_CLIENT, identity: { mspId: caller.mspId, credentials: Buffer.from(caller.certificate) }, hash: hash.sha256 });
      const proposal = gateway
        .getNetwork('supervision')
        .getContract('regchain')
        .newProposal(call.fn, { arguments: [JSON.stringify(call.input)] });
      return { transactionId: proposal.getTransactionId(), bytes: proposal.getBytes(), digest: proposal.getDigest() };
    },
    endorse: async (caller) => {
      this.calls.push({ caller: caller.id, call: { fn: 'offline:endorse', input: {} } });
      const payload = new common.Payload();
      const header = new common.Header();
      header.setSignatureHeader(signatureHeaderOf(caller).serializeBinary());
      payload.setHeader(header);
      const envelope = new common.Envelope();
      envelope.setPayload(payload.serializeBinary());
      const prepared = new gatewayProtos.PreparedTransaction();
      prepared.setTransactionId(TX);
      prepared.setEnvelope(envelope);
      const result = Buffer.from(JSON.stringify(this.next({ fn: 'offline:endorse', input: {} })));
      return { transactionId: TX, bytes: prepared.serializeBinary(), digest: sha256(payload.serializeBinary()), result };
    },
    submit: async (caller) => {
      this.calls.push({ caller: caller.id, call: { fn: 'offline:submit', input: {} } });
      const request = new gatewayProtos.CommitStatusRequest();
      request.setTransactionId(TX);
      request.setChannelId('supervision');
      request.setIdentity(serializedIdentityOf(caller).serializeBinary());
      const signed = new gatewayProtos.SignedCommitStatusRequest();
      signed.setRequest(request.serializeBinary());
      return { transactionId: TX, bytes: signed.serializeBinary(), digest: sha256(request.serializeBinary()) };
    },
    commitStatus: async (caller) => {
      this.calls.push({ caller: caller.id, call: { fn: 'offline:commitStatus', input: {} } });
      return { transactionId: TX, blockNumber: 7n, code: peer.TxValidationCode.VALID, successful: true };
    },
  };

  close(): void {}

  reset(): void {
    this.calls = [];
    this.next = () => ({ ok: true });
    this.blocks = new Map(RECORDED_BLOCKS);
    this.statuses.clear();
    this.events = [];
    this.live = false;
  }
}

const ROLE_MSP = { regulator: 'RegulatorMSP', enterprise: 'EnterpriseMSP', bank: 'BankMSP', auditor: 'AuditorMSP' } as const;

const IDENTITIES = path.join(__dirname, 'identities');

/** A client that never dials: fabric-gateway builds proposals without the network. */
const OFFLINE_CLIENT = new grpc.Client('127.0.0.1:9', grpc.credentials.createInsecure());
const sha256 = (bytes: Uint8Array): Uint8Array => crypto.createHash('sha256').update(bytes).digest();

function serializedIdentityOf(caller: Caller): msp.SerializedIdentity {
  const id = new msp.SerializedIdentity();
  id.setMspid(caller.mspId);
  id.setIdBytes(Buffer.from(caller.certificate));
  return id;
}

function signatureHeaderOf(caller: Caller): common.SignatureHeader {
  const header = new common.SignatureHeader();
  header.setCreator(serializedIdentityOf(caller).serializeBinary());
  return header;
}

/** An enrolled identity's certificate and key for route tests: self-signed P-256 pairs kept beside this file. */
export function identityOf(name: 'regulator' | 'enterprise' | 'bank' | 'auditor' | 'offline' | 'public'): { cert: string; key: string } {
  return { cert: fs.readFileSync(path.join(IDENTITIES, `${name}.crt`), 'utf8'), key: fs.readFileSync(path.join(IDENTITIES, `${name}.key`), 'utf8') };
}

/** Any key pair, for callers whose certificate does not matter to the test. */
export function certificate(): { cert: string; key: string } {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { cert: identityOf('public').cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
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
  /** A request as `role` (a JSON body when given). */
  send(role: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

/**
 * One route-test app for the test file: started before its tests, closed after them, the fakes reset before
 * each. The answer stands for the app while the file's tests run.
 */
export function useRouteTestApp(overrides: Partial<GatewayConfig> = {}): RouteTestApp {
  let current: RouteTestApp | undefined;
  beforeAll(async () => {
    current = await startRouteTestApp(overrides);
  });
  afterAll(() => current?.app.close());
  beforeEach(() => {
    current?.ledger.reset();
    current?.index.reset();
  });
  return new Proxy({} as RouteTestApp, {
    get: (_target, key) => {
      if (!current) throw new Error('the route-test app is not started yet: use it inside a test');
      return current[key as keyof RouteTestApp];
    },
  });
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
  const database = new GatewayDatabase({ dir: path.join(dataDir, 'db') });
  const callers = new CallerRegistry(database, new Vault('test-secret'), dataDir);
  for (const role of ['regulator', 'enterprise', 'bank', 'auditor'] as const) {
    const { cert, key } = identityOf(role);
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
  const { cert } = identityOf('offline');
  const { apiKey } = await callers.add({
    id: 'offline-1',
    mspId: 'BankMSP',
    role: 'bank',
    entityId: '91500000MA5U0BNK10',
    certificate: cert,
    withApiKey: true,
  });
  keys.offline = apiKey as string;
  const pub = identityOf('public');
  await callers.add({ id: 'public', mspId: 'AuditorMSP', role: 'auditor', entityId: 'x', certificate: pub.cert, privateKey: pub.key, withApiKey: false });
  const ledger = new FakeLedger();
  const index = new FakeIndex();
  const services: Services = { config, callers, ledger, index, metrics: createMetrics(), database, idempotency: new Idempotency(database, dataDir) };
  const app = await buildApp(services);
  app.addHook('onClose', () => database.close());
  // Every route the app registers, with the roles its config names: the role matrix below covers them all.
  const probe = Fastify();
  probe.addHook('onRoute', (route) => void routes.push(route));
  await probe.register(gatewayApp, { services });
  await probe.ready();
  await probe.close();
  const auth = (role: string): Record<string, string> => ({ authorization: `Bearer ${keys[role]}` });
  const send: RouteTestApp['send'] = (role, method, url, payload) =>
    app.inject({
      method,
      url,
      headers: { ...auth(role), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  return { app, ledger, index, services, keys, routes, dataDir, auth, send };
}

/** The gateway's database, callers and idempotency store over a data folder, for tests that build their own app. */
export function gatewayState(dir: string, secret = 'test-secret'): Pick<Services, 'database' | 'idempotency' | 'callers'> {
  const database = new GatewayDatabase({ dir: path.join(dir, 'db') });
  return { database, callers: new CallerRegistry(database, new Vault(secret), dir), idempotency: new Idempotency(database, dir) };
}

/** A transfer that passes the gateway's schema. */
export const transfer = { fromAccount: 'a', toAccount: 'b', amount: 100, currency: 'CNY', purpose: 'goods', reference: '' };
