// A submitted transaction's status: pending here, or committed with its validation code and block.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { fingerprint, x509 } from '../../../audit/signature';
import { ApiError } from '../../../errors';
import { callerOf } from '../../../plugins/app/authentication';
import { strict } from '../../../schemas/query';
import { errorResponses, TransactionId } from '../../../schemas/responses';

const TransactionStatus = Type.Object(
  {
    transactionId: TransactionId,
    status: Type.String(),
    validationCode: Type.Optional(Type.String()),
    valid: Type.Optional(Type.Boolean()),
    blockNumber: Type.Optional(Type.String()),
  },
  {
    description: 'committed (with its validation code and block) or pending',
    examples: [{ transactionId: 'a'.repeat(64), status: 'committed', validationCode: 'VALID', valid: true, blockNumber: '42' }],
  },
);

/** Two PEM certificates that are the same certificate, whatever their line endings. */
const sameCertificate = (a: string, b: string): boolean => {
  const [x, y] = [x509(a), x509(b)];
  return x !== undefined && y !== undefined && fingerprint(x) === fingerprint(y);
};

const transactions: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/transactions/:transactionId',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['transaction'],
        summary: 'Status of a submitted transaction',
        params: Type.Object({ transactionId: TransactionId }, strict),
        response: { ...errorResponses, 200: TransactionStatus },
      },
    },
    async (request) => {
      const { transactionId } = request.params;
      const caller = callerOf(request);
      const notFound = new ApiError(404, 'TRANSACTION_NOT_FOUND', `no committed transaction ${transactionId} on this peer (yet)`);
      if (fastify.isPending(transactionId, caller.id)) return { transactionId, status: 'pending' };
      // Fabric answers the supervisors' orgs only (channel ACLs); a member is told about its own transactions,
      // and another's answers as a missing one.
      const supervisor = caller.role === 'regulator' || caller.role === 'auditor';
      const found = await fastify.ledger.transactionStatus(supervisor ? caller : await fastify.publicCaller(), transactionId);
      if (!found) throw notFound;
      const { creator, ...status } = found;
      if (!supervisor && (creator.mspId !== caller.mspId || !sameCertificate(creator.certificate, caller.certificate))) throw notFound;
      return status;
    },
  );
};

export default transactions;
