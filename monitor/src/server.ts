// npm run monitor: follows the chain into the index, runs the detectors, raises pattern alerts; answers its
// status (checkpoint, lag, counts) on GET /status, and history-wide traces, counterparties and statistics from the
// index on GET /traces, /counterparties and /statistics. Those answer only the gateway, which presents the token in
// the state folder's secrets and decides who may ask what (the monitor knows no callers). Settings from the
// environment; the defaults are the local network's layout (REGCHAIN_HOME).
import { LOG_LEVELS, ownerSecret, PortSetting, readSettings, stateDir, stateLayout, WholeSetting, WordSetting } from '@regchain/common/node';
import { Type } from '@sinclair/typebox';
import pino from 'pino';
import { type Deadlines, DeadlineSettings, deadlinesOf } from '@regchain/fabric';
import { fabricEvents, fabricLateReporting, fabricRaiser, FabricLink, parametersFromChain } from './fabric';
import { Monitor } from './follower';
import { monitorApp } from './http';
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
  /** How long each step of a transaction may take at the peers and orderers. */
  readonly deadlines: Deadlines;
}

/** The numbers and words the monitor reads from the environment, each with its rule. */
export const MonitorSettings = Type.Object({
  ...DeadlineSettings.properties,
  REGCHAIN_MONITOR_PORT: PortSetting('the monitor’s port'),
  REGCHAIN_MONITOR_LOG_LEVEL: WordSetting(LOG_LEVELS, 'the log level'),
  REGCHAIN_PORT_OFFSET: WholeSetting(0, 50_000, 'added to every default port (a test network beside npm start’s)'),
});

/** The monitor's settings: the environment's, checked (a bad value stops the start, naming the variable), over the defaults. */
export function monitorConfig(env: NodeJS.ProcessEnv = process.env): MonitorConfig {
  const local = stateLayout(stateDir(env));
  const s = readSettings(MonitorSettings, env);
  return {
    databaseUrl: env.REGCHAIN_MONITOR_DATABASE_URL || undefined,
    dataDir: env.REGCHAIN_MONITOR_DATA ?? local.monitorData,
    profile: env.REGCHAIN_MONITOR_PROFILE ?? local.networkProfile,
    mspId: env.REGCHAIN_MONITOR_MSP_ID ?? 'RegulatorMSP',
    mspDir: env.REGCHAIN_MONITOR_MSP ?? local.monitorMsp,
    host: env.REGCHAIN_MONITOR_HOST ?? '127.0.0.1',
    port: s.REGCHAIN_MONITOR_PORT ?? 3100 + (s.REGCHAIN_PORT_OFFSET ?? 0),
    logLevel: s.REGCHAIN_MONITOR_LOG_LEVEL ?? 'info',
    token: env.REGCHAIN_MONITOR_TOKEN || undefined,
    tokenFile: env.REGCHAIN_MONITOR_TOKEN_FILE ?? local.monitorToken,
    deadlines: deadlinesOf(s),
  };
}

export async function startMonitor(config: MonitorConfig): Promise<{ close: () => Promise<void>; url: string }> {
  const log = pino({ name: 'regchain-monitor', level: config.logLevel });
  const token = config.token ?? ownerSecret(config.tokenFile);
  const store = await Store.open({ url: config.databaseUrl, dir: config.dataDir });
  const link = new FabricLink({ profile: config.profile, mspId: config.mspId, mspDir: config.mspDir, deadlines: config.deadlines });
  const monitor = new Monitor({
    store,
    source: fabricEvents(link, (err) => log.warn({ err: err.message, peer: link.peer }, 'event stream broke; resuming on the next peer')),
    raise: fabricRaiser(link),
    parameters: parametersFromChain(link),
    late: fabricLateReporting(link),
    log,
  });
  const stop = new AbortController();
  const running = monitor.run(stop.signal).catch((err: unknown) => log.error({ err: (err as Error).message }, 'monitor stopped'));
  const app = monitorApp({
    store,
    chainHeight: () => link.height(),
    parametersVersion: () => monitor.parametersVersion,
    token,
    logger: log,
  });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host}:${(app.server.address() as { port: number }).port}`;
  log.info({ url: `${url}/status`, database: config.databaseUrl ? 'postgresql' : config.dataDir }, 'monitor started');
  return {
    url,
    close: async () => {
      stop.abort();
      await running;
      await app.close();
      link.close();
      await store.close();
    },
  };
}

if (require.main === module) {
  Promise.resolve()
    .then(() => startMonitor(monitorConfig()))
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
