// Counts for supervision: filings, alerts and transfers.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StatisticsRecord } from '@regchain/common';
import { callerOf } from '../../../plugins/app/authentication';
import { answers } from '../../../schemas/responses';

const statistics: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/statistics',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: { tags: ['statistics'], summary: 'Filings, alerts and transfers counted', response: answers(StatisticsRecord) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'trace:statistics', input: {} }),
  );
};

export default statistics;
