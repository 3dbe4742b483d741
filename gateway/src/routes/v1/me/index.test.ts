// The caller an API key belongs to: its id, role, MSP and entity, never its keys.
import { type RouteTestApp, startRouteTestApp } from '../../../test/harness';

let t: RouteTestApp;
beforeAll(async () => {
  t = await startRouteTestApp();
});
afterAll(() => t.app.close());
beforeEach(() => t.ledger.reset());

const send = (role: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { ...t.auth(role), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });

it('answers who the caller is, and nothing of its keys or certificate', async () => {
  const res = await send('bank', 'GET', '/v1/me');
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ id: 'bank-1', role: 'bank', mspId: 'BankMSP', entityId: '91500000MA5U0ENT1W' });
  expect(t.ledger.calls).toEqual([]);
});
