// The caller an API key belongs to: its id, role, MSP and entity, never its keys.
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

it('answers who the caller is, and nothing of its keys or certificate', async () => {
  const res = await send('bank', 'GET', '/v1/me');
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ id: 'bank-1', role: 'bank', mspId: 'BankMSP', entityId: '91500000MA5U0ENT1W' });
  expect(t.ledger.calls).toEqual([]);
});
