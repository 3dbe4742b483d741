// Audit routes: verify a transaction's endorsements from the caller's own peer, or download the evidence to re-verify offline.
import { Type } from '@sinclair/typebox';
import { errorResponses, type RoutePlugin } from '../app';
import { collectEvidence } from '../audit/evidence';
import { verifyEvidence } from '../audit/verify';
import { fromFabric } from '../errors';
import type { Caller } from '../fabric/identities';

const Params = Type.Object({ transactionId: Type.String({ pattern: '^[0-9a-f]{64}$' }) }, { additionalProperties: false });

export const auditRoutes: RoutePlugin = (app, services) => {
  const evidence = async (caller: Caller, txId: string) => {
    try {
      return await collectEvidence(services.ledger.network(caller), txId);
    } catch (err) {
      throw fromFabric(err, txId);
    }
  };

  app.get(
    '/v1/audit/transactions/:transactionId',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: { tags: ['audit'], summary: 'Verify every endorsement, certificate chain and the policy of a committed transaction', params: Params, response: errorResponses },
    },
    async (request) => verifyEvidence(await evidence(request.caller as Caller, (request.params as { transactionId: string }).transactionId)),
  );

  app.get(
    '/v1/audit/transactions/:transactionId/evidence',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: { tags: ['audit'], summary: 'Evidence bundle (envelope, block, MSP roots, policy) that a third party can re-verify offline', params: Params, response: errorResponses },
    },
    async (request, reply) => {
      const { transactionId } = request.params as { transactionId: string };
      const bundle = await evidence(request.caller as Caller, transactionId);
      return reply.header('content-disposition', `attachment; filename="regchain-evidence-${transactionId.slice(0, 16)}.json"`).send(bundle);
    },
  );
};
