// Alerts: listed with filters, read with their history, acted on with a note; pattern alerts raised with their evidence.
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

it('lists alerts with the filters as the chaincode takes them', async () => {
  t.ledger.next = () => ({ items: [], bookmark: '' });
  await send('auditor', 'GET', '/v1/alerts?status=open&severity=high&pageSize=5');
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'alert:list', input: { status: 'open', severity: 'high', pageSize: 5 } });
});

it('acknowledges, resolves and marks false positive with the note, each its own transaction', async () => {
  for (const action of ['acknowledge', 'resolve', 'false-positive'])
    expect((await send('regulator', 'POST', `/v1/alerts/ALR-1/${action}`, { note: '已核实' })).statusCode).toBe(200);
  expect(t.ledger.calls.map((c) => c.call.fn)).toEqual(['alert:acknowledge', 'alert:resolve', 'alert:markFalsePositive']);
  expect(t.ledger.calls.every((c) => JSON.stringify(c.call.input) === JSON.stringify({ alertId: 'ALR-1', note: '已核实' }))).toBe(true);
});

it('refuses an action without a note and a status it does not know, before the ledger', async () => {
  expect((await send('regulator', 'POST', '/v1/alerts/ALR-1/resolve', {})).statusCode).toBe(400);
  expect((await send('regulator', 'GET', '/v1/alerts?status=closed')).statusCode).toBe(400);
  expect(t.ledger.calls).toEqual([]);
});
