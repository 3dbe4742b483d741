// Builds the Fastify app: plugins, authentication, one error handler, and the routes of every resource.
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Gateway, Network } from '@hyperledger/fabric-gateway';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import * as crypto from 'node:crypto';
import type { GatewayConfig } from './config';
import { ApiError } from './errors';
import type { Caller, CallerRegistry } from './fabric/identities';
import type { Invocation, Readiness, SubmitResult, TransactionStatus } from './fabric/ledger';
import type { Idempotency } from './idempotency';
import type { Metrics } from './metrics';
import { OPERATIONS, type Operation, type RequestParts } from './routes/operations';

/** What the routes need of the ledger: the real one in production, a fake in route tests. */
export interface LedgerPort {
  submit(caller: Caller, call: Invocation, options?: { onSubmitted?: (txId: string, commit: Promise<SubmitResult>) => void }): Promise<SubmitResult>;
  evaluate(caller: Caller, call: Invocation): Promise<unknown>;
  transactionStatus(caller: Caller, transactionId: string): Promise<TransactionStatus | undefined>;
  ready(caller: Caller | undefined): Promise<Readiness>;
  /** The caller's Gateway and channel, for streams, audits and offline signing. */
  gateway(caller: Caller): Gateway;
  network(caller: Caller): Network;
  /** Peers' signed answers on a transaction's validation code, for evidence bundles. */
  attestations(signer: Caller, transactionId: string): Promise<Uint8Array[]>;
  readonly inFlight: number;
  close(): void;
}

export interface Services {
  readonly config: GatewayConfig;
  readonly callers: CallerRegistry;
  readonly ledger: LedgerPort;
  readonly metrics: Metrics;
  readonly idempotency: Idempotency;
}

/** Extra route sets (events, audit, offline signing) that need more than the operation table. */
export type RoutePlugin = (app: FastifyInstance, services: Services) => Promise<void> | void;

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; undefined means the route needs no API key. */
    roles?: readonly string[];
  }
}

export const ErrorBody = Type.Object(
  { code: Type.String(), message: Type.String(), details: Type.Record(Type.String(), Type.Unknown()), transactionId: Type.Optional(Type.String()) },
  { $id: 'ErrorBody', description: 'Every error has this shape' },
);

function apiKeyOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

/** Resolves the caller from its API key and checks the route's roles. */
export function authenticate(services: Services) {
  return async (request: FastifyRequest): Promise<void> => {
    const roles = request.routeOptions.config.roles;
    if (!roles) return;
    const key = apiKeyOf(request);
    const caller = key ? services.callers.authenticate(key) : undefined;
    if (!caller) throw new ApiError(401, 'UNAUTHENTICATED', key ? 'the API key is not valid' : 'send an API key as "Authorization: Bearer <key>"');
    request.caller = caller;
    if (!roles.includes(caller.role)) {
      throw new ApiError(403, 'ACCESS_DENIED', `${caller.role} ${caller.id} may not ${request.method} ${request.routeOptions.url ?? request.url}`, {
        details: { role: caller.role },
      });
    }
  };
}

function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  if (err.retryAfter !== undefined) void reply.header('retry-after', String(err.retryAfter));
  return reply.code(err.statusCode).send(err.toBody());
}

