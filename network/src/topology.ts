// The one network definition both runtimes (native processes and Docker Compose) are built from.
import { portOffset } from '@regchain/common/node';

export const FABRIC_VERSION = '3.1.5';
export const FABRIC_CA_VERSION = '1.5.21';
export { CHAINCODE_NAME, CHANNEL } from '@regchain/common';
/**
 * Chaincode endorsement policy, look-through supervision: the regulator's peer endorses every write, with a
 * bank or an enterprise, so two regulated members cannot write anything without it. The auditor only commits.
 */
export const ENDORSEMENT_POLICY = "AND('RegulatorMSP.peer',OutOf(1,'BankMSP.peer','EnterpriseMSP.peer'))";
export const HOST = '127.0.0.1';
/** Name every client dials: matches the TLS SANs and avoids Node's warning about IPs as server names. */
export const DIAL_HOST = 'localhost';

/**
 * How nodes address each other. `one-host` (native, and Docker on the host network): every node listens on
 * 127.0.0.1 and dials `localhost`. `hosts` (each organisation on a host of its own, see network/src/docker/hosts.ts):
 * each node listens on all of its host's interfaces and dials the others by name (`peer0.bank.regchain.local`),
 * which only the organisations' shared network resolves; the machine reaches them on published ports.
 */
export type Layout = 'one-host' | 'hosts';
export const layout = (): Layout => (process.env.REGCHAIN_LAYOUT === 'hosts' ? 'hosts' : 'one-host');
/** Where a node listens. */
export const listenHost = (): string => (layout() === 'hosts' ? '0.0.0.0' : HOST);
/** How another node dials a node by its host name (its TLS certificate's common name). */
export const nodeAddress = (hostName: string): string => (layout() === 'hosts' ? hostName : DIAL_HOST);

/** Added to every port (see `portOffset`), so `npm test`'s network runs beside `npm start`'s. */
export const PORT_OFFSET = portOffset();

const at = (port: number): number => port + PORT_OFFSET;

export const GATEWAY_PORT = at(3000);
export const MONITOR_PORT = at(3100);

export interface Orderer {
  readonly name: string;
  readonly port: number;
  readonly adminPort: number;
  readonly opsPort: number;
}

export interface UserSpec {
  readonly name: string;
  readonly role: 'regulator' | 'bank' | 'enterprise' | 'auditor';
  /** Unified social credit code of the entity the user acts for. */
  readonly entityId: string;
  /** A service's identity (the monitor's): enrolled like a user, never made a gateway caller. */
  readonly service?: boolean;
}

export interface PeerPorts {
  readonly port: number;
  readonly chaincodePort: number;
  readonly opsPort: number;
}

export interface PeerOrg {
  /** Short lower-case name used for folders, process names and CLI arguments. */
  readonly key: 'regulator' | 'bank' | 'enterprise' | 'auditor';
  readonly mspId: string;
  readonly domain: string;
  /** Whether the org's peers endorse chaincode transactions (the auditor's do not). */
  readonly endorses: boolean;
  /** The org's peers; the first is its anchor peer. */
  readonly peers: readonly PeerPorts[];
  readonly ca: { readonly port: number; readonly opsPort: number };
  /**
   * The org's own chaincode service, which only its peers dial: each org endorses with a process it runs, so
   * the policy's independent endorsements are computed independently, and one org's dead service stops no other.
   */
  readonly chaincode: { readonly port: number };
  /** Users the network enrols from the org's CA on first start. */
  readonly users: readonly UserSpec[];
}

export const ORDERER_ORG = { mspId: 'OrdererMSP', domain: 'orderer.regchain.local' } as const;

export const ORDERERS: readonly Orderer[] = [
  { name: 'orderer0', port: at(7050), adminPort: at(7053), opsPort: at(9441) },
  { name: 'orderer1', port: at(7150), adminPort: at(7153), opsPort: at(9442) },
  { name: 'orderer2', port: at(7250), adminPort: at(7253), opsPort: at(9443) },
];

