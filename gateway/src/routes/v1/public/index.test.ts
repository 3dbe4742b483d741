// The public filing-number lookup: no key, asked as the gateway's public identity, a malformed number refused.
import { useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();

it('looks a filing number up without a key, as the public caller', async () => {
  t.ledger.next = () => ({ filingNumber: '网信备50000020261122123456号', current: true });
  const url = `/v1/public/filings/${encodeURIComponent('网信备50000020261122123456号')}`;
  const res = await t.app.inject({ method: 'GET', url });
  expect(res.statusCode).toBe(200);
  expect(t.ledger.calls).toEqual([{ caller: 'public', call: { fn: 'filing:lookup', input: { filingNumber: '网信备50000020261122123456号' } } }]);
});

it('refuses a number longer than any filing number, before the ledger', async () => {
  expect((await t.app.inject({ method: 'GET', url: `/v1/public/filings/${'9'.repeat(65)}` })).statusCode).toBe(400);
  expect(t.ledger.calls).toEqual([]);
});