export async function buildApp(services: Services, plugins: readonly RoutePlugin[] = []): Promise<FastifyInstance> {
  const { config, metrics } = services;
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] },
    bodyLimit: config.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // Bodies are validated strictly: no coercion of types, unknown fields refused rather than dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
    return503OnClosing: true,
    // Path parameters reach the schemas, which refuse an over-long one with a 400 naming it; only beyond this
    // does the router answer 414.
    routerOptions: { maxParamLength: 2048 },
    // Errors Fastify raises before routing (an over-long path parameter, a malformed URL) in our one shape.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void sendError(
        reply,
        new ApiError(
          tooLong ? 414 : 400,
          tooLong ? 'URI_TOO_LONG' : 'BAD_URL',
          tooLong ? 'a path parameter is longer than 2048 characters' : 'the URL cannot be decoded',
        ),
      );
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'regchain gateway',
        version: '1.0.0',
        description: 'Filings, compliance rules, fund-flow traces and alerts on the regchain Fabric network, and endorsement audits from the ledger.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key issued by `npm run gateway:admin -- create-caller`' } },
      },
      security: [{ apiKey: [] }],
      tags: [
        'filing',
        'rule',
        'watchlist',
        'account',
        'project',
        'transfer',
        'trace',
        'alert',
        'statistics',
        'public',
        'transaction',
        'audit',
        'event',
        'offline',
        'operations',
      ].map((name) => ({ name })),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // Two budgets: one per client address before the API key is looked at (rotating junk keys does not
  // escape it), one per authenticated caller after (a caller cannot borrow another's budget).
  await app.register(rateLimit, { global: false });
  const byAddress = app.createRateLimit({ max: config.addressRateLimitPerMinute, timeWindow: '1 minute', keyGenerator: (request) => `address:${request.ip}` });
  const byCaller = app.createRateLimit({
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (request) => `caller:${request.caller?.id ?? ''}`,
  });
  const limit =
    (check: typeof byAddress, who: string) =>
    async (request: FastifyRequest): Promise<void> => {
      if (who === 'caller' && !request.caller) return;
      const result = await check(request);
      // isAllowed is true only for an allow-listed key; every other result says whether the budget is spent.
      if (!result.isAllowed && result.isExceeded) {
        throw new ApiError(429, 'RATE_LIMITED', `more than ${result.max} requests a minute from this ${who}; retry in ${result.ttlInSeconds} s`, {
          retryAfter: result.ttlInSeconds,
        });
      }
    };

  // On close, responses still in flight end their keep-alive connection, so closing waits for the
  // requests themselves and not for idle sockets to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onRequest', limit(byAddress, 'client address'));
  app.addHook('onRequest', authenticate(services));
  app.addHook('onRequest', limit(byCaller, 'caller'));
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof ApiError) {
      // Fabric's own words (gRPC status, each peer's answer, validation code) go to the log with the request
      // and transaction ids; the caller gets the mapped code and sentence.
      request.log[error.statusCode >= 500 ? 'error' : 'info'](
        { code: error.code, transactionId: error.transactionId, ...(error.fabric ? { fabric: error.fabric } : {}) },
        error.message,
      );
      return sendError(reply, error);
    }
    const e = error as {
      validation?: { instancePath?: string; message?: string }[];
      statusCode?: number;
      code?: string;
      message?: string;
      validationContext?: string;
    };
    if (e.validation) {
      const first = e.validation[0];
      const field = `${e.validationContext ?? 'body'}${first?.instancePath ?? ''}`;
      return sendError(reply, new ApiError(400, 'VALIDATION_FAILED', `${field} ${first?.message ?? 'is invalid'}`, { details: { field } }));
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      const code =
        e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
      return sendError(reply, new ApiError(e.statusCode, code, e.message ?? 'bad request'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, new ApiError(500, 'INTERNAL', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`)));

  // Every path's methods, to answer any other method on a known path with 405 and an Allow header.
  const methods = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    const set = methods.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) set.add(m);
    methods.set(route.url, set);
  });
  for (const op of OPERATIONS) registerOperation(app, services, op);
  registerTransactions(app, services);
  registerOperationsRoutes(app, services);
  for (const plugin of plugins) await plugin(app, services);
  for (const [url, allowed] of [...methods.entries()].filter(([u]) => u.startsWith('/v1/') || ['/health', '/ready', '/metrics'].includes(u))) {
    const others = app.supportedMethods.filter((m) => m !== 'HEAD' && !allowed.has(m) && !['CONNECT'].includes(m));
    if (others.length === 0) continue;
    const allow = [...allowed].sort().join(', ');
    app.route({
      method: others,
      url,
      schema: { hide: true },
      // Refused before any body is read, whatever it holds.
      onRequest: async (request, reply) => {
        void reply.header('allow', allow);
        throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${url}; use ${allow}`);
      },
      handler: async () => undefined,
    });
  }
  return app;
}

/** What a committed submit answers. */
export const SubmitResultBody = Type.Object(
  {
    transactionId: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    blockNumber: Type.String({ pattern: '^[0-9]+$' }),
    validationCode: Type.String(),
    result: Type.Unknown({ description: "the chaincode's result: the record it wrote" }),
  },
  { description: 'Committed: the transaction, its block and validation code, and the result' },
);
/** What an async submit (or its replay) answers once the orderer has the transaction. */
export const AcceptedBody = Type.Object(
  { transactionId: Type.String(), status: Type.String(), statusUrl: Type.String() },
  { description: 'Accepted: follow statusUrl for the commit' },
);
/** A query's answer: the chaincode's JSON result. */
export const ResultBody = Type.Unknown({ description: "the chaincode's JSON result" });

const err = { $ref: 'ErrorBody#' } as const;
/** Every error a route can answer, documented with the one error shape. */
export const errorResponses = {
  400: err,
  401: err,
  403: err,
  404: err,
  409: err,
  413: err,
  414: err,
  422: err,
  429: err,
  500: err,
  502: err,
  503: err,
  504: err,
};

/** Transactions submitted here whose commit has not arrived: their status URL answers "pending". */
const pending = new Set<string>();

