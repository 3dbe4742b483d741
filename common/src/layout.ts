// The local installation's conventions both the network tooling and the gateway read: the state folder and
// what lies where in it, and the port offset. A gateway for another network is configured instead
// (connection profile, settings); these are only its defaults.
import * as path from 'node:path';
import { CHANNEL } from './events';

/** The repository: from common/src (tsx, jest) and common/dist (built) alike, two levels up. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Added to every port, so a second network runs beside the first: `npm test` puts its own under
 * REGCHAIN_PORT_OFFSET=20000 (and its own REGCHAIN_HOME), and a developer's `npm start` keeps answering.
 */
export function portOffset(value: string | undefined = process.env.REGCHAIN_PORT_OFFSET): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50_000) throw new Error(`REGCHAIN_PORT_OFFSET must be a whole number from 0 to 50000, not "${value}"`);
  return n;
}

/** Everything a running network writes: crypto, ledgers, logs, PID files, the gateway's store. Never in git. */
export const stateDir = (env: NodeJS.ProcessEnv = process.env): string => path.resolve(env.REGCHAIN_HOME ?? path.join(REPO_ROOT, '.regchain'));

/** Where things are under a state folder. */
export function stateLayout(home: string) {
  return {
    home,
    /** Connection profiles: `network.json` for the whole network, `<org>.json` per org. */
    profiles: path.join(home, 'profiles'),
    networkProfile: path.join(home, 'profiles', 'network.json'),
    /** The network's users (MSP id, name, role, entity), for the gateway to create callers for. */
    users: path.join(home, 'profiles', 'users.json'),
    /** Every peer, orderer and CA with its operations health URL, for the gateway's network page. */
    nodes: path.join(home, 'profiles', 'nodes.json'),
    genesisBlock: path.join(home, 'config', `${CHANNEL}.block`),
    /** One MSP folder per org (named by MSP id) of the identity that registers and revokes at the org's CA. */
    registrars: path.join(home, 'registrars'),
    /** The Fabric binaries the network runs on (a link to the installed release). */
    bin: path.join(home, 'bin'),
    gatewayData: path.join(home, 'gateway'),
    /** The monitor's embedded index (PGlite), and the MSP folder of its identity (the regulator's monitor1). */
    monitorData: path.join(home, 'monitor'),
    monitorMsp: path.join(home, 'users', 'regulator', 'monitor1', 'msp'),
    vaultKey: path.join(home, 'secrets', 'vault.key'),
    /** The token the gateway presents to the monitor's index queries. */
    monitorToken: path.join(home, 'secrets', 'monitor.token'),
    logs: path.join(home, 'logs'),
    pids: path.join(home, 'pids'),
  };
}
