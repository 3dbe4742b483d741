// Route tests through inject with a fake ledger: validation, authentication, roles, error mapping, idempotency.
import { CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import gatewayApp, { buildApp, type LedgerPort, type Services } from './app';
import type { GatewayConfig } from './config';
import { ApiError, fromFabric, invalidCommit } from './errors';
import { type Caller, CallerRegistry, Vault } from './fabric/identities';
import type { Invocation, Readiness, SubmitResult } from './fabric/ledger';
import { Idempotency } from './idempotency';
import { createMetrics } from './metrics';

const TX = 'ab'.repeat(32);

class FakeLedger implements LedgerPort {
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
}

const ROLE_MSP = { regulator: 'RegulatorMSP', enterprise: 'EnterpriseMSP', bank: 'BankMSP', auditor: 'AuditorMSP' } as const;
const keys: Record<string, string> = {};
let dataDir: string;
let app: FastifyInstance;
let ledger: FakeLedger;
let services: Services;
const routes: RouteOptions[] = [];

function certificate(): { cert: string; key: string } {
  // Route tests never reach Fabric: any EC key pair stands in for an enrolled identity.
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { cert: '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n', key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Settings for a route-test app: nothing reaches Fabric, so profile and anchors point nowhere. */
function testConfig(dir: string, limits: Pick<GatewayConfig, 'secret' | 'bodyLimit' | 'rateLimitPerMinute' | 'addressRateLimitPerMinute'>): GatewayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    secretFile: '/nonexistent',
    publicCaller: 'public',
    logLevel: 'silent',
    trustAnchors: '/nonexistent',
    maxStreamsPerCaller: 2,
    streamBufferBytes: 65536,
    profile: '/nonexistent',
    channel: 'supervision',
    chaincode: 'regchain',
    caClient: '/nonexistent',
    registrars: '/nonexistent',
    users: '/nonexistent',
    ...limits,
  };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-gw-'));
  const config: GatewayConfig = testConfig(dataDir, {
    secret: 'test-secret',
    bodyLimit: 64 * 1024,
    rateLimitPerMinute: 10_000,
    addressRateLimitPerMinute: 100_000,
  });
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
  ledger = new FakeLedger();
  services = { config, callers, ledger, metrics: createMetrics(), idempotency: new Idempotency(dataDir) };
  app = await buildApp(services);
  // Every route the app registers, with the roles its config names: the role matrix below covers them all.
  const probe = Fastify();
  probe.addHook('onRoute', (route) => void routes.push(route));
  await probe.register(gatewayApp, { services });
  await probe.ready();
  await probe.close();
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  ledger.calls = [];
  ledger.next = () => ({ ok: true });
});

const auth = (role: string): Record<string, string> => ({ authorization: `Bearer ${keys[role]}` });
const transfer = { fromAccount: 'a', toAccount: 'b', amount: 100, currency: 'CNY', purpose: 'goods', reference: '' };

describe('authentication', () => {
  it('refuses a request without an API key, and one with a forged key, without touching the ledger', async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/rules' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const forged = await app.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: `Bearer rgc_${'A'.repeat(32)}` } });
    expect(forged.statusCode).toBe(401);
    expect(ledger.calls).toEqual([]);
  });

  it('stores API keys hashed and private keys encrypted', () => {
    const stored = fs.readFileSync(path.join(dataDir, 'callers.json'), 'utf8');
    for (const key of Object.values(keys)) expect(stored).not.toContain(key);
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).toContain('"apiKeyHash"');
  });

  it('serves public filing-number lookups without a key', async () => {
    ledger.next = () => ({ current: true });
    const res = await app.inject({ method: 'GET', url: `/v1/public/filings/${encodeURIComponent('网信备50000020261122123456号')}` });
    expect(res.statusCode).toBe(200);
    expect(ledger.calls[0]).toEqual({ caller: 'public', call: { fn: 'filing:lookup', input: { filingNumber: '网信备50000020261122123456号' } } });
  });
});

