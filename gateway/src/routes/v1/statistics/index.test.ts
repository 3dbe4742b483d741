// Statistics: the chaincode's counts from the ledger by default, the whole history from the monitor's index on request.
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

it("answers the ledger's counts, marked as such", async () => {
  t.ledger.next = () => ({ filings: [], alerts: [], transfers: [] });
  const res = await send('auditor', 'GET', '/v1/statistics');
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ source: 'ledger' });
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'trace:statistics', input: {} });
});

it("asks the monitor's index for the whole history with the days asked for, and not the ledger", async () => {
  t.index.next = () => ({ source: 'index', asOfBlock: 9, filings: [], alerts: [], patterns: [], transfers: [], daily: [] });
  const res = await send('regulator', 'GET', '/v1/statistics?source=index&days=30');
  expect(res.statusCode).toBe(200);
  expect(t.index.calls).toEqual([{ path: '/statistics', query: { days: '30' } }]);
  expect(t.ledger.calls).toEqual([]);
});
