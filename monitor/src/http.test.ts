// The monitor's HTTP side through `inject`: who may ask, what a query may hold (and the answer when it may not),
// the error shape, the in-flight limit, and a failure that is answered 500 and kept in the log.
import pino from 'pino';
import { Writable } from 'node:stream';
import { LIMITS, monitorApp, type MonitorHttpOptions } from './http';
import type { Transfer } from './transfer';

const TOKEN = 'monitor-token-for-tests';
const auth = { authorization: `Bearer ${TOKEN}` };
const AT = 1_800_000_000;

const edges: Required<Transfer>[] = [
  { id: 'T1', from: 'a', to: 'b', amount: 500, executedAt: AT, purpose: 'trade', projectId: '' },
  { id: 'T2', from: 'b', to: 'c', amount: 400, executedAt: AT + 60, purpose: 'trade', projectId: '' },
];

function setup(overrides: Partial<MonitorHttpOptions['store']> = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const store: MonitorHttpOptions['store'] = {
    status: async () => ({ checkpoint: { block: 7n, txId: 'tx7' }, transfers: 2, alerts: 0 }) as never,
    checkpoint: async () => ({ block: 7n, txId: 'tx7' }) as never,
    counterparties: async () => [],
    statistics: async () => ({ days: [] }) as never,
    flows: async (direction, account, from, to) =>
      edges.filter((e) => (direction === 'out' ? e.from : e.to) === account && e.executedAt >= from && e.executedAt <= to),
    ...overrides,
  };
  const app = monitorApp({ store, chainHeight: async () => 9n, parametersVersion: () => 3, token: TOKEN, logger });
  return { app, lines };
}

describe('the monitor over HTTP', () => {
  it('answers health to anyone, and status and the index only with the monitor token', async () => {
    const { app } = setup();
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    for (const url of ['/status', '/traces?accountId=a', '/counterparties?accountId=a', '/statistics']) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
        const res = await app.inject({ url, headers });
        expect([url, res.statusCode, res.json().code]).toEqual([url, 401, 'UNAUTHENTICATED']);
      }
    }
    const status = await app.inject({ url: '/status', headers: auth });
    expect(status.json()).toMatchObject({ checkpoint: { block: 7, txId: 'tx7' }, chainHeight: 9, behindBlocks: 1, parametersVersion: 3 });
  });

  it('traces from a transfer’s time: an epoch second of ten digits is a time', async () => {
    const { app } = setup();
    const res = await app.inject({ url: `/traces?accountId=b&direction=forward&startTime=${AT}`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ source: 'index', asOfBlock: 7, edges: [expect.objectContaining({ transferId: 'T2' })] });
  });

  it.each([
    ['/traces', 'no account'],
    ['/traces?accountId=a&depth=0', 'depth below 1'],
    [`/traces?accountId=a&depth=${LIMITS.traceDepth + 1}`, 'depth above the limit'],
    [`/traces?accountId=a&maxEdges=${LIMITS.traceEdges + 1}`, 'more edges than the limit'],
    ['/traces?accountId=a&direction=sideways', 'no such direction'],
    ['/traces?accountId=a&fromTime=yesterday', 'a time that is not ISO 8601'],
    ['/counterparties?accountId=a&toTime=0294-28-29T45:66:96.688Z', 'a time of the right form that is no real time'],
    ['/traces?accountId=a&fromTime=2026-02-30T00:00:00Z', 'the 30th of February'],
    ['/traces?accountId=a&fromTime=2026-01-01T08:00:00%2B08:00', 'a time not in UTC (the chaincode takes Z only)'],
    ['/traces?accountId=a&startTime=99999999999999', 'a time past the year 9999'],
    ['/traces?accountId=a&colour=red', 'a parameter it does not know'],
    ['/traces?accountId=a%20b', 'an account id with a space'],
    ['/counterparties?accountId=a&limit=1k', 'a limit that is not a number'],
    [`/statistics?days=${LIMITS.statisticsDays + 1}`, 'more days than the limit'],
  ])('refuses %s (%s) with VALIDATION_FAILED naming the field', async (url) => {
    const { app } = setup();
    const res = await app.inject({ url, headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^querystring/), details: { field: expect.any(String) } });
  });

  it('answers an unknown route 404 in the same shape', async () => {
    const { app } = setup();
    const res = await app.inject({ url: '/alerts', headers: auth });
    expect([res.statusCode, res.json().code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });

  it('answers a failing query 500 without its cause, and logs the cause with its stack', async () => {
    const { app, lines } = setup({
      counterparties: async () => {
        throw new Error('relation "transfers" does not exist');
      },
    });
    const res = await app.inject({ url: '/counterparties?accountId=a', headers: auth });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'INTERNAL', message: 'internal error', details: {} });
    const logged = lines.find((l) => l.code === 'INTERNAL') as { level?: number; err?: { message?: string; stack?: string } } | undefined;
    expect(logged?.level).toBe(50);
    expect(logged?.err?.message).toBe('relation "transfers" does not exist');
    expect(logged?.err?.stack).toContain('http.test.ts');
  });

  it(`runs at most ${LIMITS.queriesInFlight} index queries at once, then asks to retry, and counts them back down`, async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app } = setup({
      statistics: async () => {
        await gate;
        return { days: [] } as never;
      },
    });
    const running = Array.from({ length: LIMITS.queriesInFlight }, () => app.inject({ url: '/statistics', headers: auth }));
    await new Promise((r) => setTimeout(r, 50));
    const refused = await app.inject({ url: '/statistics', headers: auth });
    expect([refused.statusCode, refused.json().code, refused.headers['retry-after']]).toEqual([503, 'INDEX_BUSY', String(LIMITS.retryAfter)]);
    // Status is not an index query: it answers while the index is busy.
    expect((await app.inject({ url: '/status', headers: auth })).statusCode).toBe(200);
    release();
    expect((await Promise.all(running)).map((r) => r.statusCode)).toEqual(Array(LIMITS.queriesInFlight).fill(200));
    expect((await app.inject({ url: '/statistics', headers: auth })).statusCode).toBe(200);
  });
});
