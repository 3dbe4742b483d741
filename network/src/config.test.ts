// configtx.yaml is Fabric's sample with our organisations, consenters and batch settings on top.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ensureFabric } from './binaries';
import { configtx, ordererEnv, peerEnv, PROFILE, SUPERVISORS_POLICY } from './config';
import { dirs } from './paths';
import { ORDERERS, PEERS, type PeerNode, networkProcesses } from './topology';

type Profile = {
  Capabilities: Record<string, boolean>;
  Orderer: {
    OrdererType: string;
    BatchTimeout: string;
    BatchSize: { MaxMessageCount: number; AbsoluteMaxBytes: string };
    EtcdRaft: { Consenters: { Host: string; Port: number }[]; Options: { TickInterval: string } };
    Organizations: { ID: string; OrdererEndpoints: string[] }[];
    ConsenterMapping?: unknown;
  };
  Application: {
    ACLs: Record<string, string>;
    Policies: Record<string, unknown>;
    Capabilities: Record<string, boolean>;
    Organizations: { ID: string; AnchorPeers: unknown[] }[];
  };
};

let sample: string;
let profile: Profile;

beforeAll(async () => {
  const fabric = await ensureFabric();
  sample = fs.readFileSync(path.join(fabric.sampleConfig, 'configtx.yaml'), 'utf8');
  profile = (configtx(sample) as { Profiles: Record<string, Profile> }).Profiles[PROFILE] as Profile;
});

describe('configtx', () => {
  it("builds the channel from what the orgs hand each other only: public MSP definitions and the consenters' TLS certificates", () => {
    const text = JSON.stringify(profile);
    const paths = [...text.matchAll(/"(?:MSPDir|ClientTLSCert|ServerTLSCert)":"([^"]+)"/g)].map((m) => m[1] as string);
    expect(paths.length).toBeGreaterThanOrEqual(5 + 2 * ORDERERS.length);
    for (const p of paths) expect(path.relative(dirs.exchange, p).startsWith('..')).toBe(false);
  });

  it("keeps the sample's capabilities, ACLs and Raft options, with elections after 1 s, and closes Fabric's reads to members", () => {
    const parsed = YAML.parse(sample, { merge: true }) as { Application: { ACLs: Record<string, string> } };
    expect(profile.Capabilities).toEqual({ V3_0: true });
    expect(profile.Application.Capabilities).toEqual({ V2_5: true });
    const closed = ['qscc/GetBlockByNumber', 'qscc/GetTransactionByID', 'event/Block', 'event/FilteredBlock', 'gateway/ChaincodeEvents'];
    for (const [resource, policy] of Object.entries(profile.Application.ACLs)) {
      expect([resource, policy]).toEqual([
        resource,
        resource.startsWith('qscc/') || closed.includes(resource) ? SUPERVISORS_POLICY : parsed.Application.ACLs[resource],
      ]);
    }
    expect(profile.Application.ACLs['gateway/CommitStatus'] ?? '/Channel/Application/Readers').toBe('/Channel/Application/Readers');
    expect(profile.Application.Policies.Supervisors).toEqual({ Type: 'Signature', Rule: "OR('RegulatorMSP.member','AuditorMSP.member')" });
    expect(profile.Orderer.EtcdRaft.Options).toMatchObject({ TickInterval: '100ms', ElectionTick: 10, SnapshotIntervalSize: '16 MB' });
    expect(profile.Orderer.BatchSize.AbsoluteMaxBytes).toBe('10 MB');
  });

  it('puts our orgs, three Raft consenters and low-latency batches on top', () => {
    expect(profile.Orderer.OrdererType).toBe('etcdraft');
    expect(profile.Orderer.ConsenterMapping).toBeUndefined();
    expect(profile.Orderer.EtcdRaft.Consenters.map((c) => c.Port)).toEqual(ORDERERS.map((o) => o.port));
    expect(profile.Orderer.BatchTimeout).toBe('250ms');
    expect(profile.Orderer.BatchSize.MaxMessageCount).toBe(10);
    expect(profile.Orderer.Organizations[0]?.OrdererEndpoints).toHaveLength(3);
    expect(profile.Application.Organizations.map((o) => o.ID)).toEqual(['RegulatorMSP', 'BankMSP', 'EnterpriseMSP', 'AuditorMSP']);
    for (const org of profile.Application.Organizations) expect(org.AnchorPeers).toHaveLength(1);
  });
});

describe('process settings', () => {
  it('gives every process its own ports', () => {
    const ports = networkProcesses().flatMap((p) => p.ports.map((x) => x.port));
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('switches Docker off for peers and runs chaincode through the ccaas builder', async () => {
    const fabric = await ensureFabric();
    for (const node of PEERS) {
      const env = peerEnv(fabric, node);
      expect(env.CORE_VM_ENDPOINT).toBe('');
      expect(env.CORE_CHAINCODE_EXTERNALBUILDERS).toContain(fabric.ccaasBuilder);
      expect(env.CORE_LEDGER_STATE_STATEDATABASE).toBe('goleveldb');
      expect(env.CORE_PEER_TLS_ENABLED).toBe('true');
    }
  });

  it('runs two regulator peers that find each other through gossip, since every write needs the regulator', async () => {
    const fabric = await ensureFabric();
    const regulators = PEERS.filter((p) => p.org.key === 'regulator');
    expect(regulators.map((p) => p.process)).toEqual(['peer-regulator', 'peer1-regulator']);
    expect(peerEnv(fabric, regulators[0] as PeerNode).CORE_PEER_GOSSIP_BOOTSTRAP).toBe(`localhost:${regulators[1]?.port}`);
    expect(peerEnv(fabric, regulators[1] as PeerNode).CORE_PEER_GOSSIP_BOOTSTRAP).toBe(`localhost:${regulators[0]?.port}`);
  });

  it('starts orderers without a system channel, with TLS and the participation API', async () => {
    const fabric = await ensureFabric();
    for (const o of ORDERERS) {
      const env = ordererEnv(fabric, o);
      expect(env.ORDERER_GENERAL_BOOTSTRAPMETHOD).toBe('none');
      expect(env.ORDERER_CHANNELPARTICIPATION_ENABLED).toBe('true');
      expect(env.ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED).toBe('true');
      expect(env.ORDERER_GENERAL_LISTENPORT).toBe(String(o.port));
    }
  });
});
