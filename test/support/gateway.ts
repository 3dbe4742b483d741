// The gateway's services as an integration suite builds them: the suite's network (REGCHAIN_HOME), its own
// store and vault key in `dataDir`, quiet logs, and rate limits lifted (suites send far above a caller's pace).
import * as path from 'node:path';
import { type GatewayConfig, loadConfig } from '../../gateway/src/config';
import { createServices } from '../../gateway/src/services';

export function suiteServices(dataDir: string, overrides: Partial<GatewayConfig> = {}): ReturnType<typeof createServices> {
  return createServices({
    ...loadConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME }),
    dataDir,
    secret: 'suite-secret',
    secretFile: path.join(dataDir, 'vault.key'),
    logLevel: 'silent',
    rateLimitPerMinute: 1_000_000,
    addressRateLimitPerMinute: 1_000_000,
    ...overrides,
  });
}
