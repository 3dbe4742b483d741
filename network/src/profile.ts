// Common connection profiles (the JSON Fabric's SDKs and Caliper read) for the network: one per org, one for all.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { caTlsDir, peerDir, shared } from './paths';
import { caName, CHANNEL, DIAL_HOST, networkProcesses, ORDERER_ORG, PEER_ORGS, type PeerOrg, PEERS } from './topology';

export const profileFile = (name: string): string => path.join(shared.profiles, `${name}.json`);

const pem = (file: string): string => fs.readFileSync(file, 'utf8');

/** A profile whose client is `client`'s org (or none, for the whole network); every org and peer is listed. */
export function connectionProfile(client?: PeerOrg): Record<string, unknown> {
  return {
    name: `regchain-${CHANNEL}${client ? `-${client.key}` : ''}`,
    version: '1.0.0',
    ...(client ? { client: { organization: client.mspId } } : {}),
    channels: {
      [CHANNEL]: {
        peers: Object.fromEntries(PEERS.map((p) => [p.host, { endorsingPeer: p.org.endorses, chaincodeQuery: true, ledgerQuery: true, eventSource: true }])),
      },
    },
    organizations: Object.fromEntries(
      PEER_ORGS.map((org) => [
        org.mspId,
        { mspid: org.mspId, peers: PEERS.filter((p) => p.org.key === org.key).map((p) => p.host), certificateAuthorities: [caName(org)] },
      ]),
    ),
    peers: Object.fromEntries(
      PEERS.map((p) => [
        p.host,
        {
          url: `grpcs://${DIAL_HOST}:${p.port}`,
          tlsCACerts: { pem: pem(path.join(peerDir(p), 'tls', 'ca.crt')) },
          grpcOptions: { 'ssl-target-name-override': DIAL_HOST },
        },
      ]),
    ),
    certificateAuthorities: Object.fromEntries(
      PEER_ORGS.map((org) => [
        caName(org),
        { url: `https://${DIAL_HOST}:${org.ca.port}`, caName: caName(org), tlsCACerts: { pem: [pem(path.join(caTlsDir(org), 'ca.crt'))] } },
      ]),
    ),
  };
}

/** Writes `profiles/network.json`, one `profiles/<org>.json` per org, and the users the gateway makes callers for. */
export function writeProfiles(): void {
  fs.mkdirSync(shared.profiles, { recursive: true, mode: 0o700 });
  fs.writeFileSync(profileFile('network'), `${JSON.stringify(connectionProfile(), null, 2)}\n`);
  for (const org of PEER_ORGS) fs.writeFileSync(profileFile(org.key), `${JSON.stringify(connectionProfile(org), null, 2)}\n`);
  const users = PEER_ORGS.flatMap((org) =>
    org.users.filter((u) => !u.service).map((u) => ({ mspId: org.mspId, name: u.name, role: u.role, entityId: u.entityId })),
  );
  fs.writeFileSync(shared.users, `${JSON.stringify(users, null, 2)}\n`);
  fs.writeFileSync(shared.nodes, `${JSON.stringify(healthChecks(), null, 2)}\n`);
}

/** Every peer, orderer and CA with its operations health URL: what the gateway's network page checks. */
export function healthChecks(): { name: string; kind: string; mspId: string; healthUrl: string }[] {
  const mspOf = (name: string, kind: string): string => {
    if (kind === 'orderer') return ORDERER_ORG.mspId;
    const peerNode = PEERS.find((p) => p.process === name);
    if (peerNode) return peerNode.org.mspId;
    return PEER_ORGS.find((o) => caName(o) === name)?.mspId ?? '';
  };
  return networkProcesses()
    .filter((p) => p.healthUrl !== undefined)
    .map((p) => ({
      name: p.kind === 'peer' ? (PEERS.find((n) => n.process === p.name)?.host ?? p.name) : p.name,
      kind: p.kind,
      mspId: mspOf(p.name, p.kind),
      healthUrl: p.healthUrl as string,
    }));
}
