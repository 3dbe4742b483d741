// Who may call what: API keys, the role of every route, the public lookup; changes by the admin command at once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../../app';
import { CallerRegistry, Vault } from '../../fabric/identities';
import { createMetrics } from '../../metrics';
import { certificate, FakeLedger, gatewayState, type RouteTestApp, startRouteTestApp, testConfig } from '../../test/harness';

let t: RouteTestApp;
beforeAll(async () => {
  t = await startRouteTestApp();
});
afterAll(() => t.app.close());
beforeEach(() => t.ledger.reset());

describe('authentication', () => {
  it('refuses a request without an API key, and one with a forged key, without touching the ledger', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/v1/rules' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const forged = await t.app.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: `Bearer rgc_${'A'.repeat(32)}` } });
    expect(forged.statusCode).toBe(401);
    expect(t.ledger.calls).toEqual([]);
  });

  it('stores API keys hashed and private keys encrypted', () => {
    const stored = fs.readFileSync(path.join(t.dataDir, 'callers.json'), 'utf8');
    for (const key of Object.values(t.keys)) expect(stored).not.toContain(key);
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).toContain('"apiKeyHash"');
  });

  it('serves public filing-number lookups without a key', async () => {
    t.ledger.next = () => ({ current: true });
    const res = await t.app.inject({ method: 'GET', url: `/v1/public/filings/${encodeURIComponent('网信备50000020261122123456号')}` });
    expect(res.statusCode).toBe(200);
    expect(t.ledger.calls[0]).toEqual({ caller: 'public', call: { fn: 'filing:lookup', input: { filingNumber: '网信备50000020261122123456号' } } });
  });
});

// The role of every route: routes/v1/roles.test.ts, from a table written there.

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
    const state = gatewayState(dir);
    const running = await buildApp({
      config: testConfig(dir, { secret: 's', bodyLimit: 1024, rateLimitPerMinute: 1000, addressRateLimitPerMinute: 1000 }),
      callers,
      ledger: new FakeLedger(),
      metrics: createMetrics(),
      ...state,
    });
    // The database closes with the app: nothing of it outlives the test file.
    running.addHook('onClose', () => state.database.close());
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
