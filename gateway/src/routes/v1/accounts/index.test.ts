// Accounts: opened through account:open, read through account:get; a bad id never reaches the ledger.
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

it('opens an account with the body as the chaincode takes it, and answers 201 with the commit', async () => {
  t.ledger.next = () => ({ accountId: 'acc-1' });
  const body = { accountId: 'acc-1', ownerEntityId: '91500000MA5U0ENT1W', name: '基本户' };
  const res = await send('bank', 'POST', '/v1/accounts', body);
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ blockNumber: '7', validationCode: 'VALID', result: { accountId: 'acc-1' } });
  expect(t.ledger.calls).toEqual([{ caller: 'bank-1', call: { fn: 'account:open', input: body } }]);
});

it('reads an account by id, and refuses an id that is not one with 400 before the ledger', async () => {
  t.ledger.next = () => ({ accountId: 'acc-1', ownerEntityId: 'E', name: 'n', holderBankId: 'B', openedAt: '2026-01-01T00:00:00Z' });
  expect((await send('enterprise', 'GET', '/v1/accounts/acc-1')).json()).toMatchObject({ accountId: 'acc-1' });
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'account:get', input: { accountId: 'acc-1' } });
  t.ledger.reset();
  const bad = await send('bank', 'POST', '/v1/accounts', { accountId: 'has space', ownerEntityId: '91500000MA5U0ENT1W', name: 'n' });
  expect(bad.statusCode).toBe(400);
  expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body/accountId' } });
  expect(t.ledger.calls).toEqual([]);
});
