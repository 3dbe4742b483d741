// Offline signing: members who keep their own keys sign digests; the gateway never sees their private key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES, TRANSACTIONS } from '@regchain/common';
import * as crypto from 'node:crypto';
import { type TSchema, Type } from '@sinclair/typebox';
import { errorResponses, TransactionId } from '../../../schemas/responses';
import { common, gateway as gatewayProtos, msp, peer } from '@hyperledger/fabric-protos';
import { callerOf } from '../../../plugins/app/authentication';
import { fromBase64, toBase64, validationName } from '@regchain/fabric';
import { ApiError, invalidCommit } from '../../../errors';
import type { Caller } from '../../../fabric/identities';
import { signedMessage } from '../../../fabric/offline';

const B64 = Type.String({ pattern: '^[A-Za-z0-9+/=]{1,1400000}$', description: 'base64' });
const strict = { additionalProperties: false } as const;
/** What each step hands back: the bytes to sign (as their digest) and the id they belong to. */
const ToSign = (what: string, extra: Record<string, TSchema> = {}) =>
  Type.Object({ transactionId: TransactionId, [what]: B64, digest: B64, ...extra }, { description: `the ${what} and the digest to sign` });
const Committed = Type.Object(
  { transactionId: TransactionId, blockNumber: Type.String(), validationCode: Type.String() },
  { description: 'the commit: block and validation code' },
);

/**
 * A signed message must come from the caller's own registered certificate: otherwise a member could get
 * another identity's proposal endorsed and submitted under its own API key.
 */
function requireOwnCreator(caller: Caller, serializedIdentity: Uint8Array, what: string): void {
  const id = signedMessage(what, () => msp.SerializedIdentity.deserializeBinary(serializedIdentity));
  const cert = Buffer.from(id.getIdBytes_asU8()).toString('utf8').trim();
  if (id.getMspid() !== caller.mspId || cert !== caller.certificate.trim()) {
    throw new ApiError(403, 'CREATOR_MISMATCH', `the ${what} is signed by an identity other than caller ${caller.id}'s registered certificate`, {
      details: { field: `body/${what}` },
    });
  }
}

/**
 * The signature must be the caller's own, over the bytes it was handed the digest of: checked here against the
 * registered certificate, so a wrong or empty one is the caller's 400, not a refusal from the peers.
 */
function requireOwnSignature(caller: Caller, message: Uint8Array, signature: string, what: string): void {
  const sig = fromBase64(signature);
  let ok = false;
  try {
    ok = sig.length > 0 && crypto.verify('sha256', message, new crypto.X509Certificate(caller.certificate).publicKey, sig);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new ApiError(400, 'SIGNATURE_INVALID', `the signature is not caller ${caller.id}'s over the ${what} digest the previous step returned`, {
      details: { field: 'body/signature' },
    });
  }
}

const creatorOfPayload = (payloadBytes: Uint8Array): Uint8Array =>
  common.SignatureHeader.deserializeBinary(
    common.Payload.deserializeBinary(payloadBytes).getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array(),
  ).getCreator_asU8();

const offlineRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { offline } = fastify.ledger;
  const schema = <B extends TSchema, R extends TSchema>(summary: string, body: B, answer: R) => ({
    tags: ['offline'],
    summary,
    body,
    response: { ...errorResponses, 200: answer },
  });

  fastify.post(
    '/v1/offline/proposals',
    {
      config: { roles: ROLES },
      schema: schema(
        '1. Build a proposal; sign the returned digest',
        Type.Object(
          {
            fn: Type.Union(
              TRANSACTIONS.map((t) => Type.Literal(t)),
              { description: 'the transaction, as contract:function' },
            ),
            input: Type.Unknown(),
            transient: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown())),
          },
          strict,
        ),
        ToSign('proposal'),
      ),
    },
    async (request) => {
      const { fn, input, transient } = request.body;
      const proposal = offline.propose(callerOf(request), { fn, input, ...(transient ? { transient } : {}) });
      return { transactionId: proposal.transactionId, proposal: toBase64(proposal.bytes), digest: toBase64(proposal.digest) };
    },
  );

  fastify.post(
    '/v1/offline/proposals/endorse',
    {
      config: { roles: ROLES },
      schema: schema(
        '2. Endorse a signed proposal; sign the returned transaction digest',
        Type.Object({ proposal: B64, signature: B64 }, strict),
        ToSign('transaction', { result: Type.Unknown({ description: "the chaincode's result, from the endorsement" }) }),
      ),
    },
    async (request) => {
      const body = request.body;
      const caller = callerOf(request);
      const { creator, message, proposedAt } = signedMessage('proposal', () => {
        const signed = gatewayProtos.ProposedTransaction.deserializeBinary(fromBase64(body.proposal)).getProposal();
        const proposalBytes = signed?.getProposalBytes_asU8() ?? new Uint8Array();
        const header = common.Header.deserializeBinary(peer.Proposal.deserializeBinary(proposalBytes).getHeader_asU8());
        const timestamp = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getTimestamp();
        return {
          creator: common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8(),
          message: proposalBytes,
          proposedAt: timestamp ? timestamp.getSeconds() : Number.NaN,
        };
      });
      requireOwnCreator(caller, creator, 'proposal');
      // The proposal's time is the ledger's time for the transaction (recording time, the business-time limits,
      // settled windows): one a member signs itself must be now, by the gateway's clock.
      const skew = fastify.config.offlineSkewSeconds;
      const now = Math.floor(Date.now() / 1000);
      if (!(Math.abs(proposedAt - now) <= skew)) {
        throw new ApiError(
          400,
          'PROPOSAL_TIME_INVALID',
          `the proposal is timestamped more than ${skew} s away from the gateway's clock; build a new one (step 1)`,
          {
            details: { field: 'body/proposal', skewSeconds: skew },
          },
        );
      }
      requireOwnSignature(caller, message, body.signature, 'proposal');
      const transaction = await offline.endorse(caller, fromBase64(body.proposal), fromBase64(body.signature));
      const result = Buffer.from(transaction.result).toString('utf8');
      return {
        transactionId: transaction.transactionId,
        transaction: toBase64(transaction.bytes),
        digest: toBase64(transaction.digest),
        result: result ? (JSON.parse(result) as unknown) : null,
      };
    },
  );

  fastify.post(
    '/v1/offline/transactions/submit',
    {
      config: { roles: ROLES },
      schema: schema(
        '3. Submit a signed transaction; sign the returned commit digest',
        Type.Object({ transaction: B64, signature: B64 }, strict),
        ToSign('commit'),
      ),
    },
    async (request) => {
      const body = request.body;
      const caller = callerOf(request);
      const payload = signedMessage(
        'transaction',
        () => gatewayProtos.PreparedTransaction.deserializeBinary(fromBase64(body.transaction)).getEnvelope()?.getPayload_asU8() ?? new Uint8Array(),
      );
      requireOwnCreator(
        caller,
        signedMessage('transaction', () => creatorOfPayload(payload)),
        'transaction',
      );
      requireOwnSignature(caller, payload, body.signature, 'transaction');
      const commit = await offline.submit(caller, fromBase64(body.transaction), fromBase64(body.signature));
      return { transactionId: commit.transactionId, commit: toBase64(commit.bytes), digest: toBase64(commit.digest) };
    },
  );

  fastify.post(
    '/v1/offline/commits/status',
    {
      config: { roles: ROLES },
      schema: schema('4. Wait for the commit status with a signed request', Type.Object({ commit: B64, signature: B64 }, strict), Committed),
    },
    async (request) => {
      const body = request.body;
      const caller = callerOf(request);
      const requestBytes = signedMessage('commit', () => gatewayProtos.SignedCommitStatusRequest.deserializeBinary(fromBase64(body.commit)).getRequest_asU8());
      const identity = signedMessage('commit', () => gatewayProtos.CommitStatusRequest.deserializeBinary(requestBytes).getIdentity_asU8());
      requireOwnCreator(caller, identity, 'commit');
      requireOwnSignature(caller, requestBytes, body.signature, 'commit');
      const status = await offline.commitStatus(caller, fromBase64(body.commit), fromBase64(body.signature));
      if (!status.successful) throw invalidCommit(status.code, status.transactionId, status);
      return { transactionId: status.transactionId, blockNumber: status.blockNumber.toString(), validationCode: validationName(status.code) };
    },
  );
};

export default offlineRoutes;
