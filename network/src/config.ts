// Generates the network's configuration: crypto material, configtx.yaml over Fabric's sample, and one env file per process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { FabricInstall } from './binaries';
import { bootstrapSecret } from './ca';
import { run } from './exec';
import { log } from './log';
import {
  caHome,
  caTlsDir,
  dirs,
  envFile,
  genesisBlock,
  orgCaCert,
  ordererDir,
  ordererOrgDir,
  peerDir,
  peerOrgDir,
  publicConsenterCert,
  publicMspDir,
} from './paths';
import {
  CHANNEL,
  DIAL_HOST,
  HOST,
  ORDERER_ORG,
  ORDERERS,
  orgByKey,
  PEER_ORGS,
  type Orderer,
  type PeerNode,
  type PeerOrg,
  PEERS,
  anchorPeer,
  caName,
  listenHost,
  nodeAddress,
  ordererHost,
} from './topology';

const SANS = [DIAL_HOST, HOST];
export const PROFILE = 'Supervision';

/** Host name of the chaincode service's TLS certificate, issued under the regulator's TLS CA. */
/** An org's chaincode service's TLS key pair and root, issued by the org's own TLS CA. */
export const chaincodeTlsDir = (org: PeerOrg): string => path.join(peerOrgDir(org), 'peers', `chaincode.${org.domain}`, 'tls');

function cryptoConfig(): unknown {
  return {
    OrdererOrgs: [
      {
        Name: 'Orderer',
        Domain: ORDERER_ORG.domain,
        EnableNodeOUs: true,
        Specs: ORDERERS.map((o) => ({ Hostname: o.name, SANS })),
      },
    ],
    PeerOrgs: PEER_ORGS.map((org) => ({
      Name: org.mspId.replace(/MSP$/, ''),
      Domain: org.domain,
      EnableNodeOUs: true,
      // "ca" gets the TLS certificate of the org's fabric-ca-server; "chaincode" that of the chaincode service.
      Specs: [...org.peers.map((_, i) => ({ Hostname: `peer${i}`, SANS })), { Hostname: 'ca', SANS }, { Hostname: 'chaincode', SANS }],
      Users: { Count: 0 },
    })),
  };
}

/** Creates every org's keys and certificates once; later starts reuse them. */
export async function ensureCrypto(fabric: FabricInstall): Promise<boolean> {
  fs.mkdirSync(dirs.config, { recursive: true });
  const file = path.join(dirs.config, 'crypto-config.yaml');
  if (fs.existsSync(path.join(dirs.crypto, 'peerOrganizations')) && fs.existsSync(ordererOrgDir())) {
    // A network made before a peer (or an org's chaincode service) was added to the topology: issue the new
    // material from the same CAs.
    if (PEERS.every((p) => fs.existsSync(peerDir(p))) && PEER_ORGS.every((o) => fs.existsSync(chaincodeTlsDir(o)))) return false;
    fs.writeFileSync(file, YAML.stringify(cryptoConfig()));
    await run(path.join(fabric.binDir, 'cryptogen'), ['extend', `--config=${file}`, `--input=${dirs.crypto}`]);
    return true;
  }
  fs.writeFileSync(file, YAML.stringify(cryptoConfig()));
  fs.rmSync(dirs.crypto, { recursive: true, force: true });
  // Each organisation's keys come from a run of its own, as each institution would make them on its own side:
  // no run holds two orgs' CA keys.
  const config = cryptoConfig() as { OrdererOrgs: unknown[]; PeerOrgs: unknown[] };
  const parts = [{ OrdererOrgs: config.OrdererOrgs }, ...config.PeerOrgs.map((org) => ({ PeerOrgs: [org] }))];
  for (const [i, part] of parts.entries()) {
    const one = path.join(dirs.config, `crypto-config-${i}.yaml`);
    fs.writeFileSync(one, YAML.stringify(part));
    await run(path.join(fabric.binDir, 'cryptogen'), ['generate', `--config=${one}`, `--output=${dirs.crypto}`]);
  }
  return true;
}

/** PEM files of a folder, by name (an MSP's cacerts or tlscacerts). */
const pems = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.pem')) : []);

/**
 * Copies out what each organisation hands the others (see `dirs.exchange`): its MSP's CA and TLS CA root
 * certificates and NodeOU settings, the orderers' TLS certificates; never a key, a signing certificate or an
 * admin's. The channel configuration reads these copies only.
 */
