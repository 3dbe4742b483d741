// Index answers (source=index): the chain decides what a caller may start from before the index is asked, and
// the caller learns which source answered.
import { ApiError } from '../../../errors';
import { type RouteTestApp, startRouteTestApp } from '../../../test/harness';

let t: RouteTestApp;
beforeAll(async () => {
  t = await startRouteTestApp();
});
afterAll(() => t.app.close());
beforeEach(() => {
  t.ledger.reset();
  t.index.reset();
});

const notVisible = (code: string) => () => {
  throw new ApiError(404, code, 'does not exist or is not visible to you');
};

describe('traces and counterparties from the index', () => {
  it("asks the chain whether a bank may see the account, and never asks the index for a bank's trace", async () => {
    t.ledger.next = notVisible('ACCOUNT_NOT_FOUND');
    for (const url of ['/v1/traces?accountId=other&direction=forward&source=index', '/v1/accounts/other/counterparties']) {
      const res = await t.app.inject({ method: 'GET', url, headers: t.auth('bank') });
      expect([url, res.statusCode, res.json().code]).toEqual([url, 404, 'ACCOUNT_NOT_FOUND']);
    }
    expect(t.ledger.calls.map((c) => c.call.fn)).toEqual(['trace:flows', 'account:get']);
    expect(t.index.calls).toEqual([]);
    // Even from an account it holds: the chain's walk follows only the bank's accounts, the index knows no banks.
    t.ledger.next = () => ({ start: 'own', edges: [] });
    const own = await t.app.inject({ method: 'GET', url: '/v1/traces?accountId=own&direction=forward&source=index', headers: t.auth('bank') });
    expect(own.json()).toMatchObject({ source: 'ledger' });
    expect(t.index.calls).toEqual([]);
  });

  it('walks from a visible transfer: from its payee forward, its payer backward, from the time it moved', async () => {
    t.ledger.next = () => ({ transferId: 'T1', from: 'a', to: 'b', amount: 500, time: 1_800_000_000, purpose: 'goods' });
    t.index.next = () => ({ start: 'b', edges: [], source: 'index', asOfBlock: 12 });
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/traces?transferId=T1&direction=forward&source=index&maxEdges=50000',
      headers: t.auth('auditor'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      start: 'b',
      edges: [],
      source: 'index',
      asOfBlock: 12,
      origin: { transferId: 'T1', from: 'a', to: 'b', amount: 500, time: 1_800_000_000 },
    });
    expect(t.index.calls).toEqual([
      { path: '/traces', query: expect.objectContaining({ accountId: 'b', direction: 'forward', startTime: 1_800_000_000, maxEdges: '50000' }) },
    ]);
    await t.app.inject({ method: 'GET', url: '/v1/traces?transferId=T1&direction=backward&source=index', headers: t.auth('auditor') });
    expect(t.index.calls[1]?.query).toMatchObject({ accountId: 'a', direction: 'backward' });
  });

  it('refuses a trace from both or neither an account and a transfer before asking anyone', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/traces?direction=forward&source=index', headers: t.auth('regulator') });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect([t.ledger.calls, t.index.calls]).toEqual([[], []]);
  });

  it('says which source answered', async () => {
    t.ledger.next = () => ({ start: 'a', edges: [] });
    const ledger = await t.app.inject({ method: 'GET', url: '/v1/traces?accountId=a&direction=forward', headers: t.auth('auditor') });
    expect(ledger.json()).toMatchObject({ source: 'ledger' });
    expect(t.index.calls).toEqual([]);
    const stats = await t.app.inject({ method: 'GET', url: '/v1/statistics?source=index&days=30', headers: t.auth('auditor') });
    expect(stats.json()).toMatchObject({ source: 'index', asOfBlock: 7 });
    expect(t.index.calls).toEqual([{ path: '/statistics', query: { days: '30' } }]);
  });

  it('keeps index statistics from enterprises and banks', async () => {
    for (const role of ['enterprise', 'bank']) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/statistics?source=index', headers: t.auth(role) });
      expect(res.statusCode).toBe(403);
    }
    expect(t.index.calls).toEqual([]);
  });
});
