// The monitor's HTTP side, on the gateway's stack: a Fastify app with TypeBox schemas and the gateway's error
// shape. Health is public; the status (counts, the last transaction, lag) is telemetry for operators, and the
// traces, counterparties and statistics are the index's content for the gateway: both take the monitor token.
// The monitor knows no callers: the gateway decides who may ask what.
import { type FastifyPluginAsyncTypebox, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ApiError, apiErrorOf, Id, IsoTime, isoMillis } from '@regchain/common';
import { sameSecret } from '@regchain/common/node';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pageOf } from '@regchain/common';
import { traceFromIndex } from './queries';
import type { Store } from './store';

/** What the index answers at most, and how much of the monitor's one thread queries may take. */
export const LIMITS = {
  /** Index queries running at once; the gateway limits callers before they get here. */
  queriesInFlight: 4,
  /** Seconds a refused query is told to wait. */
  retryAfter: 2,
  traceDepth: 10,
  traceNodes: 10_000,
  traceEdges: 100_000,
  pageSize: 1000,
  counterparties: 1000,
  statisticsDays: 3660,
} as const;

/** 9999-12-31T23:59:59Z: the last second a time may name. */
const LAST_SECOND = 253_402_300_799;

export interface MonitorHttpOptions {
  readonly store: Pick<Store, 'status' | 'checkpoint' | 'counterparties' | 'statistics' | 'flows'>;
  /** The chain's height as a peer reports it (undefined: no peer answers). */
  readonly chainHeight: () => Promise<bigint | undefined>;
  /** The version of the typology parameters the detectors run on. */
  readonly parametersVersion: () => number;
  readonly token: string;
  readonly logger: FastifyBaseLogger;
}

const strict = { additionalProperties: false } as const;
const Count = (minimum: number, maximum: number, fallback: number, description: string) => Type.Integer({ minimum, maximum, default: fallback, description });

const Account = { accountId: Id };
const Window = {
  // The chaincode's form of a time (UTC, ISO 8601, `Z`): the index and the ledger take the same times.
  fromTime: Type.Optional(IsoTime),
  toTime: Type.Optional(IsoTime),
};

const TraceQuery = Type.Object(
  {
    ...Account,
    ...Window,
    direction: Type.Union([Type.Literal('forward'), Type.Literal('backward')], { default: 'forward' }),
    depth: Count(1, LIMITS.traceDepth, 3, 'hops'),
    maxNodes: Count(1, LIMITS.traceNodes, 200, 'accounts in the answer'),
    maxEdges: Count(1, LIMITS.traceEdges, 1000, 'transfers in the answer'),
    startTime: Type.Optional(
      Type.Integer({ minimum: 0, maximum: LAST_SECOND, description: 'from a transfer: when it moved, seconds since the epoch (the walk goes on from then)' }),
    ),
    bookmark: Count(0, 999_999, 0, 'where the page starts'),
    pageSize: Count(1, LIMITS.pageSize, 100, 'edges per page'),
  },
  strict,
);
const CounterpartiesQuery = Type.Object({ ...Account, ...Window, limit: Count(1, LIMITS.counterparties, 100, 'counterparties') }, strict);
const StatisticsQuery = Type.Object({ days: Count(1, LIMITS.statisticsDays, 90, 'days back from today') }, strict);

/** A time of the query in seconds; the schema checks its form, this that it is a real time (no 45th hour, no month 28). */
function seconds(iso: string | undefined, fallback: number, field: string): number {
  if (iso === undefined) return fallback;
  const ms = isoMillis(iso);
  if (ms === undefined) {
    throw new ApiError(400, 'VALIDATION_FAILED', `querystring/${field} is not a real time: ${iso}`, { details: { field: `querystring/${field}` } });
  }
  return Math.floor(ms / 1000);
}