export function publishPublicMaterial(): void {
  fs.rmSync(dirs.exchange, { recursive: true, force: true });
  const publish = (mspId: string, from: string): void => {
    const to = publicMspDir(mspId);
    for (const sub of ['cacerts', 'tlscacerts']) {
      fs.mkdirSync(path.join(to, sub), { recursive: true });
      for (const f of pems(path.join(from, sub))) fs.copyFileSync(path.join(from, sub, f), path.join(to, sub, f));
    }
    fs.copyFileSync(path.join(from, 'config.yaml'), path.join(to, 'config.yaml'));
  };
  publish(ORDERER_ORG.mspId, path.join(ordererOrgDir(), 'msp'));
  for (const org of PEER_ORGS) publish(org.mspId, path.join(peerOrgDir(org), 'msp'));
  for (const o of ORDERERS) {
    fs.mkdirSync(path.dirname(publicConsenterCert(o)), { recursive: true });
    fs.copyFileSync(path.join(ordererDir(o), 'tls', 'server.crt'), publicConsenterCert(o));
  }
}

const signature = (rule: string): { Type: string; Rule: string } => ({ Type: 'Signature', Rule: rule });

function ordererOrgSection(): Record<string, unknown> {
  const id = ORDERER_ORG.mspId;
  return {
    Name: 'OrdererOrg',
    ID: id,
    MSPDir: publicMspDir(id),
    Policies: {
      Readers: signature(`OR('${id}.member')`),
      Writers: signature(`OR('${id}.member')`),
      Admins: signature(`OR('${id}.admin')`),
    },
    OrdererEndpoints: ORDERERS.map((o) => `${nodeAddress(ordererHost(o))}:${o.port}`),
  };
}

function peerOrgSection(org: PeerOrg): Record<string, unknown> {
  const id = org.mspId;
  return {
    Name: id,
    ID: id,
    MSPDir: publicMspDir(id),
    Policies: {
      Readers: signature(`OR('${id}.admin','${id}.peer','${id}.client')`),
      Writers: signature(`OR('${id}.admin','${id}.client')`),
      Admins: signature(`OR('${id}.admin')`),
      Endorsement: signature(`OR('${id}.peer')`),
    },
    AnchorPeers: [{ Host: nodeAddress(anchorPeer(org).host), Port: anchorPeer(org).port }],
  };
}

const consenter = (o: Orderer): Record<string, unknown> => ({
  Host: nodeAddress(ordererHost(o)),
  Port: o.port,
  ClientTLSCert: publicConsenterCert(o),
  ServerTLSCert: publicConsenterCert(o),
});

/** Who may read the chain itself, past the chaincode: the regulator's and the auditor's orgs. */
export const SUPERVISORS_POLICY = '/Channel/Application/Supervisors';

/**
 * Fabric's own doors to the chain's contents: block and transaction queries (qscc), block events and the deliver
 * service, chaincode events through the gateway. Each hands out every transfer, filing, rule and watchlist entry
 * whatever the chaincode decides, so only the supervisors' orgs may use them; members read through the chaincode,
 * and a member's client still submits and asks its own transactions' commit status (gateway/CommitStatus).
 */
export const SUPERVISED_RESOURCES = [
  'qscc/GetChainInfo',
  'qscc/GetBlockByNumber',
  'qscc/GetBlockByHash',
  'qscc/GetTransactionByID',
  'qscc/GetBlockByTxID',
  'event/Block',
  'event/FilteredBlock',
  'gateway/ChaincodeEvents',
] as const;

/**
 * Builds configtx.yaml from Fabric's sample: its channel, orderer and application defaults (policies,
 * ACLs, capabilities, Raft options) stay; our organisations, consenters, batch settings and the supervisors'
 * ACLs go on top.
 */
export function configtx(sampleConfigtx: string): Record<string, unknown> {
  const sample = YAML.parse(sampleConfigtx, { merge: true }) as {
    Channel: Record<string, unknown>;
    Orderer: Record<string, unknown> & { BatchSize: Record<string, unknown>; EtcdRaft: { Options: unknown } };
    Application: Record<string, unknown>;
  };
  const { ConsenterMapping: _bft, Addresses: _legacy, ...ordererDefaults } = sample.Orderer;
  const ordererOrg = ordererOrgSection();
  const peerOrgs = PEER_ORGS.map(peerOrgSection);
  return {
    Organizations: [ordererOrg, ...peerOrgs],
    Profiles: {
      [PROFILE]: {
        ...sample.Channel,
        Orderer: {
          ...ordererDefaults,
          OrdererType: 'etcdraft',
          // Small blocks cut quickly give the lowest latency at a consortium's load.
          BatchTimeout: '250ms',
          BatchSize: { ...sample.Orderer.BatchSize, MaxMessageCount: 10 },
          EtcdRaft: {
            Consenters: ORDERERS.map(consenter),
            // A follower calls an election after TickInterval × ElectionTick without the leader: 100 ms × 10
            // = 1 s instead of the sample's 5 s, so a lost leader is replaced well within 5 s.
            Options: { ...(sample.Orderer.EtcdRaft.Options as Record<string, unknown>), TickInterval: '100ms', ElectionTick: 10, HeartbeatTick: 1 },
          },
          Organizations: [ordererOrg],
        },
        Application: {
          ...sample.Application,
          Organizations: peerOrgs,
          Policies: {
            ...(sample.Application.Policies as Record<string, unknown>),
            Supervisors: signature(`OR('${orgByKey('regulator').mspId}.member','${orgByKey('auditor').mspId}.member')`),
          },
          ACLs: {
            ...(sample.Application.ACLs as Record<string, string>),
            ...Object.fromEntries(SUPERVISED_RESOURCES.map((r) => [r, SUPERVISORS_POLICY])),
          },
        },
      },
    },
  };
}

