// Brings the real network up once for the integration suites, or reuses a healthy one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { up } from '../../network/src/network';
import { STATE_DIR } from '../../network/src/paths';
import { selectRuntime } from './runtime';

export const OWNED_MARKER = path.join(STATE_DIR, 'started-by-tests');

export default async function globalSetup(): Promise<void> {
  const runtime = await selectRuntime();
  const t0 = Date.now();
  const report = await up({ runtime });
  process.stderr.write(`\nregchain network (${runtime.name}) ${report.alreadyRunning ? 'reused' : `started in ${((Date.now() - t0) / 1000).toFixed(1)} s`}\n`);
  // Only a network these tests started is stopped after them; a developer's running network is left alone.
  if (!report.alreadyRunning) fs.writeFileSync(OWNED_MARKER, runtime.name);
}
