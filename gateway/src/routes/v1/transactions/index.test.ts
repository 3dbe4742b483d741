// A transaction's status: a member hears only of transactions it signed; another's answers as a missing one.
import { identityOf, TX } from '../../../test/harness';
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

it("answers a member's own transaction, and another's exactly as a missing one", async () => {
  const bank = await t.services.callers.get('bank-1');
  if (!bank) throw new Error('no caller bank-1');
  t.ledger.commitAs(bank);
  expect((await send('bank', 'GET', `/v1/transactions/${TX}`)).json()).toMatchObject({ transactionId: TX, validationCode: 'VALID', blockNumber: '7' });
  const other = await send('enterprise', 'GET', `/v1/transactions/${TX}`);
  const missing = await send('enterprise', 'GET', `/v1/transactions/${'cd'.repeat(32)}`);
  expect(other.statusCode).toBe(404);
  expect(other.json().code).toBe(missing.json().code);
  expect(other.json().message.replace(TX, '')).toBe(missing.json().message.replace('cd'.repeat(32), ''));
  // A supervisor hears of any transaction.
  expect((await send('auditor', 'GET', `/v1/transactions/${TX}`)).statusCode).toBe(200);
  expect(identityOf('bank').cert).toBe(bank?.certificate);
});
