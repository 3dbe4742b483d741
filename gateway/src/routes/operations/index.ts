// Operations: liveness, readiness (each peer, every org served, the chaincode answering) and Prometheus metrics.
// Health and readiness are public; metrics count every caller's actions, so they answer operators only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sameSecret } from '@regchain/common/node';
import { Type } from '@sinclair/typebox';
import { ApiError } from '../../errors';

const Health = Type.Object({ status: Type.Literal('ok') }, { description: 'The process is up', examples: [{ status: 'ok' }] });
const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
    peers: Type.Record(Type.String(), Type.Boolean(), { description: 'each peer of the profile, by name: reachable or not' }),
    orgs: Type.Record(Type.String(), Type.Boolean(), { description: 'each org, by MSP id: served by at least one reachable peer' }),
    chaincode: Type.Boolean({ description: 'the chaincode answered a query' }),
  },
  {
    description: 'ready when every org is served and the chaincode answers; 503 with the same body otherwise',
    examples: [{ status: 'ready', peers: { 'peer0.bank.regchain.local': true }, orgs: { BankMSP: true }, chaincode: true }],
  },
);

/** `token`: the operations token (the monitor's), which a Prometheus scrape presents as a bearer token. */
const operations: FastifyPluginAsyncTypebox<{ token: () => string }> = async (fastify, opts) => {
  fastify.get('/health', { schema: { tags: ['operations'], summary: 'The process is up', security: [], response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
  }));

  fastify.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Each peer reachable or not, every org served, and the chaincode answering',
        security: [],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const callers = fastify.callers;
      const state = await fastify.ledger.ready(await callers.get(fastify.config.publicCaller));
      const ok = Object.values(state.orgs).every(Boolean) && state.chaincode;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', ...state });
    },
  );

  fastify.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (Bearer: the operations token, the monitor’s)',
        security: [],
        response: {
          200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
          401: { description: 'no or another token', type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
    async (request, reply) => {
      const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!presented || !sameSecret(presented, opts.token())) {
        throw new ApiError(401, 'UNAUTHENTICATED', 'metrics answer operators only: present the operations token (the monitor token) as a bearer token');
      }
      return reply.type(fastify.metrics.registry.contentType).send(await fastify.metrics.registry.metrics());
    },
  );
};

export default operations;
