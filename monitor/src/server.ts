// npm run monitor: follows the chain into the index, runs the detectors, raises pattern alerts; answers its
// status (checkpoint, lag, counts) on GET /status, and history-wide traces, counterparties and statistics from the
// index on GET /traces, /counterparties and /statistics. Those answer only the gateway, which presents the token in
// the state folder's secrets and decides who may ask what (the monitor knows no callers). Settings from the
// environment; the defaults are the local network's layout (REGCHAIN_HOME).
import { ownerSecret, portOffset, sameSecret, stateDir, stateLayout } from '@regchain/common';
import * as http from 'node:http';
import pino from 'pino';
import { fabricEvents, fabricRaiser, FabricLink, parametersFromChain } from './fabric';
import { Monitor } from './follower';
import { pageOf } from '../../chaincode/src/domain/trace';
import { traceFromIndex, type TraceRequest } from './queries';
import { Store } from './store';

export interface MonitorConfig {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly profile: string;
  readonly mspId: string;
  readonly mspDir: string;
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  /** The token index queries must present (the gateway's); else read from, or created in, tokenFile. */
  readonly token: string | undefined;
  readonly tokenFile: string;
}

class QueryError extends Error {}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Index queries the monitor runs at once; the gateway limits callers before they get here. */
const MAX_QUERIES_IN_FLIGHT = 4;

function accountOf(q: URLSearchParams): string {
  const account = q.get('accountId') ?? '';
  if (!ID.test(account)) throw new QueryError('accountId: letters, digits, dot, dash, underscore; at most 64');
  return account;
}

function intOf(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = q.get(name);
  if (text === null) return fallback;
  const n = /^[0-9]{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new QueryError(`${name}: a whole number from ${min} to ${max}`);
  return n;
}

function timesOf(q: URLSearchParams): { fromTime: number; toTime: number } {
  const at = (name: string, fallback: number): number => {
    const text = q.get(name);
    if (text === null) return fallback;
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) throw new QueryError(`${name}: an ISO 8601 time`);
    return Math.floor(ms / 1000);
  };
  return { fromTime: at('fromTime', 0), toTime: at('toTime', 253402300799) };
}

function traceRequest(q: URLSearchParams): TraceRequest {
  const direction = q.get('direction') ?? 'forward';
  if (direction !== 'forward' && direction !== 'backward') throw new QueryError('direction: forward or backward');
  return {
    start: accountOf(q),
    direction,
    depth: intOf(q, 'depth', 3, 1, 10),
    ...timesOf(q),
    maxNodes: intOf(q, 'maxNodes', 200, 1, 10_000),
    maxEdges: intOf(q, 'maxEdges', 1000, 1, 100_000),
    startTime: q.has('startTime') ? intOf(q, 'startTime', 0, 0, 253402300799) : undefined,
  };
}

export function monitorConfig(env: NodeJS.ProcessEnv = process.env): MonitorConfig {
  const local = stateLayout(stateDir(env));
  return {
    databaseUrl: env.REGCHAIN_MONITOR_DATABASE_URL || undefined,
    dataDir: env.REGCHAIN_MONITOR_DATA ?? local.monitorData,
    profile: env.REGCHAIN_MONITOR_PROFILE ?? local.networkProfile,
    mspId: env.REGCHAIN_MONITOR_MSP_ID ?? 'RegulatorMSP',
    mspDir: env.REGCHAIN_MONITOR_MSP ?? local.monitorMsp,
    host: env.REGCHAIN_MONITOR_HOST ?? '127.0.0.1',
    port: Number(env.REGCHAIN_MONITOR_PORT ?? 3100 + portOffset(env.REGCHAIN_PORT_OFFSET)),
    logLevel: env.REGCHAIN_MONITOR_LOG_LEVEL ?? 'info',
    token: env.REGCHAIN_MONITOR_TOKEN || undefined,
    tokenFile: env.REGCHAIN_MONITOR_TOKEN_FILE ?? local.monitorToken,
  };
}

