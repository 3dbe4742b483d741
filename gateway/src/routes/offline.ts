// Offline signing: members who keep their own keys sign digests; the gateway never sees their private key.
import { Type } from '@sinclair/typebox';
import { errorResponses, type RoutePlugin } from '../app';
import { fromFabric, invalidCommit, validationName } from '../errors';
import type { Caller } from '../fabric/identities';
import { toTransient } from '../fabric/ledger';
import { CHAINCODE_NAME, CHANNEL } from '../../../network/src/topology';

const B64 = Type.String({ pattern: '^[A-Za-z0-9+/=]{1,1400000}$', description: 'base64' });
const strict = { additionalProperties: false } as const;
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = (text: string): Uint8Array => Buffer.from(text, 'base64');
const ALL = ['regulator', 'enterprise', 'bank', 'auditor'];

export const offlineRoutes: RoutePlugin = (app, services) => {
  const gatewayOf = (caller: Caller) => services.ledger.gateway(caller);
  const schema = (summary: string, body: ReturnType<typeof Type.Object>) => ({ tags: ['offline'], summary, body, response: errorResponses });

  app.post(
    '/v1/offline/proposals',
    {
      config: { roles: ALL },
      schema: schema('1. Build a proposal; sign the returned digest', Type.Object({ fn: Type.String({ pattern: '^[a-z]+:[A-Za-z]+$' }), input: Type.Unknown(), transient: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown())) }, strict)),
    },
    async (request) => {
      const body = request.body as { fn: string; input: unknown; transient?: Record<string, unknown> };
      const caller = request.caller as Caller;
      const transientData = toTransient(body.transient);
      const proposal = gatewayOf(caller).getNetwork(CHANNEL).getContract(CHAINCODE_NAME).newProposal(body.fn, {
        arguments: [JSON.stringify(body.input)],
        ...(transientData ? { transientData } : {}),
      });
      return { transactionId: proposal.getTransactionId(), proposal: b64(proposal.getBytes()), digest: b64(proposal.getDigest()) };
    },
  );

  app.post(
    '/v1/offline/proposals/endorse',
    { config: { roles: ALL }, schema: schema('2. Endorse a signed proposal; sign the returned transaction digest', Type.Object({ proposal: B64, signature: B64 }, strict)) },
    async (request) => {
      const body = request.body as { proposal: string; signature: string };
      const proposal = gatewayOf(request.caller as Caller).newSignedProposal(bytes(body.proposal), bytes(body.signature));
      try {
        const transaction = await proposal.endorse();
        const result = Buffer.from(transaction.getResult()).toString('utf8');
        return { transactionId: transaction.getTransactionId(), transaction: b64(transaction.getBytes()), digest: b64(transaction.getDigest()), result: result ? (JSON.parse(result) as unknown) : null };
      } catch (err) {
        throw fromFabric(err, proposal.getTransactionId());
      }
    },
  );

  app.post(
    '/v1/offline/transactions/submit',
    { config: { roles: ALL }, schema: schema('3. Submit a signed transaction; sign the returned commit digest', Type.Object({ transaction: B64, signature: B64 }, strict)) },
    async (request) => {
      const body = request.body as { transaction: string; signature: string };
      const transaction = gatewayOf(request.caller as Caller).newSignedTransaction(bytes(body.transaction), bytes(body.signature));
      try {
        const commit = await transaction.submit();
        return { transactionId: commit.getTransactionId(), commit: b64(commit.getBytes()), digest: b64(commit.getDigest()) };
      } catch (err) {
        throw fromFabric(err, transaction.getTransactionId());
      }
    },
  );

  app.post(
    '/v1/offline/commits/status',
    { config: { roles: ALL }, schema: schema('4. Wait for the commit status with a signed request', Type.Object({ commit: B64, signature: B64 }, strict)) },
    async (request) => {
      const body = request.body as { commit: string; signature: string };
      const commit = gatewayOf(request.caller as Caller).newSignedCommit(bytes(body.commit), bytes(body.signature));
      let status;
      try {
        status = await commit.getStatus();
      } catch (err) {
        throw fromFabric(err, commit.getTransactionId());
      }
      if (!status.successful) throw invalidCommit(status.code, status.transactionId);
      return { transactionId: status.transactionId, blockNumber: status.blockNumber.toString(), validationCode: validationName(status.code) };
    },
  );

};
