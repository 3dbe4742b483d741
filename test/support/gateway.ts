// The gateway's services as an integration suite builds them: the suite's network (REGCHAIN_HOME), its own
// store and vault key in `dataDir`, quiet logs (REGCHAIN_SUITE_LOG_LEVEL=warn to read them), and rate limits lifted (suites send far above a caller's pace).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GatewayConfig, loadConfig } from '../../gateway/src/config';
import { createServices } from '../../gateway/src/services';
import { ensureFabric } from '../../network/src/binaries';
import { registerAndEnroll } from '../../network/src/ca';
import { orgByKey } from '../../network/src/topology';

export function suiteServices(dataDir: string, overrides: Partial<GatewayConfig> = {}): ReturnType<typeof createServices> {
  return createServices({
    ...loadConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME, REGCHAIN_PORT_OFFSET: process.env.REGCHAIN_PORT_OFFSET }),
    dataDir,
    secret: 'suite-secret',
    secretFile: path.join(dataDir, 'vault.key'),
    logLevel: process.env.REGCHAIN_SUITE_LOG_LEVEL ?? 'silent',
    rateLimitPerMinute: 1_000_000,
    addressRateLimitPerMinute: 1_000_000,
    ...overrides,
  });
}

/**
 * Enrols a further member at its org's CA (a neighbour a hostile member would go after) and gives it a
 * custodial identity and an API key at the gateway; answers the key.
 */
export async function addMember(
  services: ReturnType<typeof createServices>,
  member: { name: string; org: 'bank' | 'enterprise'; entityId: string },
): Promise<string> {
  const fabric = await ensureFabric();
  const org = orgByKey(member.org);
  const enrolled = await registerAndEnroll(fabric, org, { name: member.name, role: member.org, entityId: member.entityId });
  const added = await services.callers.add({
    id: member.name,
    mspId: org.mspId,
    role: member.org,
    entityId: member.entityId,
    certificate: fs.readFileSync(enrolled.certPath, 'utf8'),
    privateKey: fs.readFileSync(enrolled.keyPath, 'utf8'),
    withApiKey: true,
  });
  return added.apiKey as string;
}
