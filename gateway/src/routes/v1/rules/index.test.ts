// Rules: published as JSON Logic through rule:publish, listed, read, versioned and deactivated, never deleted.
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

const rule = { ruleId: 'r-1', name: '大额', description: '', logic: { '>=': [{ var: 'amount' }, 5_000_000] }, action: 'ALERT', severity: 'high' };

it('publishes a rule as the body says, and deactivates it by id', async () => {
  expect((await send('regulator', 'POST', '/v1/rules', rule)).statusCode).toBe(201);
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'rule:publish', input: rule });
  t.ledger.reset();
  expect((await send('regulator', 'POST', '/v1/rules/r-1/deactivate')).statusCode).toBe(200);
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'rule:deactivate', input: { ruleId: 'r-1' } });
});

it('lists rules, with inactive ones only when asked, and refuses an unknown action before the ledger', async () => {
  t.ledger.next = () => [];
  await send('bank', 'GET', '/v1/rules');
  await send('bank', 'GET', '/v1/rules?includeInactive=true');
  expect(t.ledger.calls.map((c) => c.call)).toEqual([
    { fn: 'rule:list', input: {} },
    { fn: 'rule:list', input: { includeInactive: true } },
  ]);
  t.ledger.reset();
  expect((await send('regulator', 'POST', '/v1/rules', { ...rule, action: 'DELETE' })).statusCode).toBe(400);
  expect(t.ledger.calls).toEqual([]);
});
