// The gateway the benchmarks measure: on the network `npm start` runs (brought up if it is not), in this
// process, listening on a free port, with rate limits lifted and quiet logs; the local users' API keys.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../gateway/src/app';
import { loadConfig } from '../gateway/src/config';
import { bootstrapCallers } from '../gateway/src/fabric/bootstrap';
import { createServices } from '../gateway/src/services';
import { up } from '../network/src/network';

export interface BenchGateway {
  readonly url: string;
  readonly keys: Record<string, string>;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function benchGateway(name: string): Promise<BenchGateway> {
  process.env.REGCHAIN_QUIET = '1';
  await up();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `regchain-bench-${name}-`));
  const services = createServices({
    ...loadConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME, REGCHAIN_PORT_OFFSET: process.env.REGCHAIN_PORT_OFFSET }),
    dataDir,
    secret: 'bench',
    logLevel: 'silent',
    rateLimitPerMinute: 10_000_000,
    addressRateLimitPerMinute: 10_000_000,
    bodyLimit: 4 * 1024 * 1024,
  });
  const keys = await bootstrapCallers(services.config, services.callers);
  const app = await buildApp(services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    keys,
    dataDir,
    close: async () => {
      await app.close();
      await services.close();
    },
  };
}
