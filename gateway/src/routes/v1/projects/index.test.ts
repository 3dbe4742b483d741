// Projects: created through project:create, read with their spending through project:get.
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

it('creates a project with budgets by purpose, and reads it back', async () => {
  const body = {
    projectId: 'p-1',
    name: '防汛',
    type: 'public_fund',
    ownerEntityId: '91500000MA5U0ENT1W',
    budgets: [{ purpose: 'relief_supplies', amount: 100 }],
  };
  expect((await send('regulator', 'POST', '/v1/projects', body)).statusCode).toBe(201);
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'project:create', input: body });
  t.ledger.reset();
  await send('bank', 'GET', '/v1/projects/p-1');
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'project:get', input: { projectId: 'p-1' } });
});

it('refuses a budget that is not a positive whole number of fen, before the ledger', async () => {
  const res = await send('regulator', 'POST', '/v1/projects', {
    projectId: 'p-2',
    name: 'x',
    type: 'donation',
    ownerEntityId: '91500000MA5U0ENT1W',
    budgets: [{ purpose: 'aid', amount: 1.5 }],
  });
  expect(res.statusCode).toBe(400);
  expect(t.ledger.calls).toEqual([]);
});
