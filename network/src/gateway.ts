// The REST gateway as one of the local network's processes: started in the background, stopped by PID.
import * as path from 'node:path';
import { sleep } from '@regchain/common';
import { NetworkError, log } from './log';
import { logFile, REPO_ROOT } from './paths';
import { httpGet, isRunning, readPid, startProcess } from './process';
import { GATEWAY_PORT } from './topology';

export async function startGateway(): Promise<void> {
  const url = `http://${process.env.REGCHAIN_GATEWAY_HOST ?? '127.0.0.1'}:${process.env.REGCHAIN_GATEWAY_PORT ?? GATEWAY_PORT}`;
  if (isRunning(readPid('gateway'))) {
    log.done(`gateway already running at ${url}`);
    return;
  }
  startProcess({
    name: 'gateway',
    command: process.execPath,
    args: [require.resolve('tsx/cli'), path.join(REPO_ROOT, 'gateway', 'src', 'server.ts')],
    env: { ...(process.env as Record<string, string>) },
    cwd: REPO_ROOT,
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await httpGet(`${url}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || !isRunning(readPid('gateway'))) throw new NetworkError(`the gateway did not start; read ${logFile('gateway')}`);
    await sleep(200);
  }
  log.done(`gateway listening at ${url} (API docs ${url}/docs)`);
}