describe('role × route', () => {
  const roles = ['regulator', 'enterprise', 'bank', 'auditor'] as const;

  it('covers every route that needs a key (the stream aside, which would hold the connection open)', () => {
    expect(routes.filter((r) => r.config?.roles).length).toBeGreaterThan(40);
  });

  it.each(roles)('every route as %s: allowed where its roles name the role, 403 ACCESS_DENIED elsewhere, the ledger untouched', async (role) => {
    const guarded = routes.filter((r) => r.config?.roles && r.url !== '/v1/events' && r.method !== 'HEAD');
    for (const route of guarded) {
      ledger.calls = [];
      const method = [route.method].flat()[0] as 'GET' | 'POST' | 'PUT';
      const url = route.url.replace(/:(\w+)/g, (_m, p: string) => (p === 'kind' ? 'entity' : p === 'transactionId' ? TX : `x-${p}`));
      const res = await app.inject({ method, url, headers: auth(role), ...(method === 'GET' ? {} : { payload: {} }) });
      const allowed = (route.config?.roles ?? []).includes(role);
      expect([`${method} ${route.url}`, allowed ? res.statusCode !== 403 : res.statusCode]).toEqual([`${method} ${route.url}`, allowed ? true : 403]);
      if (!allowed) {
        expect(res.json()).toMatchObject({ code: 'ACCESS_DENIED' });
        expect(ledger.calls).toEqual([]);
      }
    }
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', '{"amount": 1,', 'application/json', 400, 'BAD_REQUEST'],
    ['a wrong type', JSON.stringify({ ...transfer, amount: '100' }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['a fractional amount', JSON.stringify({ ...transfer, amount: 1.5 }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['an unknown field', JSON.stringify({ ...transfer, extra: 1 }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['a missing field', JSON.stringify({ fromAccount: 'a' }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['a huge body', JSON.stringify({ ...transfer, reference: 'x'.repeat(100_000) }), 'application/json', 413, 'PAYLOAD_TOO_LARGE'],
    ['a non-JSON media type', '<transfer amount="1"/>', 'application/xml', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['plain text', 'amount=1', 'text/plain', 400, 'VALIDATION_FAILED'],
  ])('answers %s with a clear 4xx and writes nothing', async (_what, payload, type, status, code) => {
    const res = await app.inject({ method: 'POST', url: '/v1/transfers', headers: { ...auth('bank'), 'content-type': type }, payload });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code, message: expect.any(String), details: expect.any(Object) });
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    expect(ledger.calls).toEqual([]);
  });

  it('names the offending field', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/transfers', headers: auth('bank'), payload: { ...transfer, amount: -1 } });
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body/amount' } });
  });

  it('refuses bad query strings and path ids', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/filings?pageSize=ten', headers: auth('regulator') })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/filings?unknown=1', headers: auth('regulator') })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/transfers/a~b', headers: auth('regulator') })).statusCode).toBe(400);
    expect(ledger.calls).toEqual([]);
  });
});

describe('error mapping', () => {
  const endorseError = (message: string): EndorseError =>
    new EndorseError({
      code: 10,
      details: [{ address: 'peer', mspId: 'BankMSP', message: `chaincode response 500, ${message}` }],
      message: '10 ABORTED: failed to endorse transaction',
      transactionId: TX,
      cause: new Error('x'),
    } as never);

  it.each([
    ['ACCESS_DENIED: bank may not publish rules', 403],
    ['FILING_NOT_FOUND: filing F does not exist', 404],
    ['ACCOUNT_EXISTS: account a already exists', 409],
    ['FILING_TRANSITION_INVALID: a filing that is submitted cannot be approved', 409],
    ['RULE_BLOCKED: transfer blocked by rule r1 v2 "x" | {"rules":[{"ruleId":"r1","version":2}]}', 422],
    ['BUDGET_EXCEEDED: project p has 5 fen left', 422],
    ['VALIDATION_FAILED: transfer: /amount must be integer | {"field":"/amount"}', 400],
  ])('carries the chaincode error "%s" to the caller as %i', async (message, status) => {
    ledger.next = () => {
      throw fromFabric(endorseError(message), TX);
    };
    const res = await app.inject({ method: 'POST', url: '/v1/transfers', headers: auth('bank'), payload: transfer });
    expect(res.statusCode).toBe(status);
    const body = res.json();
    expect(body.code).toBe(message.split(':')[0]);
    expect(body.transactionId).toBe(TX);
    if (message.includes('RULE_BLOCKED')) expect(body.details).toEqual({ rules: [{ ruleId: 'r1', version: 2 }] });
  });

  it('maps an MVCC conflict to 409 with a retry hint', async () => {
    ledger.next = () => {
      throw invalidCommit(peer.TxValidationCode.MVCC_READ_CONFLICT, TX);
    };
    const res = await app.inject({ method: 'POST', url: '/v1/transfers', headers: auth('bank'), payload: transfer });
    expect(res.statusCode).toBe(409);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ code: 'CONFLICT', details: { validationCode: 'MVCC_READ_CONFLICT', retryable: true }, transactionId: TX });
  });

  it('maps an unreachable network to 503', async () => {
    ledger.next = () => {
      throw fromFabric(new GatewayError({ code: 14, details: [], message: '14 UNAVAILABLE: No connection established', cause: new Error('x') } as never));
    };
    const res = await app.inject({ method: 'GET', url: '/v1/rules', headers: auth('bank') });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'NETWORK_UNAVAILABLE' });
  });

  it.each([
    [
      new EndorseError({
        code: 10,
        details: [
          { address: 'peer0:7051', mspId: 'BankMSP', message: 'error validating proposal: access denied: channel [supervision] creator org [BankMSP]' },
        ],
        message: '10 ABORTED: failed to endorse transaction',
        transactionId: TX,
        cause: new Error('x'),
      } as never),
      403,
      'IDENTITY_REFUSED',
    ],
    [
      new EndorseError({
        code: 10,
        details: [{ address: 'peer0:7051', mspId: 'BankMSP', message: 'ProposalResponsePayloads do not match' }],
        message: '10 ABORTED: failed to endorse transaction',
        transactionId: TX,
        cause: new Error('x'),
      } as never),
      502,
      'ENDORSEMENTS_DIFFER',
    ],
    [
      new EndorseError({
        code: 14,
        details: [],
        message: '14 UNAVAILABLE: no combination of peers can be derived which satisfy the endorsement policy',
        transactionId: TX,
        cause: new Error('x'),
      } as never),
      503,
      'NETWORK_UNAVAILABLE',
    ],
    [
      new CommitStatusError({ code: 4, details: [], message: '4 DEADLINE_EXCEEDED', transactionId: TX, cause: new Error('x') } as never),
      504,
      'COMMIT_STATUS_UNKNOWN',
    ],
  ])("maps %s to a precise status and logs Fabric's own words", async (err, status, code) => {
    const mapped = fromFabric(err, TX);
    expect([mapped.statusCode, mapped.code, mapped.transactionId]).toEqual([status, code, TX]);
    expect(mapped.fabric?.grpcCode).toBe((err as GatewayError).code);
    expect(mapped.fabric?.peers).toEqual((err as GatewayError).details.map((d) => ({ address: d.address, mspId: d.mspId, message: d.message })));
    expect(JSON.stringify(mapped.toBody())).not.toContain('peer0');
  });

  it('hides the details of an unexpected failure', async () => {
    ledger.next = () => {
      throw new TypeError('secret internals at /srv/app.ts:12');
    };
    const res = await app.inject({ method: 'GET', url: '/v1/rules', headers: auth('bank') });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'INTERNAL', message: 'internal error', details: {} });
  });

  it('tells a caller that keeps its own key to sign offline', async () => {
    const real = ledger.submit.bind(ledger);
    ledger.submit = async () => {
      throw new ApiError(400, 'OFFLINE_SIGNING_REQUIRED', 'caller offline-1 keeps its own key: submit through /v1/offline');
    };
    const res = await app.inject({ method: 'POST', url: '/v1/transfers', headers: auth('offline'), payload: transfer });
    ledger.submit = real;
    expect(res.json()).toMatchObject({ code: 'OFFLINE_SIGNING_REQUIRED' });
  });
});