export const PEER_ORGS: readonly PeerOrg[] = [
  {
    key: 'regulator',
    mspId: 'RegulatorMSP',
    domain: 'regulator.regchain.local',
    endorses: true,
    // Every write needs the regulator's endorsement, so it runs two peers: losing one stops nothing.
    peers: [
      { port: at(7051), chaincodePort: at(7052), opsPort: at(9444) },
      { port: at(7151), chaincodePort: at(7152), opsPort: at(9448) },
    ],
    ca: { port: at(7054), opsPort: at(9454) },
    chaincode: { port: at(9999) },
    users: [
      { name: 'regulator1', role: 'regulator', entityId: '91500000MA5U0REG1L' },
      // The monitor raises pattern alerts with the regulator's authority, under an identity of its own.
      { name: 'monitor1', role: 'regulator', entityId: '91500000MA5U0REG1L', service: true },
    ],
  },
  {
    key: 'bank',
    mspId: 'BankMSP',
    domain: 'bank.regchain.local',
    endorses: true,
    peers: [{ port: at(8051), chaincodePort: at(8052), opsPort: at(9445) }],
    ca: { port: at(8054), opsPort: at(9455) },
    chaincode: { port: at(9998) },
    users: [{ name: 'bank1', role: 'bank', entityId: '91500000MA5U0BNK10' }],
  },
  {
    key: 'enterprise',
    mspId: 'EnterpriseMSP',
    domain: 'enterprise.regchain.local',
    endorses: true,
    peers: [{ port: at(9051), chaincodePort: at(9052), opsPort: at(9446) }],
    ca: { port: at(9054), opsPort: at(9456) },
    chaincode: { port: at(9997) },
    users: [{ name: 'enterprise1', role: 'enterprise', entityId: '91500000MA5U0ENT1W' }],
  },
  {
    key: 'auditor',
    mspId: 'AuditorMSP',
    domain: 'auditor.regchain.local',
    endorses: false,
    peers: [{ port: at(10051), chaincodePort: at(10052), opsPort: at(9447) }],
    ca: { port: at(10054), opsPort: at(9457) },
    chaincode: { port: at(9996) },
    users: [{ name: 'auditor1', role: 'auditor', entityId: '91500000MA5U0AUD1Y' }],
  },
];

/** One peer process: its org, its place among the org's peers (0 is the anchor), host and process names. */
export interface PeerNode extends PeerPorts {
  readonly org: PeerOrg;
  readonly index: number;
  /** Host name in its certificates, e.g. peer1.regulator.regchain.local. */
  readonly host: string;
  /** Process, env file and data folder name: peer-regulator for the anchor, peer1-regulator for the next. */
  readonly process: string;
}

export const PEERS: readonly PeerNode[] = PEER_ORGS.flatMap((org) =>
  org.peers.map((ports, index) => ({
    ...ports,
    org,
    index,
    host: `peer${index}.${org.domain}`,
    process: index === 0 ? `peer-${org.key}` : `peer${index}-${org.key}`,
  })),
);

/** The org's first peer: its anchor, and where its admin's CLI commands go. */
export function anchorPeer(org: PeerOrg): PeerNode {
  const node = PEERS.find((p) => p.org.key === org.key && p.index === 0);
  if (!node) throw new Error(`${org.mspId} has no peer`);
  return node;
}

export type ProcessKind = 'orderer' | 'peer' | 'ca' | 'chaincode';

/** A long-running process of the network, with the ports it owns and how to tell it is healthy. */
export interface NodeProcess {
  readonly name: string;
  readonly kind: ProcessKind;
  readonly ports: readonly { readonly port: number; readonly use: string }[];
  /** HTTP URL answering 200 when healthy, or undefined when only the listen port can be probed. */
  readonly healthUrl?: string;
}

export const caName = (org: PeerOrg): string => `ca-${org.key}`;
/** The process (and compose service) of an org's chaincode service. */
export const chaincodeName = (org: PeerOrg): string => `chaincode-${org.key}`;
export const ordererHost = (o: Orderer): string => `${o.name}.${ORDERER_ORG.domain}`;
/** Host names of an org's chaincode service and CA (their TLS certificates' common names). */
export const chaincodeHost = (org: PeerOrg): string => `chaincode.${org.domain}`;
export const caHost = (org: PeerOrg): string => `ca.${org.domain}`;

export function orgByKey(key: string): PeerOrg {
  const org = PEER_ORGS.find((o) => o.key === key);
  if (!org) throw new Error(`unknown org "${key}"; expected one of ${PEER_ORGS.map((o) => o.key).join(', ')}`);
  return org;
}

/** Every process the network runs, in start order. */
export function networkProcesses(): NodeProcess[] {
  const cas: NodeProcess[] = PEER_ORGS.map((org) => ({
    name: caName(org),
    kind: 'ca',
    ports: [
      { port: org.ca.port, use: `${caName(org)} listen` },
      { port: org.ca.opsPort, use: `${caName(org)} operations` },
    ],
    healthUrl: `http://${HOST}:${org.ca.opsPort}/healthz`,
  }));
  const orderers: NodeProcess[] = ORDERERS.map((o) => ({
    name: o.name,
    kind: 'orderer',
    ports: [
      { port: o.port, use: `${o.name} listen` },
      { port: o.adminPort, use: `${o.name} admin` },
      { port: o.opsPort, use: `${o.name} operations` },
    ],
    healthUrl: `http://${HOST}:${o.opsPort}/healthz`,
  }));
  const peers: NodeProcess[] = PEERS.map((p) => ({
    name: p.process,
    kind: 'peer',
    ports: [
      { port: p.port, use: `${p.process} listen` },
      { port: p.chaincodePort, use: `${p.process} chaincode listen` },
      { port: p.opsPort, use: `${p.process} operations` },
    ],
    healthUrl: `http://${HOST}:${p.opsPort}/healthz`,
  }));
  const chaincode: NodeProcess[] = PEER_ORGS.map((org) => ({
    name: chaincodeName(org),
    kind: 'chaincode',
    ports: [{ port: org.chaincode.port, use: `${org.mspId}'s chaincode service` }],
  }));
  return [...cas, ...orderers, ...peers, ...chaincode];
}
