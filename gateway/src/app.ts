// The gateway app as a plugin: third-party plugins, the app's own plugins, then one route plugin per resource.
import { ownerSecret } from '@regchain/common/node';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import * as crypto from 'node:crypto';
import type { GatewayConfig } from './config';
import type { CallerRegistry } from './fabric/identities';
import type { Idempotency } from './idempotency';
import type { Metrics } from './metrics';
import type { GatewayDatabase } from './store/database';
import type { Uploads } from './uploads';
import { type IndexPort, LimitedIndex, MonitorIndex } from './monitor-index';
import authentication from './plugins/app/authentication';
import callers from './plugins/app/callers';
import errors, { frameworkErrors } from './plugins/app/errors';
import idempotency from './plugins/app/idempotency';
import ledger, { type LedgerPort } from './plugins/app/ledger';
import metrics from './plugins/app/metrics';
import shutdown from './plugins/app/shutdown';
import uploads from './plugins/app/uploads';
import rateLimit from './plugins/external/rate-limit';
import swagger from './plugins/external/swagger';
import consoleFiles from './plugins/external/console';
import operations from './routes/operations';
import accounts from './routes/v1/accounts';
import alerts from './routes/v1/alerts';
import credit from './routes/v1/credit';
import audit from './routes/v1/audit';
import events from './routes/v1/events';
import filings from './routes/v1/filings';
import me from './routes/v1/me';
import network from './routes/v1/network';
import offline from './routes/v1/offline';
import projects from './routes/v1/projects';
import publicRoutes from './routes/v1/public';
import rules from './routes/v1/rules';
import statistics from './routes/v1/statistics';
import traces from './routes/v1/traces';
import transactions from './routes/v1/transactions';
import transfers from './routes/v1/transfers';
import typologies from './routes/v1/typologies';
import watchlist from './routes/v1/watchlist';
import { ErrorBody } from './schemas/responses';

export type { LedgerPort } from './plugins/app/ledger';

/** What the app is built from: the real ledger and stores in production, fakes in route tests. */
export interface Services {
  readonly config: GatewayConfig;
  readonly callers: CallerRegistry;
  readonly ledger: LedgerPort;
  readonly metrics: Metrics;
  /** The gateway's database (PGlite or PostgreSQL): idempotency keys and upload progress. */
  readonly database: GatewayDatabase;
  readonly idempotency: Idempotency;
  /** CSV uploads; made from the ledger and callers when not given (tests give one that can crash). */
  readonly uploads?: Uploads;
  /** The monitor's index (source=index answers); made from the config when not given. */
  readonly index?: IndexPort;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: GatewayConfig;
    monitorIndex: IndexPort;
  }
}

/** The server's own options: logging without secrets, strict validation, and errors in the one shape. */
export function serverOptions(config: GatewayConfig): FastifyServerOptions {
  return {
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
    frameworkErrors,
  };
}

const RESOURCES = [
  filings,
  publicRoutes,
  rules,
  watchlist,
  typologies,
  accounts,
  projects,
  transfers,
  traces,
  alerts,
  credit,
  statistics,
  transactions,
  events,
  audit,
  offline,
  me,
  network,
];

async function serviceApp(fastify: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  const { config } = services;
  fastify.decorate('config', config);
  fastify.addSchema(ErrorBody);
  // Response schemas document and are checked (tests, Schemathesis); they never filter what is sent.
  fastify.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await fastify.register(swagger);
  await fastify.register(rateLimit, { perAddressPerMinute: config.addressRateLimitPerMinute, perCallerPerMinute: config.rateLimitPerMinute });

  await fastify.register(errors);
  await fastify.register(shutdown);
  await fastify.register(metrics, { metrics: services.metrics });
  await fastify.register(callers, { callers: services.callers, publicCaller: config.publicCaller });
  await fastify.register(idempotency, { idempotency: services.idempotency });
  await fastify.register(ledger, { ledger: services.ledger });
  await fastify.register(uploads, services.uploads ? { uploads: services.uploads } : { database: services.database });
  fastify.decorate(
    'monitorIndex',
    new LimitedIndex(services.index ?? new MonitorIndex(config.monitorUrl, config.monitorToken, config.monitorTokenFile), {
      perCaller: config.indexQueriesPerCaller,
      total: config.indexQueriesTotal,
    }),
  );
  await fastify.register(authentication);

  await fastify.register(operations, { token: () => config.monitorToken ?? ownerSecret(config.monitorTokenFile) });
  await fastify.register(consoleFiles, { dir: config.consoleDir });
  for (const resource of RESOURCES) await fastify.register(resource);
  fastify.refuseOtherMethods();
}

const gatewayApp = fp(serviceApp, { name: 'regchain-gateway' });
export default gatewayApp;

/** A Fastify instance with the app registered, for the server and for tests driving it through inject. */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(services.config)).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(gatewayApp, { services });
  return app;
}
