// Offline signing: four steps, each signed by the member's own key; a message signed by another key, or created
// by another identity, is refused before the ledger.
import { gateway as gatewayProtos } from '@hyperledger/fabric-protos';
import * as crypto from 'node:crypto';
import { identityOf, useRouteTestApp, TX } from '../../../test/harness';

const t = useRouteTestApp();

const post = async (url: string, payload: unknown, role = 'bank') => {
  const res = await t.app.inject({ method: 'POST', url, headers: { ...t.auth(role), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  return { status: res.statusCode, body: res.json() };
};
const sign = (message: Uint8Array, key = identityOf('bank').key): string => crypto.sign('sha256', message, key).toString('base64');
const bytes = (b64: string): Uint8Array => Buffer.from(b64, 'base64');
const proposalBytesOf = (proposal: string): Uint8Array =>
  gatewayProtos.ProposedTransaction.deserializeBinary(bytes(proposal)).getProposal()?.getProposalBytes_asU8() ?? new Uint8Array();

it('takes a transfer through all four steps, each signed with the member’s own key', async () => {
  const proposal = await post('/v1/offline/proposals', { fn: 'transfer:record', input: { fromAccount: 'a', toAccount: 'b' } });
  expect(proposal.status).toBe(200);
  const endorsed = await post('/v1/offline/proposals/endorse', { proposal: proposal.body.proposal, signature: sign(proposalBytesOf(proposal.body.proposal)) });
  expect(endorsed.status).toBe(200);
  const payload = gatewayProtos.PreparedTransaction.deserializeBinary(bytes(endorsed.body.transaction)).getEnvelope()?.getPayload_asU8() ?? new Uint8Array();
  const submitted = await post('/v1/offline/transactions/submit', { transaction: endorsed.body.transaction, signature: sign(payload) });
  expect(submitted.status).toBe(200);
  const request = gatewayProtos.SignedCommitStatusRequest.deserializeBinary(bytes(submitted.body.commit)).getRequest_asU8();
  const committed = await post('/v1/offline/commits/status', { commit: submitted.body.commit, signature: sign(request) });
  expect(committed).toEqual({ status: 200, body: { transactionId: TX, blockNumber: '7', validationCode: 'VALID' } });
  expect(t.ledger.calls.map((c) => c.call.fn)).toEqual(['transfer:record', 'offline:endorse', 'offline:submit', 'offline:commitStatus']);
});

it("refuses a proposal signed with another key, and another identity's proposal, before the ledger", async () => {
  const proposal = await post('/v1/offline/proposals', { fn: 'transfer:record', input: {} });
  t.ledger.calls = [];
  const forged = await post('/v1/offline/proposals/endorse', {
    proposal: proposal.body.proposal,
    signature: sign(proposalBytesOf(proposal.body.proposal), identityOf('enterprise').key),
  });
  expect(forged).toMatchObject({ status: 400, body: { code: 'SIGNATURE_INVALID' } });
  const theirs = await post(
    '/v1/offline/proposals/endorse',
    { proposal: proposal.body.proposal, signature: sign(proposalBytesOf(proposal.body.proposal), identityOf('enterprise').key) },
    'enterprise',
  );
  expect(theirs).toMatchObject({ status: 403, body: { code: 'CREATOR_MISMATCH' } });
  const junk = await post('/v1/offline/proposals/endorse', { proposal: Buffer.from('not a proposal').toString('base64'), signature: 'AA==' });
  expect(junk.status).toBe(400);
  expect(t.ledger.calls).toEqual([]);
});
