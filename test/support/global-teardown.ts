// Stops the network after the integration suites if they started it (kept with REGCHAIN_KEEP_NETWORK=1).
import * as fs from 'node:fs';
import { down } from '../../network/src/network';
import { runtimeByName } from '../../network/src/runtime';
import { OWNED_MARKER } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  if (!fs.existsSync(OWNED_MARKER) || process.env.REGCHAIN_KEEP_NETWORK === '1') return;
  const runtime = runtimeByName(fs.readFileSync(OWNED_MARKER, 'utf8').trim());
  fs.rmSync(OWNED_MARKER, { force: true });
  await down({ purge: false, runtime });
}
