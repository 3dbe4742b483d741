// Fund-flow traces, forward or backward from an account or a transfer, across hops: from the ledger (the
// chaincode's walk, verifiable, within its limits) or from the monitor's index (every transfer it has indexed,
// larger limits, as of a block). Either way the chain decides what the caller may start from.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Id, IsoTime, TraceRecord, type TransferRecord } from '@regchain/common';
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { ApiError } from '../../../errors';
import { callerOf } from '../../../plugins/app/authentication';
import { defined, num, QInt, strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';

const TraceQuery = Type.Object(
  {
    accountId: Type.Optional(Id),
    transferId: Type.Optional(Id),
    direction: Type.Union([Type.Literal('forward'), Type.Literal('backward')]),
    depth: Type.Optional(QInt),
    fromTime: Type.Optional(IsoTime),
    toTime: Type.Optional(IsoTime),
    maxNodes: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
    maxEdges: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
    pageSize: Type.Optional(QInt),
    bookmark: Type.Optional(Type.String({ pattern: '^[0-9]{0,6}$' })),
    source: Type.Optional(
      Type.Union([Type.Literal('ledger'), Type.Literal('index')], {
        description:
          'ledger (default): the chaincode walks the ledger, at most 1,000 nodes and 5,000 edges. index (regulator and auditor): the monitor walks its index of every committed transfer, up to 10,000 nodes and 100,000 edges, as of the block it names. A bank always gets the ledger walk, which follows only the accounts it holds',
      }),
    ),
  },
  strict,
);

const traces: FastifyPluginAsyncTypebox = async (fastify) => {
  /** The index's walk from what the caller may see: the chain answers which account, or which transfer, that is. */
  async function fromIndex(request: { query: Static<typeof TraceQuery> }, caller: ReturnType<typeof callerOf>) {
    const q = request.query;
    if (Boolean(q.accountId) === Boolean(q.transferId)) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'trace: give exactly one of accountId and transferId', { details: { field: '/accountId' } });
    }
    let start = q.accountId as string;
    let origin: Pick<Static<typeof TransferRecord>, 'transferId' | 'from' | 'to' | 'amount' | 'time'> | undefined;
    if (q.transferId) {
      const t = (await fastify.ledger.evaluate(caller, { fn: 'transfer:get', input: { transferId: q.transferId } })) as Static<typeof TransferRecord>;
      origin = { transferId: t.transferId, from: t.from, to: t.to, amount: t.amount, time: t.time };
      start = q.direction === 'forward' ? t.to : t.from;
    } else {
      await fastify.ledger.evaluate(caller, { fn: 'account:get', input: { accountId: start } });
    }
    const answer = await fastify.monitorIndex.query(
      '/traces',
      {
        accountId: start,
        direction: q.direction,
        depth: q.depth,
        fromTime: q.fromTime,
        toTime: q.toTime,
        maxNodes: q.maxNodes,
        maxEdges: q.maxEdges,
        pageSize: q.pageSize,
        bookmark: q.bookmark,
        startTime: origin?.time,
      },
      caller.id,
    );
    return { ...answer, ...(origin ? { origin } : {}) };
  }

  fastify.get(
    '/v1/traces',
    {
      config: { roles: ['regulator', 'auditor', 'bank'] },
      schema: {
        tags: ['trace'],
        summary: 'Trace funds forward or backward from an account or a transfer, from the ledger or the monitor’s index',
        querystring: TraceQuery,
        response: answers(TraceRecord),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { source, ...q } = request.query;
      // The index knows no account's bank: a member's walk is the chain's, which expands only what it holds.
      if (source === 'index' && (caller.role === 'regulator' || caller.role === 'auditor')) return fromIndex(request, caller);
      const answer = (await fastify.ledger.evaluate(caller, {
        fn: 'trace:flows',
        input: defined({ ...q, depth: num(q.depth), maxNodes: num(q.maxNodes), maxEdges: num(q.maxEdges), pageSize: num(q.pageSize) }),
      })) as Record<string, unknown>;
      return { ...answer, source: 'ledger' };
    },
  );
};

export default traces;