/** Writes configtx.yaml and the channel's genesis block once. */
export async function ensureGenesis(fabric: FabricInstall): Promise<boolean> {
  publishPublicMaterial();
  if (fs.existsSync(genesisBlock())) return false;
  const sample = fs.readFileSync(path.join(fabric.sampleConfig, 'configtx.yaml'), 'utf8');
  fs.writeFileSync(path.join(dirs.config, 'configtx.yaml'), YAML.stringify(configtx(sample)));
  await run(path.join(fabric.binDir, 'configtxgen'), ['-configPath', dirs.config, '-profile', PROFILE, '-channelID', CHANNEL, '-outputBlock', genesisBlock()]);
  log.done(`genesis block for channel ${CHANNEL} written`);
  return true;
}

export type Env = Record<string, string>;

export function ordererEnv(fabric: FabricInstall, o: Orderer): Env {
  const tls = path.join(ordererDir(o), 'tls');
  const data = path.join(dirs.data, o.name);
  return {
    FABRIC_CFG_PATH: fabric.sampleConfig,
    FABRIC_LOGGING_SPEC: 'INFO',
    ORDERER_GENERAL_LISTENADDRESS: listenHost(),
    ORDERER_GENERAL_LISTENPORT: String(o.port),
    ORDERER_GENERAL_LOCALMSPID: ORDERER_ORG.mspId,
    ORDERER_GENERAL_LOCALMSPDIR: path.join(ordererDir(o), 'msp'),
    ORDERER_GENERAL_TLS_ENABLED: 'true',
    ORDERER_GENERAL_TLS_PRIVATEKEY: path.join(tls, 'server.key'),
    ORDERER_GENERAL_TLS_CERTIFICATE: path.join(tls, 'server.crt'),
    ORDERER_GENERAL_TLS_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: path.join(tls, 'server.crt'),
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: path.join(tls, 'server.key'),
    ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
    // A follower forwards a transaction to the Raft leader and waits this long for it: 7 s by default, which a
    // lost leader added to every transaction in flight; forwarding takes milliseconds when the leader lives.
    ORDERER_GENERAL_CLUSTER_RPCTIMEOUT: '2s',
    ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
    ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
    ORDERER_ADMIN_LISTENADDRESS: `${listenHost()}:${o.adminPort}`,
    ORDERER_ADMIN_TLS_ENABLED: 'true',
    ORDERER_ADMIN_TLS_CERTIFICATE: path.join(tls, 'server.crt'),
    ORDERER_ADMIN_TLS_PRIVATEKEY: path.join(tls, 'server.key'),
    ORDERER_ADMIN_TLS_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
    ORDERER_OPERATIONS_LISTENADDRESS: `${listenHost()}:${o.opsPort}`,
    ORDERER_METRICS_PROVIDER: 'prometheus',
    ORDERER_FILELEDGER_LOCATION: path.join(data, 'ledger'),
    ORDERER_CONSENSUS_WALDIR: path.join(data, 'etcdraft', 'wal'),
    ORDERER_CONSENSUS_SNAPDIR: path.join(data, 'etcdraft', 'snapshot'),
  };
}

