// The watchlist rules consult: the regulator adds and removes entities and accounts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Id, WATCH_KINDS, WatchlistAddInput, WatchlistRecord } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { defined, flag, QBool, RequiredNote, strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const Kind = Type.Union(WATCH_KINDS.map((k) => Type.Literal(k)));

const watchlist: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/watchlist',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: {
        tags: ['watchlist'],
        summary: 'Watchlist entries',
        querystring: Type.Object({ kind: Type.Optional(Kind), includeRemoved: Type.Optional(QBool) }, strict),
        response: answers(Type.Array(WatchlistRecord)),
      },
    },
    async (request) =>
      fastify.ledger.evaluate(callerOf(request), {
        fn: 'rule:watchlist',
        input: defined({ kind: request.query.kind, includeRemoved: flag(request.query.includeRemoved) }),
      }),
  );

  fastify.post(
    '/v1/watchlist',
    { config: { roles: ['regulator'] }, schema: submitting('watchlist', 'Put an entity or account on the watchlist', 201, { body: WatchlistAddInput }) },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'rule:watch', input: request.body }, answer(201, request.query)),
  );

  fastify.post(
    '/v1/watchlist/:kind/:value/remove',
    {
      config: { roles: ['regulator'] },
      schema: submitting('watchlist', 'Take an entry off the watchlist', 200, {
        params: Type.Object({ kind: Kind, value: Id }, strict),
        body: Type.Object({ note: RequiredNote }, strict),
      }),
    },
    async (request, reply) =>
      fastify.submit(
        request,
        reply,
        callerOf(request),
        { fn: 'rule:unwatch', input: { kind: request.params.kind, value: request.params.value, note: request.body.note } },
        answer(200, request.query),
      ),
  );
};

export default watchlist;
