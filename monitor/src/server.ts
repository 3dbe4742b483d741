// npm run monitor: follows the chain into the index, runs the detectors, raises pattern alerts; answers its
// status (checkpoint, lag, counts) on GET /status. Settings from the environment; the defaults are the local
// network's layout (REGCHAIN_HOME).
import { portOffset, stateDir, stateLayout } from '@regchain/common';
import * as http from 'node:http';
import pino from 'pino';
import { fabricEvents, fabricRaiser, FabricLink, parametersFromChain } from './fabric';
import { Monitor } from './follower';
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
  };
}

export async function startMonitor(config: MonitorConfig): Promise<{ close: () => Promise<void>; url: string }> {
  const log = pino({ name: 'regchain-monitor', level: config.logLevel });
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
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/status') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND', message: 'only GET /status' }));
      return;
    }
    void (async () => {
      const status = await store.status();
      const height = await link.height().catch(() => undefined);
      const indexed = status.checkpoint ? status.checkpoint.block + 1n : 0n;
      const body = {
        ...status,
        checkpoint: status.checkpoint && { block: Number(status.checkpoint.block), txId: status.checkpoint.txId },
        chainHeight: height === undefined ? null : Number(height),
        // Blocks committed on the chain the index has not reached.
        behindBlocks: height === undefined ? null : Number(height > indexed ? height - indexed : 0n),
        parametersVersion: monitor.parametersVersion,
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })().catch((err: unknown) => res.writeHead(500).end(JSON.stringify({ code: 'INTERNAL', message: (err as Error).message })));
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
