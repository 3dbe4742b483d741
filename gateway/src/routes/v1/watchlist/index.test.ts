// The watchlist: entities and accounts put on it and taken off with a note, read by supervisors only.
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

it('puts an account on the watchlist and takes it off with the note', async () => {
  expect((await send('regulator', 'POST', '/v1/watchlist', { kind: 'account', value: 'acc-1', reason: '可疑' })).statusCode).toBe(201);
  expect((await send('regulator', 'POST', '/v1/watchlist/account/acc-1/remove', { note: '已核查' })).statusCode).toBe(200);
  expect(t.ledger.calls.map((c) => c.call)).toEqual([
    { fn: 'rule:watch', input: { kind: 'account', value: 'acc-1', reason: '可疑' } },
    { fn: 'rule:unwatch', input: { kind: 'account', value: 'acc-1', note: '已核查' } },
  ]);
});

it('refuses a kind that is neither an entity nor an account, before the ledger', async () => {
  expect((await send('regulator', 'POST', '/v1/watchlist', { kind: 'person', value: 'x', reason: 'r' })).statusCode).toBe(400);
  expect((await send('regulator', 'POST', '/v1/watchlist/person/x/remove', { note: 'n' })).statusCode).toBe(400);
  expect(t.ledger.calls).toEqual([]);
});