export function peerEnv(fabric: FabricInstall, node: PeerNode): Env {
  const { org } = node;
  const dir = peerDir(node);
  const endpoint = `${nodeAddress(node.host)}:${node.port}`;
  const data = path.join(dirs.data, node.process);
  // Peers of one org find each other through gossip: each bootstraps from the others (or itself when alone).
  const siblings = PEERS.filter((p) => p.org.key === org.key && p.index !== node.index).map((p) => `${nodeAddress(p.host)}:${p.port}`);
  return {
    FABRIC_CFG_PATH: fabric.sampleConfig,
    FABRIC_LOGGING_SPEC: 'INFO',
    CORE_PEER_ID: node.host,
    CORE_PEER_ADDRESS: endpoint,
    CORE_PEER_LISTENADDRESS: `${listenHost()}:${node.port}`,
    CORE_PEER_CHAINCODEADDRESS: `${nodeAddress(node.host)}:${node.chaincodePort}`,
    CORE_PEER_CHAINCODELISTENADDRESS: `${listenHost()}:${node.chaincodePort}`,
    CORE_PEER_GOSSIP_BOOTSTRAP: siblings.length > 0 ? siblings.join(' ') : endpoint,
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: endpoint,
    // Peers start together, so the first dial to another org's anchor peer often fails; the default
    // retry after 25 s kept discovery (and so endorsement) waiting ≈ 20 s after start-up.
    CORE_PEER_GOSSIP_RECONNECTINTERVAL: '1s',
    // Alive messages carry membership to the other orgs; every 1 s instead of 5 s at start-up costs little.
    CORE_PEER_GOSSIP_ALIVETIMEINTERVAL: '1s',
    // A peer silent for 5 s leaves the others' membership (and discovery's endorsement plans) instead of 25 s,
    // so a lost peer stops being chosen quickly.
    CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT: '5s',
    // Discovery puts a peer into endorsement plans once its state info (height, chaincodes) has spread; at
    // the default 4 s that alone held a restart with data ≈ 3 s after the peers were up.
    CORE_PEER_GOSSIP_PUBLISHSTATEINFOINTERVAL: '1s',
    CORE_PEER_GOSSIP_REQUESTSTATEINFOINTERVAL: '1s',
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: path.join(dir, 'msp'),
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_CERT_FILE: path.join(dir, 'tls', 'server.crt'),
    CORE_PEER_TLS_KEY_FILE: path.join(dir, 'tls', 'server.key'),
    CORE_PEER_TLS_ROOTCERT_FILE: path.join(dir, 'tls', 'ca.crt'),
    CORE_PEER_FILESYSTEMPATH: data,
    CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
    CORE_LEDGER_SNAPSHOTS_ROOTDIR: path.join(data, 'snapshots'),
    CORE_OPERATIONS_LISTENADDRESS: `${listenHost()}:${node.opsPort}`,
    CORE_METRICS_PROVIDER: 'prometheus',
    // Set and empty: no Docker daemon is used; chaincode runs as a service through the ccaas builder.
    CORE_VM_ENDPOINT: '',
    CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: ccaas, path: ${fabric.ccaasBuilder}, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]`,
  };
}

export function caEnv(org: PeerOrg): Env {
  const tls = caTlsDir(org);
  return {
    FABRIC_CA_HOME: caHome(org),
    FABRIC_CA_SERVER_CA_NAME: caName(org),
    // The org's own root from cryptogen, so enrolled users belong to the org's MSP.
    FABRIC_CA_SERVER_CA_CERTFILE: orgCaCert(org),
    FABRIC_CA_SERVER_CA_KEYFILE: path.join(path.dirname(orgCaCert(org)), 'priv_sk'),
    FABRIC_CA_SERVER_ADDRESS: listenHost(),
    FABRIC_CA_SERVER_PORT: String(org.ca.port),
    FABRIC_CA_SERVER_TLS_ENABLED: 'true',
    FABRIC_CA_SERVER_TLS_CERTFILE: path.join(tls, 'server.crt'),
    FABRIC_CA_SERVER_TLS_KEYFILE: path.join(tls, 'server.key'),
    FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS: `${listenHost()}:${org.ca.opsPort}`,
    // The registrar's bootstrap identity (the -b flag); the env file is readable by its owner only.
    FABRIC_CA_SERVER_BOOT: `admin:${bootstrapSecret(org)}`,
  };
}

/** Env file format shared by the native runtime and docker-compose's env_file. */
export function writeEnvFile(name: string, env: Env): void {
  fs.mkdirSync(dirs.env, { recursive: true });
  const lines = Object.keys(env)
    .sort()
    .map((k) => `${k}=${env[k] ?? ''}`);
  fs.writeFileSync(envFile(name), `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** Environment for the peer CLI acting as an org's admin against its peer. */
/** The org admin's CLI environment, aimed at one of its peers (the anchor unless named). */
export function peerAdminEnv(fabric: FabricInstall, org: PeerOrg, node: PeerNode = anchorPeer(org)): Env {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    FABRIC_CFG_PATH: fabric.sampleConfig,
    FABRIC_LOGGING_SPEC: 'error',
    CORE_VM_ENDPOINT: '',
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: path.join(peerOrgDir(org), 'users', `Admin@${org.domain}`, 'msp'),
    CORE_PEER_ADDRESS: `${DIAL_HOST}:${node.port}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: path.join(peerDir(node), 'tls', 'ca.crt'),
  };
}