describe('submit', () => {
  it('waits for commit and returns the transaction id, block and validation code', async () => {
    ledger.next = () => ({ transferId: 'TRF-1' });
    const res = await app.inject({ method: 'POST', url: '/v1/transfers', headers: auth('bank'), payload: transfer });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ transactionId: TX, blockNumber: '7', validationCode: 'VALID', result: { transferId: 'TRF-1' } });
  });

  it('answers 202 with a status URL in async mode', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/transfers?async=true', headers: auth('bank'), payload: transfer });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ transactionId: TX, status: 'submitted', statusUrl: `/v1/transactions/${TX}` });
    expect(res.headers.location).toBe(`/v1/transactions/${TX}`);
  });

  it('returns the first result for a retried Idempotency-Key instead of a second transaction', async () => {
    const headers = { ...auth('bank'), 'idempotency-key': `k-${Date.now()}` };
    const first = await app.inject({ method: 'POST', url: '/v1/transfers', headers, payload: transfer });
    const again = await app.inject({ method: 'POST', url: '/v1/transfers', headers, payload: transfer });
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(ledger.calls).toHaveLength(1);
    const other = await app.inject({ method: 'POST', url: '/v1/transfers', headers, payload: { ...transfer, amount: 5 } });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('sends the transient person in charge apart from the public input', async () => {
    const body = {
      applicant: { name: 'n', type: 'enterprise', creditCode: '91500000MA5U0ENT1W' },
      service: { name: 's', category: 'application', form: 'app', applicationField: 'finance', serverAddresses: ['1.2.3.4'], description: '' },
      attachments: [],
      personInCharge: { name: '王五', idNumber: '11010519491231002X', phone: '13800000000', email: 'w@example.cn' },
    };
    const res = await app.inject({ method: 'POST', url: '/v1/filings', headers: auth('enterprise'), payload: body });
    expect(res.statusCode).toBe(201);
    const call = ledger.calls[0]?.call;
    expect(call?.input).not.toHaveProperty('personInCharge');
    expect(call?.transient).toEqual({ personInCharge: body.personInCharge });
  });
});