export async function startMonitor(config: MonitorConfig): Promise<{ close: () => Promise<void>; url: string }> {
  const log = pino({ name: 'regchain-monitor', level: config.logLevel });
  const token = config.token ?? ownerSecret(config.tokenFile);
  const store = await Store.open({ url: config.databaseUrl, dir: config.dataDir });
  const link = new FabricLink({ profile: config.profile, mspId: config.mspId, mspDir: config.mspDir });
  const monitor = new Monitor({
    store,
    source: fabricEvents(link, (err) => log.warn({ err: err.message, peer: link.peer }, 'event stream broke; resuming on the next peer')),
    raise: fabricRaiser(link),
    parameters: parametersFromChain(link),
    log,
  });
  const stop = new AbortController();
  const running = monitor.run(stop.signal).catch((err: unknown) => log.error({ err: (err as Error).message }, 'monitor stopped'));
  const asOfBlock = async (): Promise<number | null> => {
    const c = await store.checkpoint();
    return c ? Number(c.block) : null;
  };
  const routes: Record<string, (q: URLSearchParams) => Promise<unknown>> = {
    '/health': async () => ({ status: 'ok' }),
    '/status': async () => {
      const status = await store.status();
      const height = await link.height().catch(() => undefined);
      const indexed = status.checkpoint ? status.checkpoint.block + 1n : 0n;
      return {
        ...status,
        checkpoint: status.checkpoint && { block: Number(status.checkpoint.block), txId: status.checkpoint.txId },
        chainHeight: height === undefined ? null : Number(height),
        // Blocks committed on the chain the index has not reached.
        behindBlocks: height === undefined ? null : Number(height > indexed ? height - indexed : 0n),
        parametersVersion: monitor.parametersVersion,
      };
    },
    '/traces': async (q) => {
      const trace = await traceFromIndex(store, traceRequest(q));
      const page = pageOf(trace, intOf(q, 'bookmark', 0, 0, 999_999), intOf(q, 'pageSize', 100, 1, 1000));
      return { ...page, source: 'index', asOfBlock: await asOfBlock() };
    },
    '/counterparties': async (q) => {
      const account = accountOf(q);
      const { fromTime, toTime } = timesOf(q);
      const limit = intOf(q, 'limit', 100, 1, 1000);
      return { account, counterparties: await store.counterparties(account, fromTime, toTime, limit), source: 'index', asOfBlock: await asOfBlock() };
    },
    '/statistics': async (q) => ({ ...(await store.statistics(intOf(q, 'days', 90, 1, 3660))), source: 'index', asOfBlock: await asOfBlock() }),
  };
  /**
   * Health is public; the status (counts, the last transaction, lag) is telemetry for operators, and the rest
   * is the index's content for the gateway: both take the monitor token.
   */
  const open = new Set(['/health']);
  // The index answers on the monitor's one thread, beside its following of the chain: a few queries at a time.
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://monitor');
    const route = routes[url.pathname];
    const send = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET' || !route) return send(404, { code: 'NOT_FOUND', message: `GET ${Object.keys(routes).join(', ')}` });
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!open.has(url.pathname) && !(presented && sameSecret(presented, token)))
      return send(401, { code: 'UNAUTHENTICATED', message: 'status and index queries answer operators and the gateway only (Bearer: the monitor token)' });
    if (!open.has(url.pathname) && url.pathname !== '/status' && inFlight >= MAX_QUERIES_IN_FLIGHT) {
      res.setHeader('retry-after', '2');
      return send(503, { code: 'INDEX_BUSY', message: `${MAX_QUERIES_IN_FLIGHT} index queries are running; retry shortly` });
    }
    inFlight += 1;
    route(url.searchParams)
      .finally(() => {
        inFlight -= 1;
      })
      .then(
        (body) => send(200, body),
        (err: unknown) => {
          if (err instanceof QueryError) {
            log.info({ err, path: url.pathname }, 'index query refused');
            return send(400, { code: 'VALIDATION_FAILED', message: err.message });
          }
          // The answer hides it; the log keeps it, with its stack, for whoever reviews the monitor.
          log.error({ err, path: url.pathname }, 'index query failed');
          return send(500, { code: 'INTERNAL', message: 'internal error' });
        },
      );
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const url = `http://${config.host}:${(server.address() as { port: number }).port}`;
  log.info({ url: `${url}/status`, database: config.databaseUrl ? 'postgresql' : config.dataDir }, 'monitor started');
  return {
    url,
    close: async () => {
      stop.abort();
      await running;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      link.close();
      await store.close();
    },
  };
}

if (require.main === module) {
  startMonitor(monitorConfig())
    .then(({ close }) => {
      const shutdown = (): void => void close().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    })
    .catch((err: unknown) => {
      process.stderr.write(`monitor: ${(err as Error).message}\n`);
      process.exit(1);
    });
}
