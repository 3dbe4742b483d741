// Fund-flow traces, forward or backward from an account or a transfer, across hops.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Id, TraceRecord } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { defined, num, QInt, strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';

const TraceQuery = Type.Object(
  {
    accountId: Type.Optional(Id),
    transferId: Type.Optional(Id),
    direction: Type.Union([Type.Literal('forward'), Type.Literal('backward')]),
    depth: Type.Optional(QInt),
    fromTime: Type.Optional(Type.String({ maxLength: 30 })),
    toTime: Type.Optional(Type.String({ maxLength: 30 })),
    maxNodes: Type.Optional(QInt),
    maxEdges: Type.Optional(QInt),
    pageSize: Type.Optional(QInt),
    bookmark: Type.Optional(Type.String({ pattern: '^[0-9]{0,6}$' })),
  },
  strict,
);

const traces: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/traces',
    {
      config: { roles: ['regulator', 'auditor', 'bank'] },
      schema: {
        tags: ['trace'],
        summary: 'Trace funds forward or backward from an account or a transfer',
        querystring: TraceQuery,
        response: answers(TraceRecord),
      },
    },
    async (request) => {
      const q = request.query;
      return fastify.ledger.evaluate(callerOf(request), {
        fn: 'trace:flows',
        input: defined({ ...q, depth: num(q.depth), maxNodes: num(q.maxNodes), maxEdges: num(q.maxEdges), pageSize: num(q.pageSize) }),
      });
    },
  );
};

export default traces;
