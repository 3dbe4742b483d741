// The REST gateway and the monitor as the local network's own processes: started in the background, stopped by PID.
import * as path from 'node:path';
import { until } from '@regchain/common';
import { NetworkError, log } from './log';
import { logFile, REPO_ROOT } from './paths';
import { httpGet, isRunning, readPid, startProcess } from './process';
import { GATEWAY_PORT, MONITOR_PORT } from './topology';

/** Starts a service of the repository in the background and waits until `probe` answers 200. */
async function startService(name: 'gateway' | 'monitor', script: string, url: string, probe: string): Promise<boolean> {
  if (isRunning(readPid(name))) {
    log.done(`${name} already running at ${url}`);
    return false;
  }
  const env = { ...(process.env as Record<string, string>) };
  startProcess({ name, command: process.execPath, args: [require.resolve('tsx/cli'), path.join(REPO_ROOT, script)], env, cwd: REPO_ROOT });
  const started = await until(
    async () => {
      try {
        if ((await httpGet(`${url}${probe}`)).status === 200) return true;
      } catch {
        // not listening yet
      }
      return isRunning(readPid(name)) ? undefined : false;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  if (!started) throw new NetworkError(`the ${name} did not start; read ${logFile(name)}`);
  return true;
}

export async function startGateway(): Promise<void> {
  const url = `http://${process.env.REGCHAIN_GATEWAY_HOST ?? '127.0.0.1'}:${process.env.REGCHAIN_GATEWAY_PORT ?? GATEWAY_PORT}`;
  if (await startService('gateway', 'gateway/src/server.ts', url, '/health')) log.done(`gateway listening at ${url} (API docs ${url}/docs)`);
}

/** The monitor: follows the chain into its index and raises pattern alerts (its status at /status). */
export async function startMonitor(): Promise<void> {
  const url = `http://${process.env.REGCHAIN_MONITOR_HOST ?? '127.0.0.1'}:${process.env.REGCHAIN_MONITOR_PORT ?? MONITOR_PORT}`;
  if (await startService('monitor', 'monitor/src/server.ts', url, '/health'))
    log.done(`monitor following the chain (health ${url}/health; status ${url}/status with the operations token)`);
}
