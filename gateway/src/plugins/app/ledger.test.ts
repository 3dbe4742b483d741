// Submitting through the app: waiting for the commit, async mode, idempotency keys, the transient map.
import { type RouteTestApp, startRouteTestApp, transfer, TX } from '../../test/harness';

let t: RouteTestApp;
beforeAll(async () => {
  t = await startRouteTestApp();
});
afterAll(() => t.app.close());
beforeEach(() => t.ledger.reset());

describe('submit', () => {
  it('waits for commit and returns the transaction id, block and validation code', async () => {
    t.ledger.next = () => ({ transferId: 'TRF-1' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: t.auth('bank'), payload: transfer });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ transactionId: TX, blockNumber: '7', validationCode: 'VALID', result: { transferId: 'TRF-1' } });
  });

  it('answers 202 with a status URL in async mode', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers?async=true', headers: t.auth('bank'), payload: transfer });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ transactionId: TX, status: 'submitted', statusUrl: `/v1/transactions/${TX}` });
    expect(res.headers.location).toBe(`/v1/transactions/${TX}`);
  });

  it('returns the first result for a retried Idempotency-Key instead of a second transaction', async () => {
    const headers = { ...t.auth('bank'), 'idempotency-key': `k-${Date.now()}` };
    const first = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers, payload: transfer });
    const again = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers, payload: transfer });
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(t.ledger.calls).toHaveLength(1);
    const other = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers, payload: { ...transfer, amount: 5 } });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('sends the transient person in charge apart from the public input', async () => {
    const body = {
      applicant: { name: 'n', type: 'enterprise', creditCode: '91500000MA5U0ENT1W' },
      service: { name: 's', category: 'application', form: 'app', applicationField: 'finance', serverAddresses: ['1.2.3.4'], description: '' },
      attachments: [],
      personInCharge: { name: '王五', idNumber: '11010519491231002X', phone: '13800000000', email: 'w@example.cn' },
    };
    const res = await t.app.inject({ method: 'POST', url: '/v1/filings', headers: t.auth('enterprise'), payload: body });
    expect(res.statusCode).toBe(201);
    const call = t.ledger.calls[0]?.call;
    expect(call?.input).not.toHaveProperty('personInCharge');
    expect(call?.transient).toEqual({ personInCharge: body.personInCharge });
  });
});
