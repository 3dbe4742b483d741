// Counts for supervision: filings, alerts and transfers, from the ledger or from the monitor's index (the whole
// history, with a day-by-day series for charts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StatisticsRecord } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';

const StatisticsQuery = Type.Object(
  {
    source: Type.Optional(
      Type.Union([Type.Literal('ledger'), Type.Literal('index')], {
        description:
          'ledger (default): the chaincode counts the world state. index: the monitor counts its index, as of the block it names, with a daily series',
      }),
    ),
    days: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: 'index: days in the daily series, 1 to 3660 (default 90)' })),
  },
  strict,
);

const statistics: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/statistics',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: { tags: ['statistics'], summary: 'Filings, alerts and transfers counted', querystring: StatisticsQuery, response: answers(StatisticsRecord) },
    },
    async (request) => {
      // Channel-wide counts: the regulator's and the auditor's (the roles above), from either source.
      if (request.query.source === 'index') return fastify.monitorIndex.query('/statistics', { days: request.query.days }, callerOf(request).id);
      return { ...((await fastify.ledger.evaluate(callerOf(request), { fn: 'trace:statistics', input: {} })) as object), source: 'ledger' };
    },
  );
};

export default statistics;
