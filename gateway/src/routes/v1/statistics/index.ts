// Counts for supervision: filings, alerts and transfers.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { queryResponses } from '../../../schemas/responses';

const statistics: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/statistics',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: { tags: ['statistics'], summary: 'Filings, alerts and transfers counted', response: queryResponses },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'trace:statistics', input: {} }),
  );
};

export default statistics;
