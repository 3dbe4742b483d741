// Filings: the person in charge travels as transient data, never in the transaction; lists, reads and moves.
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

const service = { name: '区块链存证', category: 'application', form: 'website', applicationField: 'finance', serverAddresses: ['10.1.1.1'], description: 'x' };
const person = { name: '王五', idNumber: '11010519491231002X', phone: '+86-23-6000-0002', email: 'w@example.cn' };
const filing = { applicant: { name: '公司', type: 'enterprise', creditCode: '91500000MA5U0ENT1W' }, service, attachments: [], personInCharge: person };

it('submits a filing with the person in charge as transient data only', async () => {
  t.ledger.next = () => ({ filingId: 'FIL-1' });
  expect((await send('enterprise', 'POST', '/v1/filings', filing)).statusCode).toBe(201);
  const { personInCharge, ...onChain } = filing;
  expect(t.ledger.calls).toEqual([{ caller: 'enterprise-1', call: { fn: 'filing:submit', input: onChain, transient: { personInCharge } } }]);
});

it('moves a filing with the note, each move its own transaction', async () => {
  const moves = { review: 'startReview', approve: 'approve', return: 'returnForCorrection', reject: 'reject' } as const;
  for (const action of Object.keys(moves)) expect((await send('regulator', 'POST', `/v1/filings/FIL-1/${action}`, { note: '材料齐全' })).statusCode).toBe(200);
  expect(t.ledger.calls.map((c) => c.call)).toEqual(Object.values(moves).map((fn) => ({ fn: `filing:${fn}`, input: { filingId: 'FIL-1', note: '材料齐全' } })));
});

it('asks for a reason where the move needs one, and refuses an unknown field, before the ledger', async () => {
  expect((await send('regulator', 'POST', '/v1/filings/FIL-1/reject', {})).statusCode).toBe(400);
  expect((await send('enterprise', 'POST', '/v1/filings', { ...filing, extra: 1 })).statusCode).toBe(400);
  expect(t.ledger.calls).toEqual([]);
});
