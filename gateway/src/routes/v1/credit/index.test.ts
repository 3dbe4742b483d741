// Credit: each route asks the chaincode exactly once with the input it takes, refuses malformed input before the
// ledger, and the public lookup runs as the gateway's public identity.
import { DEFAULT_CREDIT_MODEL } from '@regchain/common';
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);
const ENTITY = '91500000MA5U0ENT1W';
const sanction = { entityId: ENTITY, legalBasis: '第二十条', decisionNumber: '渝网信罚〔2026〕1号', amount: 500_000, publicationDays: 90, summary: '未备案' };

it('records a sanction, a commendation and a late report as the regulator, each its own transaction', async () => {
  expect((await send('regulator', 'POST', '/v1/credit/sanctions', sanction)).statusCode).toBe(201);
  expect((await send('regulator', 'POST', '/v1/credit/commendations', { entityId: ENTITY, summary: '守信' })).statusCode).toBe(201);
  expect((await send('regulator', 'POST', '/v1/credit/late-reports', { transferIds: ['T-1'] })).statusCode).toBe(201);
  expect(t.ledger.calls.map((c) => c.call)).toEqual([
    { fn: 'credit:recordSanction', input: sanction },
    { fn: 'credit:recordCommendation', input: { entityId: ENTITY, summary: '守信' } },
    { fn: 'credit:recordLateReports', input: { transferIds: ['T-1'] } },
  ]);
});

it('publishes a model and reads one version of it', async () => {
  expect((await send('regulator', 'POST', '/v1/credit/model', DEFAULT_CREDIT_MODEL)).statusCode).toBe(201);
  t.ledger.next = () => ({ version: 1, model: DEFAULT_CREDIT_MODEL, publishedAt: '1970-01-01T00:00:00Z', lastTxId: '' });
  expect((await send('bank', 'GET', '/v1/credit/model?version=1')).statusCode).toBe(200);
  expect(t.ledger.calls.map((c) => c.call)).toEqual([
    { fn: 'credit:publishModel', input: DEFAULT_CREDIT_MODEL },
    { fn: 'credit:model', input: { version: 1 } },
  ]);
});

it('reads a standing, a file at a moment, objections and statistics with the inputs the chaincode takes', async () => {
  t.ledger.next = () => ({});
  await send('bank', 'GET', `/v1/credit/entities/${ENTITY}`);
  await send('enterprise', 'GET', `/v1/credit/entities/${ENTITY}/file?at=2026-11-01T00:00:00Z`);
  await send('auditor', 'GET', '/v1/credit/objections?status=upheld');
  await send('regulator', 'GET', '/v1/credit/statistics?from=2026-01-01T00:00:00Z&points=4');
  expect(t.ledger.calls.map((c) => [c.caller, c.call])).toEqual([
    ['bank-1', { fn: 'credit:lookup', input: { entityId: ENTITY } }],
    ['enterprise-1', { fn: 'credit:file', input: { entityId: ENTITY, at: '2026-11-01T00:00:00Z' } }],
    ['auditor-1', { fn: 'credit:objections', input: { status: 'upheld' } }],
    ['regulator-1', { fn: 'credit:statistics', input: { from: '2026-01-01T00:00:00Z', points: 4 } }],
  ]);
});

it('objects as the entity and decides as the regulator, the entry named by the path', async () => {
  expect((await send('enterprise', 'POST', '/v1/credit/objections', { entryId: 'CE-1', note: '已整改' })).statusCode).toBe(201);
  const decision = { decision: 'correct', correctedKind: 'void', note: '复议撤销' };
  expect((await send('regulator', 'POST', `/v1/credit/objections/${ENTITY}/CE-1/decision`, decision)).statusCode).toBe(200);
  expect(t.ledger.calls.map((c) => c.call)).toEqual([
    { fn: 'credit:object', input: { entryId: 'CE-1', note: '已整改' } },
    { fn: 'credit:decideObjection', input: { entityId: ENTITY, entryId: 'CE-1', ...decision } },
  ]);
});

it('looks a credit code up without a key, as the public caller', async () => {
  t.ledger.next = () => ({ entityId: ENTITY, grade: 'B', modelVersion: 1, at: '2026-11-01T00:00:00Z', sanctions: [] });
  const res = await t.app.inject({ method: 'GET', url: `/v1/public/credit/${ENTITY}` });
  expect(res.statusCode).toBe(200);
  expect(t.ledger.calls).toEqual([{ caller: 'public', call: { fn: 'credit:lookup', input: { entityId: ENTITY } } }]);
});

it('refuses malformed codes, kinds, times and unknown fields before the ledger', async () => {
  const refused = [
    await t.app.inject({ method: 'GET', url: '/v1/public/credit/not-a-code' }),
    await send('bank', 'GET', '/v1/credit/entities/91500000ma5u0ent1w'),
    await send('regulator', 'POST', '/v1/credit/sanctions', { ...sanction, amount: 1.5 }),
    await send('regulator', 'POST', '/v1/credit/sanctions', { ...sanction, extra: 1 }),
    await send('regulator', 'POST', `/v1/credit/objections/${ENTITY}/CE-1/decision`, { decision: 'forgive', note: 'x' }),
    await send('regulator', 'POST', '/v1/credit/model', { ...DEFAULT_CREDIT_MODEL, base: 'high' }),
    await send('enterprise', 'GET', `/v1/credit/entities/${ENTITY}/file?at=yesterday`),
    await send('regulator', 'GET', '/v1/credit/statistics?points=many'),
  ];
  expect(refused.map((r) => [r.statusCode, (r.json() as { code: string }).code])).toEqual(refused.map(() => [400, 'VALIDATION_FAILED']));
  expect(t.ledger.calls).toEqual([]);
});
