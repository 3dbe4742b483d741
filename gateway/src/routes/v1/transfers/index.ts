// Transfers: recorded by banks and enterprises, each checked against every active rule; and the dry run.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Id, ROLES, TransferInput, TransferRecord, TransferVerdict } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const transfers: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/v1/transfers',
    {
      config: { roles: ['bank', 'enterprise'] },
      schema: submitting('transfer', 'Record a transfer (checked against every active rule)', 201, { body: TransferInput }),
    },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'transfer:record', input: request.body }, answer(201, request.query)),
  );

  fastify.post(
    '/v1/transfers/check',
    {
      config: { roles: ['bank', 'enterprise', 'regulator'] },
      schema: { tags: ['transfer'], summary: 'Would this transfer comply? (dry run, writes nothing)', body: TransferInput, response: answers(TransferVerdict) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'transfer:checkTransfer', input: request.body }),
  );

  fastify.get(
    '/v1/transfers/:transferId',
    {
      config: { roles: ROLES },
      schema: { tags: ['transfer'], summary: 'Read a transfer', params: Type.Object({ transferId: Id }, strict), response: answers(TransferRecord) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'transfer:get', input: { transferId: request.params.transferId } }),
  );
};

export default transfers;
