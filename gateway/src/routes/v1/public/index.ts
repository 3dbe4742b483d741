// What anyone may check without a key: a filing number's public fields.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PublicFilingRecord } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';

const publicRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/public/filings/:filingNumber',
    {
      schema: {
        tags: ['public'],
        summary: 'Verify a filing number (public fields only)',
        security: [],
        params: Type.Object({ filingNumber: Type.String({ minLength: 1, maxLength: 64 }) }, strict),
        response: answers(PublicFilingRecord),
      },
    },
    // Runs under the gateway's own read-only identity.
    async (request) => fastify.ledger.evaluate(await fastify.publicCaller(), { fn: 'filing:lookup', input: { filingNumber: request.params.filingNumber } }),
  );
};

export default publicRoutes;
