// What anyone may check without a key: a filing number's public fields, and an entity's credit standing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreditCode, CreditStandingRecord, PublicFilingRecord } from '@regchain/common';
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

  fastify.get(
    '/v1/public/credit/:entityId',
    {
      schema: {
        tags: ['public'],
        summary: "An entity's credit standing by its unified social credit code: grade and sanctions in publication",
        security: [],
        params: Type.Object({ entityId: CreditCode }, strict),
        response: answers(CreditStandingRecord),
      },
    },
    async (request) => fastify.ledger.evaluate(await fastify.publicCaller(), { fn: 'credit:lookup', input: { entityId: request.params.entityId } }),
  );
};

export default publicRoutes;
