// Who may call what: API keys, the role of every route, the public lookup; changes by the admin command at once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../../app';
import { AdminClient, adminSocketPath, listenAdmin } from '../../admin/socket';
import { CallerRegistry, hashApiKey, LEGACY_CALLERS, SHARED_TRUST_MS, Vault } from '../../fabric/identities';
import { GatewayDatabase } from '../../store/database';
import { openDatabase } from '@regchain/common/node';
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

  it('stores API keys hashed and private keys encrypted, in the database and nowhere else in its folder', async () => {
    const db = await t.services.database.ready();
    const stored = JSON.stringify((await db.query('SELECT * FROM callers')).rows);
    expect(stored).toContain('"api_key_hash"');
    const files = (fs.readdirSync(t.dataDir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(t.dataDir, f)).isFile());
    for (const text of [stored, ...files.map((f) => fs.readFileSync(path.join(t.dataDir, f), 'latin1'))]) {
      for (const key of Object.values(t.keys)) expect(text).not.toContain(key);
      expect(text).not.toContain('PRIVATE KEY');
    }
  });

  it('serves public filing-number lookups without a key', async () => {
    t.ledger.next = () => ({ current: true });
    const res = await t.app.inject({ method: 'GET', url: `/v1/public/filings/${encodeURIComponent('网信备50000020261122123456号')}` });
    expect(res.statusCode).toBe(200);
    expect(t.ledger.calls[0]).toEqual({ caller: 'public', call: { fn: 'filing:lookup', input: { filingNumber: '网信备50000020261122123456号' } } });
  });
});

// The role of every route: routes/v1/roles.test.ts, from a table written there.

describe('callers managed by the admin command while the gateway runs', () => {
  it('takes effect at once through the admin socket: a created key works, a re-keyed or revoked one stops', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-gw-rv-'));
    const state = gatewayState(dir, 's');
    const running = await buildApp({
      config: testConfig(dir, { secret: 's', bodyLimit: 1024, rateLimitPerMinute: 1000, addressRateLimitPerMinute: 1000 }),
      ledger: new FakeLedger(),
      metrics: createMetrics(),
      ...state,
    });
    expect(await AdminClient.connect(dir)).toBeUndefined();
    const socket = await listenAdmin(state.callers, dir);
    running.addHook('onClose', async () => {
      await socket.close();
      await state.database.close();
    });
    try {
      expect(fs.statSync(adminSocketPath(dir)).mode & 0o777).toBe(0o600);
      const get = (key: string) => running.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: `Bearer ${key}` } });

      // The admin command runs in its own process: it reaches the callers only through the socket.
      const admin = (await AdminClient.connect(dir)) as AdminClient;
      const spec = { id: 'ops', mspId: 'BankMSP', role: 'bank' as const, entityId: 'x', certificate: 'c1', privateKey: certificate().key, withApiKey: true };
      const first = (await admin.add(spec)).apiKey as string;
      const other = (await admin.add({ ...spec, id: 'other', certificate: 'c2' })).apiKey as string;
      expect((await get(first)).statusCode).toBe(200);
      const rotated = (await admin.add({ ...spec, certificate: 'c3' })).apiKey as string;
      expect((await get(first)).statusCode).toBe(401);
      expect((await get(rotated)).statusCode).toBe(200);
      expect((await admin.get('ops'))?.certificate).toBe('c3');
      expect((await admin.revoke('other'))?.id).toBe('other');
      expect((await get(other)).statusCode).toBe(401);
      expect((await admin.list()).map((c) => c.id)).toEqual(['ops']);
      expect(await admin.revoke('nobody')).toBeUndefined();
      await expect(admin.add({ ...spec, role: 'root' as 'bank' })).rejects.toThrow(/refused/);
    } finally {
      await running.close();
    }

    // The socket closes with the gateway; a stopped one leaves none that answers, and the command opens the database itself.
    expect(await AdminClient.connect(dir)).toBeUndefined();
  });

  it("moves an earlier version's callers file into the database once, and deletes it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-gw-old-'));
    const apiKey = 'rgc_an-old-key';
    const old = {
      id: 'old',
      mspId: 'BankMSP',
      role: 'bank',
      entityId: 'x',
      apiKeyHash: hashApiKey(apiKey),
      certificate: 'c',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    fs.writeFileSync(path.join(dir, LEGACY_CALLERS), JSON.stringify({ old }));
    const state = gatewayState(dir, 's');
    try {
      expect(await state.callers.authenticate(apiKey)).toEqual(old);
      expect(fs.existsSync(path.join(dir, LEGACY_CALLERS))).toBe(false);
    } finally {
      await state.database.close();
    }
  });

  it('lets a change by another gateway over a shared PostgreSQL take effect within a second', async () => {
    // Two gateways over one shared database (PGlite in memory stands in for the server they share).
    class Shared extends GatewayDatabase {
      override get shared(): boolean {
        return true;
      }
    }
    const database = new Shared({});
    const here = new CallerRegistry(database, new Vault('s'));
    const there = new CallerRegistry(database, new Vault('s'));
    try {
      const { apiKey } = await there.add({ id: 'ops', mspId: 'BankMSP', role: 'bank', entityId: 'x', certificate: 'c', withApiKey: true });
      const t0 = 1_000_000;
      expect((await here.authenticate(apiKey as string, t0))?.id).toBe('ops');
      await there.revoke('ops');
      expect((await there.authenticate(apiKey as string, t0))?.id).toBeUndefined();
      expect((await here.authenticate(apiKey as string, t0 + SHARED_TRUST_MS - 1))?.id).toBe('ops');
      expect(await here.authenticate(apiKey as string, t0 + SHARED_TRUST_MS)).toBeUndefined();
    } finally {
      await database.close();
    }
  });

  // On a real PostgreSQL too, where the test command starts one: two gateways, each its own connection.
  const url = process.env.REGCHAIN_MONITOR_DATABASE_URL;
  (url ? it : it.skip)('keeps one set of callers for gateways sharing a PostgreSQL server', async () => {
    // The gateway's own database on the server the monitor's tests use (their tables have the same names).
    const admin = await openDatabase({ url: url as string });
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', ['regchain_gateway_test']);
    if (exists.rows.length === 0) await admin.exec('CREATE DATABASE regchain_gateway_test');
    await admin.close();
    const gatewayUrl = new URL(url as string);
    gatewayUrl.pathname = '/regchain_gateway_test';
    const one = new GatewayDatabase({ url: gatewayUrl.toString() });
    const two = new GatewayDatabase({ url: gatewayUrl.toString() });
    const here = new CallerRegistry(one, new Vault('s'));
    const there = new CallerRegistry(two, new Vault('s'));
    const id = `ops-${process.pid}-${Date.now()}`;
    try {
      const { apiKey } = await there.add({
        id,
        mspId: 'BankMSP',
        role: 'bank',
        entityId: 'x',
        certificate: 'c',
        privateKey: certificate().key,
        withApiKey: true,
      });
      const now = Date.now();
      expect((await here.authenticate(apiKey as string, now))?.id).toBe(id);
      expect((await here.get(id))?.key).toEqual((await there.get(id))?.key);
      await there.revoke(id);
      expect(await here.authenticate(apiKey as string, now + SHARED_TRUST_MS)).toBeUndefined();
    } finally {
      await one.close();
      await two.close();
    }
  });
});
