// The two request budgets: per client address before authentication, per caller after.
import type { FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../../app';
import { createMetrics } from '../../metrics';
import { certificate, FakeLedger, gatewayState, testConfig } from '../../test/harness';

describe('rate limiting', () => {
  let limited: FastifyInstance;
  const keys: string[] = [];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-gw-rl-'));
    const state = gatewayState(dir, 's');
    const { callers } = state;
    for (const id of ['b', 'c'])
      keys.push(
        (await callers.add({ id, mspId: 'BankMSP', role: 'bank', entityId: 'x', certificate: 'c', privateKey: certificate().key, withApiKey: true }))
          .apiKey as string,
      );
    limited = await buildApp({
      config: testConfig(dir, { secret: 's', bodyLimit: 1024, rateLimitPerMinute: 3, addressRateLimitPerMinute: 10 }),
      ledger: new FakeLedger(),
      metrics: createMetrics(),
      ...state,
    });
    // The database closes with the app: nothing of it outlives the test file.
    limited.addHook('onClose', () => state.database.close());
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