function registerOperation(app: FastifyInstance, services: Services, op: Operation): void {
  const isSubmit = op.kind === 'submit';
  app.route({
    method: op.method,
    url: op.url,
    config: op.public ? {} : { roles: op.roles },
    schema: {
      tags: [op.tag],
      summary: op.summary,
      ...(op.params ? { params: op.params } : {}),
      ...(op.query || isSubmit
        ? {
            querystring:
              op.query ?? Type.Object({ async: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }, { additionalProperties: false }),
          }
        : {}),
      ...(op.body ? { body: op.body } : {}),
      ...(isSubmit ? { headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }) } : {}),
      ...(op.public ? { security: [] } : {}),
      response: isSubmit ? { ...errorResponses, [op.created ? 201 : 200]: SubmitResultBody, 202: AcceptedBody } : { ...errorResponses, 200: ResultBody },
    },
    handler: async (request, reply) => {
      // Validated against the operation's schema before the handler runs.
      const r = { params: request.params, query: request.query, body: request.body ?? {} } as RequestParts;
      const caller = op.public ? services.callers.get(services.config.publicCaller) : request.caller;
      if (!caller) throw new ApiError(503, 'NOT_CONFIGURED', 'the gateway has no identity for public lookups; run `npm run gateway:admin -- bootstrap`');
      const transient = op.transient?.(r);
      const call: Invocation = { fn: op.fn, input: op.input(r), ...(transient ? { transient } : {}) };
      if (!isSubmit) return services.ledger.evaluate(caller, call);
      return submitWithIdempotency(request, reply, services, caller, call, op.created ? 201 : 200);
    },
  });
}

async function submitWithIdempotency(
  request: FastifyRequest,
  reply: FastifyReply,
  services: Services,
  caller: Caller,
  call: Invocation,
  okStatus: number,
): Promise<unknown> {
  const asyncMode = (request.query as { async?: string } | undefined)?.async === 'true';
  const key = request.headers['idempotency-key'];
  const claim = typeof key === 'string' ? await services.idempotency.begin(caller.id, key, { url: request.url, body: request.body }) : undefined;
  if (claim && 'replay' in claim) {
    void reply.header('idempotent-replayed', 'true');
    return reply.code(claim.replay.statusCode).send(claim.replay.body);
  }
  try {
    let accepted: ((txId: string) => void) | undefined;
    const acceptedTx = new Promise<string>((resolve) => (accepted = resolve));
    const committed = services.ledger.submit(caller, call, {
      onSubmitted: (txId, commit) => {
        pending.add(txId);
        void commit.then(
          () => pending.delete(txId),
          () => pending.delete(txId),
        );
        accepted?.(txId);
      },
    });
    if (asyncMode) {
      const txId = await Promise.race([acceptedTx, committed.then((r) => r.transactionId)]);
      committed.catch(() => undefined);
      const body = { transactionId: txId, status: 'submitted', statusUrl: `/v1/transactions/${txId}` };
      await claim?.finish(202, body);
      return reply.code(202).header('location', body.statusUrl).send(body);
    }
    const result = await committed;
    await claim?.finish(okStatus, result);
    return reply.code(okStatus).send(result);
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : new ApiError(500, 'INTERNAL', 'internal error');
    // A refusal is final and replayed; a transient failure frees the key for a retry.
    if (apiErr.statusCode >= 500 || apiErr.code === 'CONFLICT') await claim?.abandon();
    else await claim?.finish(apiErr.statusCode, apiErr.toBody());
    throw apiErr;
  }
}

function registerTransactions(app: FastifyInstance, services: Services): void {
  app.get(
    '/v1/transactions/:transactionId',
    {
      config: { roles: ['regulator', 'enterprise', 'bank', 'auditor'] },
      schema: {
        tags: ['transaction'],
        summary: 'Status of a submitted transaction',
        params: Type.Object({ transactionId: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
        response: {
          ...errorResponses,
          200: Type.Object(
            {
              transactionId: Type.String(),
              status: Type.String(),
              validationCode: Type.Optional(Type.String()),
              valid: Type.Optional(Type.Boolean()),
              blockNumber: Type.Optional(Type.String()),
            },
            { description: 'committed (with its validation code and block) or pending' },
          ),
        },
      },
    },
    async (request) => {
      const { transactionId } = request.params as { transactionId: string };
      if (pending.has(transactionId)) return { transactionId, status: 'pending' };
      const status = await services.ledger.transactionStatus(request.caller as Caller, transactionId);
      if (!status) throw new ApiError(404, 'TRANSACTION_NOT_FOUND', `no committed transaction ${transactionId} on this peer (yet)`);
      return status;
    },
  );
}

function registerOperationsRoutes(app: FastifyInstance, services: Services): void {
  app.get('/health', { schema: { tags: ['operations'], summary: 'The process is up', security: [] } }, async () => ({ status: 'ok' }));
  app.get(
    '/ready',
    { schema: { tags: ['operations'], summary: 'Each peer reachable or not, every org served, and the chaincode answering', security: [] } },
    async (_request, reply) => {
      const state = await services.ledger.ready(services.callers.get(services.config.publicCaller));
      // Ready while every org is served by at least one peer; each peer's own state is shown beside it.
      const ok = Object.values(state.orgs).every(Boolean) && state.chaincode;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', ...state });
    },
  );
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', security: [] } }, async (_request, reply) => {
    return reply.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
}