const routes: FastifyPluginAsyncTypebox<MonitorHttpOptions> = async (app, options) => {
  const { store } = options;
  const asOfBlock = async (): Promise<number | null> => {
    const c = await store.checkpoint();
    return c ? Number(c.block) : null;
  };
  // The index answers on the monitor's one thread, beside its following of the chain: a few queries at a time,
  // counted around the query itself, so a request that goes away early cannot keep its place.
  let inFlight = 0;
  const counted = async <T>(query: () => Promise<T>): Promise<T> => {
    if (inFlight >= LIMITS.queriesInFlight) {
      throw new ApiError(503, 'INDEX_BUSY', `${LIMITS.queriesInFlight} index queries are running; retry shortly`, { retryAfter: LIMITS.retryAfter });
    }
    inFlight += 1;
    try {
      return await query();
    } finally {
      inFlight -= 1;
    }
  };

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url === '/health') return;
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!(presented && sameSecret(presented, options.token))) {
      throw new ApiError(401, 'UNAUTHENTICATED', 'status and index queries answer operators and the gateway only (Bearer: the monitor token)');
    }
  });

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/status', async () => {
    const status = await store.status();
    const height = await options.chainHeight().catch(() => undefined);
    const indexed = status.checkpoint ? status.checkpoint.block + 1n : 0n;
    return {
      ...status,
      checkpoint: status.checkpoint && { block: Number(status.checkpoint.block), txId: status.checkpoint.txId },
      chainHeight: height === undefined ? null : Number(height),
      // Blocks committed on the chain the index has not reached.
      behindBlocks: height === undefined ? null : Number(height > indexed ? height - indexed : 0n),
      parametersVersion: options.parametersVersion(),
    };
  });

  app.get('/traces', { schema: { querystring: TraceQuery } }, async (request) => {
    const q = request.query;
    const [fromTime, toTime] = [seconds(q.fromTime, 0, 'fromTime'), seconds(q.toTime, LAST_SECOND, 'toTime')];
    return counted(async () => {
      const trace = await traceFromIndex(store, {
        start: q.accountId,
        direction: q.direction,
        depth: q.depth,
        fromTime,
        toTime,
        maxNodes: q.maxNodes,
        maxEdges: q.maxEdges,
        startTime: q.startTime,
      });
      return { ...pageOf(trace, q.bookmark, q.pageSize), source: 'index', asOfBlock: await asOfBlock() };
    });
  });

  app.get('/counterparties', { schema: { querystring: CounterpartiesQuery } }, async (request) => {
    const q = request.query;
    const [fromTime, toTime] = [seconds(q.fromTime, 0, 'fromTime'), seconds(q.toTime, LAST_SECOND, 'toTime')];
    return counted(async () => ({
      account: q.accountId,
      counterparties: await store.counterparties(q.accountId, fromTime, toTime, q.limit),
      source: 'index',
      asOfBlock: await asOfBlock(),
    }));
  });

  app.get('/statistics', { schema: { querystring: StatisticsQuery } }, async (request) =>
    counted(async () => ({ ...(await store.statistics(request.query.days)), source: 'index', asOfBlock: await asOfBlock() })),
  );
};

/** The monitor's HTTP app: answers as the gateway does, `{ code, message, details }` for every error. */
export function monitorApp(options: MonitorHttpOptions): FastifyInstance {
  const app = Fastify({ loggerInstance: options.logger, ajv: { customOptions: { removeAdditional: false } } }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler((error: unknown, request, reply) => {
    const e = apiErrorOf(error);
    // The answer hides a 5xx's cause; the log keeps it, with its stack, for whoever reviews the monitor.
    const cause = e.cause ?? (e.statusCode >= 500 ? e : undefined);
    request.log[e.statusCode >= 500 ? 'error' : 'info']({ code: e.code, statusCode: e.statusCode, ...(cause === undefined ? {} : { err: cause }) }, e.message);
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    return reply.code(e.statusCode).send(e.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(
        new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}; GET /health, /status, /traces, /counterparties, /statistics`).toBody(),
      );
  });
  void app.register(routes, options);
  return app;
}
