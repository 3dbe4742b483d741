// Where runtime state lives: one ignored folder per checkout, and a binary cache outside the repo.
import * as os from 'node:os';
import * as path from 'node:path';
import { stateDir, stateLayout } from '@regchain/common/node';
import { FABRIC_CA_VERSION, FABRIC_VERSION, type PeerNode, type PeerOrg, ORDERER_ORG, type Orderer, ordererHost } from './topology';

export { REPO_ROOT } from '@regchain/common/node';

/** Everything a running network writes: crypto, ledgers, logs, PID files. Never in git. */
export const STATE_DIR = stateDir();
/** The parts of the state folder the gateway reads too. */
export const shared = stateLayout(STATE_DIR);

export const dirs = {
  state: STATE_DIR,
  crypto: path.join(STATE_DIR, 'crypto'),
  config: path.join(STATE_DIR, 'config'),
  env: path.join(STATE_DIR, 'env'),
  data: path.join(STATE_DIR, 'data'),
  logs: shared.logs,
  pids: shared.pids,
  users: path.join(STATE_DIR, 'users'),
  chaincode: path.join(STATE_DIR, 'chaincode'),
  /**
   * What travels between organisations: each org's public MSP definition (its CA and TLS CA roots and NodeOU
   * settings) and the orderers' public TLS certificates. The channel's configuration is built from these alone.
   */
  exchange: path.join(STATE_DIR, 'exchange'),
};

/** An org's public MSP definition, as it hands it to the others. */
export const publicMspDir = (mspId: string): string => path.join(dirs.exchange, mspId, 'msp');
/** An orderer's public TLS certificate, as its org hands it to the channel's other consenters. */
export const publicConsenterCert = (o: Orderer): string => path.join(dirs.exchange, ORDERER_ORG.mspId, 'consenters', `${ordererHost(o)}.crt`);

export const genesisBlock = (): string => shared.genesisBlock;
export const logFile = (name: string): string => path.join(dirs.logs, `${name}.log`);
export const pidFile = (name: string): string => path.join(dirs.pids, `${name}.pid`);
export const envFile = (name: string): string => path.join(dirs.env, `${name}.env`);

/** Binary cache keyed by the pinned versions, so a second install is instant. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'regchain', `fabric-${FABRIC_VERSION}-ca-${FABRIC_CA_VERSION}`);
}

export const ordererOrgDir = (): string => path.join(dirs.crypto, 'ordererOrganizations', ORDERER_ORG.domain);
export const ordererDir = (o: Orderer): string => path.join(ordererOrgDir(), 'orderers', ordererHost(o));
export const ordererAdminDir = (): string => path.join(ordererOrgDir(), 'users', `Admin@${ORDERER_ORG.domain}`);
/** TLS root every client uses to reach the orderers. */
export const ordererTlsCa = (): string => path.join(ordererOrgDir(), 'tlsca', `tlsca.${ORDERER_ORG.domain}-cert.pem`);

export const peerOrgDir = (org: PeerOrg): string => path.join(dirs.crypto, 'peerOrganizations', org.domain);
export const peerDir = (node: PeerNode): string => path.join(peerOrgDir(node.org), 'peers', node.host);
export const peerAdminDir = (org: PeerOrg): string => path.join(peerOrgDir(org), 'users', `Admin@${org.domain}`);
export const peerTlsCa = (org: PeerOrg): string => path.join(peerOrgDir(org), 'tlsca', `tlsca.${org.domain}-cert.pem`);
export const orgCaCert = (org: PeerOrg): string => path.join(peerOrgDir(org), 'ca', `ca.${org.domain}-cert.pem`);
/** TLS server certificate of the org's fabric-ca-server (a cryptogen node named "ca"). */
export const caTlsDir = (org: PeerOrg): string => path.join(peerOrgDir(org), 'peers', `ca.${org.domain}`, 'tls');
export const caHome = (org: PeerOrg): string => path.join(dirs.data, `ca-${org.key}`);
export const userDir = (org: PeerOrg, user: string): string => path.join(dirs.users, org.key, user);
