// A submitted transaction's status: pending here, or committed with its validation code and block.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES } from '@regchain/common';
import { Type } from '@sinclair/typebox';
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
      if (fastify.isPending(transactionId)) return { transactionId, status: 'pending' };
      const status = await fastify.ledger.transactionStatus(callerOf(request), transactionId);
      if (!status) throw new ApiError(404, 'TRANSACTION_NOT_FOUND', `no committed transaction ${transactionId} on this peer (yet)`);
      return status;
    },
  );
};

export default transactions;