describe('rate limiting', () => {
  let limited: FastifyInstance;
  const keys: string[] = [];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-gw-rl-'));
    const callers = new CallerRegistry(dir, new Vault('s'));
    for (const id of ['b', 'c'])
      keys.push(
        (await callers.add({ id, mspId: 'BankMSP', role: 'bank', entityId: 'x', certificate: 'c', privateKey: certificate().key, withApiKey: true }))
          .apiKey as string,
      );
    limited = await buildApp({
      config: testConfig(dir, { secret: 's', bodyLimit: 1024, rateLimitPerMinute: 3, addressRateLimitPerMinute: 10 }),
      callers,
      ledger: new FakeLedger(),
      metrics: createMetrics(),
      idempotency: new Idempotency(dir),
    });
  });
  afterAll(() => limited.close());

  const get = (key: string, ip = '10.0.0.1') =>
    limited.inject({ method: 'GET', url: '/v1/rules', remoteAddress: ip, headers: { authorization: `Bearer ${key}` } });

  it('answers 429 with the error shape once a caller exceeds its budget, and another caller keeps its own', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await get(keys[0] as string)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const res = await get(keys[0] as string);
    expect(res.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('3 requests a minute from this caller') });
    expect(res.headers['retry-after']).toBeDefined();
    expect((await get(keys[1] as string)).statusCode).toBe(200);
  });

  it('limits a client address before authentication, so rotating junk keys does not escape the budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await get(`rgc_junk-${i}`, '10.0.0.2')).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await get(keys[1] as string, '10.0.0.2')).json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('client address') });
    expect((await get(keys[1] as string, '10.0.0.3')).statusCode).toBe(200);
  });
});

describe('revocation and rotation by the admin command', () => {
  it('takes effect at once in a running gateway: a revoked key and a rotated key stop working', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-gw-rv-'));
    const callers = new CallerRegistry(dir, new Vault('s'));
    const first = (
      await callers.add({ id: 'ops', mspId: 'BankMSP', role: 'bank', entityId: 'x', certificate: 'c1', privateKey: certificate().key, withApiKey: true })
    ).apiKey as string;
    const other = (
      await callers.add({ id: 'other', mspId: 'BankMSP', role: 'bank', entityId: 'x', certificate: 'c2', privateKey: certificate().key, withApiKey: true })
    ).apiKey as string;
    const running = await buildApp({
      config: testConfig(dir, { secret: 's', bodyLimit: 1024, rateLimitPerMinute: 1000, addressRateLimitPerMinute: 1000 }),
      callers,
      ledger: new FakeLedger(),
      metrics: createMetrics(),
      idempotency: new Idempotency(dir),
    });
    const get = (key: string) => running.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: `Bearer ${key}` } });
    expect((await get(first)).statusCode).toBe(200);
    // The admin command runs in its own process, with its own view of the store.
    const admin = new CallerRegistry(dir, new Vault('s'));
    const rotated = (
      await admin.add({ id: 'ops', mspId: 'BankMSP', role: 'bank', entityId: 'x', certificate: 'c3', privateKey: certificate().key, withApiKey: true })
    ).apiKey as string;
    expect((await get(first)).statusCode).toBe(401);
    expect((await get(rotated)).statusCode).toBe(200);
    expect(callers.get('ops')?.certificate).toBe('c3');
    await admin.revoke('other');
    expect((await get(other)).statusCode).toBe(401);
    await running.close();
  });
});

describe('methods', () => {
  it('answers 405 with an Allow header for a method a known path does not take, and 404 for an unknown path', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/v1/rules', headers: auth('regulator') });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    expect((await app.inject({ method: 'PATCH', url: '/v1/filings/abc' })).statusCode).toBe(405);
    expect((await app.inject({ method: 'GET', url: '/v1/nothing-here' })).statusCode).toBe(404);
    const long = await app.inject({ method: 'GET', url: `/v1/public/filings/${'x'.repeat(150)}` });
    expect([long.statusCode, long.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    const huge = await app.inject({ method: 'GET', url: `/v1/public/filings/${'x'.repeat(3000)}` });
    expect([huge.statusCode, huge.json()]).toEqual([414, { code: 'URI_TOO_LONG', message: 'a path parameter is longer than 2048 characters', details: {} }]);
    const openapi = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(openapi.paths['/v1/rules'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});

describe('operations', () => {
  it('answers health, readiness with the unreachable peer named, metrics and the OpenAPI document', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ peers: { 'peer0.auditor': false, 'peer1.regulator': false }, orgs: { AuditorMSP: false, RegulatorMSP: true } });
    await app.inject({ method: 'GET', url: '/v1/rules', headers: auth('bank') });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('regchain_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/v1/rules"');
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    for (const route of routes.filter((r) => !r.schema?.hide && r.url.startsWith('/v1/')))
      expect(Object.keys(spec.paths)).toContain(route.url.replace(/:(\w+)/g, '{$1}'));
  });
});
