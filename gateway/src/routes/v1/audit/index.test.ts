// Audits against the gateway's trust anchors: a bundle recorded from the real network verifies; one tampered
// with does not, and says what failed; evidence is collected from the ledger port.
import { RECORDED, RECORDED_ANCHORS, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp({ trustAnchors: RECORDED_ANCHORS });

const verify = (bundle: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/audit/verifications',
    headers: { ...t.auth('auditor'), 'content-type': 'application/json' },
    payload: JSON.stringify(bundle),
  });

it('verifies a recorded bundle against the pinned genesis block, and names the anchors it used', async () => {
  const res = await verify(RECORDED);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ verified: true, validationCode: 'VALID', trustAnchors: { source: 'genesis.block' } });
});

it('does not verify a bundle whose transaction was swapped for another, and says why', async () => {
  const res = await verify({ ...RECORDED, transactionId: 'ab'.repeat(32) });
  expect(res.json()).toMatchObject({ verified: false });
  expect(res.json().problems.join(' ')).toMatch(/is not in block/);
});

it("collects a transaction's evidence through the ledger port; without attestations it verifies all but the validation code", async () => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/audit/transactions/${RECORDED.transactionId}`, headers: t.auth('regulator') });
  expect(res.statusCode).toBe(200);
  expect(
    res
      .json()
      .checks.filter((c: { ok: boolean }) => !c.ok)
      .map((c: { check: string }) => c.check),
  ).toEqual(['validation attested']);
  expect(t.ledger.calls.map((c) => c.call.fn)).toContain('qscc:GetBlockByTxID');
});
