// The verifier on a bundle captured from a real network: the genuine one verifies, each forgery fails naming what failed.
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { blockHash, headerBytes } from '@regchain/fabric';
import { anchorsFromFile, rootsOf } from './evidence';
import { type EvidenceBundle, type TrustAnchors, verifyEvidence } from './verify';

const FIXTURES = path.join(__dirname, 'fixtures');
const genuine = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'bundle.json'), 'utf8')) as EvidenceBundle;
const genesisFile = path.join(FIXTURES, 'genesis.block');
const anchors: TrustAnchors = anchorsFromFile(genesisFile);
const pinnedRoots: TrustAnchors = rootsOf(common.Block.deserializeBinary(fs.readFileSync(genesisFile)));

const block = (b64: string): common.Block => common.Block.deserializeBinary(Buffer.from(b64, 'base64'));
const b64 = (m: { serializeBinary(): Uint8Array }): string => Buffer.from(m.serializeBinary()).toString('base64');
const failed = (bundle: EvidenceBundle, trust: TrustAnchors = anchors): string[] => {
  const report = verifyEvidence(bundle, trust);
  expect(report.verified).toBe(false);
  return report.checks.filter((c) => !c.ok).map((c) => c.check);
};

/** A self-signed CA and a leaf it issues, as an attacker would make them: PEM certificate and private key. */
function attackerIdentity(ou: string): { cert: string; key: crypto.KeyObject } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-forge-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '3650',
        '-subj',
        `/O=Hyperledger/OU=${ou}/CN=evil.${ou}`,
        '-keyout',
        path.join(dir, 'k'),
        '-out',
        path.join(dir, 'c'),
      ],
      { stdio: 'ignore' },
    );
    return { cert: fs.readFileSync(path.join(dir, 'c'), 'utf8'), key: crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'k'))) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One length-delimited protobuf field. */
function field(tag: number, bytes: Buffer): Buffer {
  const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(n >>> 7)]);
  return Buffer.concat([Buffer.from([(tag << 3) | 2, ...varint(bytes.length)]), bytes]);
}

/** The transaction's envelope inside its block, with a way to put a changed one back. */
function withEnvelope(bundle: EvidenceBundle, change: (env: common.Envelope, payload: common.Payload) => void): EvidenceBundle {
  const b = block(bundle.block);
  const data = b.getData() as common.BlockData;
  const list = data.getDataList_asU8();
  const index = list.findIndex((d) => {
    const p = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(d).getPayload_asU8());
    return common.ChannelHeader.deserializeBinary(p.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array()).getTxId() === bundle.transactionId;
  });
  const env = common.Envelope.deserializeBinary(list[index] as Uint8Array);
  const payload = common.Payload.deserializeBinary(env.getPayload_asU8());
  change(env, payload);
  list[index] = env.serializeBinary();
  data.setDataList(list);
  return { ...bundle, block: b64(b) };
}

describe('verifyEvidence on a genuine bundle', () => {
  it('verifies against the pinned genesis block, and lists every check it made', () => {
    const report = verifyEvidence(genuine, anchors);
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.policy).toMatchObject({ rule: "AND('RegulatorMSP.peer', OR('BankMSP.peer', 'EnterpriseMSP.peer'))", satisfied: true });
    expect(report.orderers.every((o) => o.policySatisfied)).toBe(true);
    expect(report.attestations.filter((a) => a.ok).map((a) => a.mspId)).toContain('AuditorMSP');
    expect(report.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining([
        'genesis',
        'block signatures',
        'creator',
        'proposal hash',
        'endorsement',
        'definition',
        'endorsement policy',
        'validation attested',
      ]),
    );
  });

  it('verifies against pinned root fingerprints instead', () => {
    expect(verifyEvidence(genuine, pinnedRoots).problems).toEqual([]);
  });

  it('refuses to verify without a trust anchor from outside the bundle', () => {
    expect(failed(genuine, {})).toEqual(['anchors']);
  });
});

describe('verifyEvidence on forgeries', () => {
  it("fails a genesis config whose org root is swapped for the attacker's CA", () => {
    const { cert } = attackerIdentity('client');
    const genesis = block(genuine.configBlocks[0] as string);
    const data = genesis.getData() as common.BlockData;
    const env = common.Envelope.deserializeBinary(data.getDataList_asU8()[0] as Uint8Array);
    const payload = common.Payload.deserializeBinary(env.getPayload_asU8());
    const configEnvelope = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8());
    const bank = configEnvelope.getConfig()?.getChannelGroup()?.getGroupsMap().get('Application')?.getGroupsMap().get('BankMSP');
    const value = bank?.getValuesMap().get('MSP') as common.ConfigValue;
    const mspConfig = msp.MSPConfig.deserializeBinary(value.getValue_asU8());
    const fabric = msp.FabricMSPConfig.deserializeBinary(mspConfig.getConfig_asU8());
    fabric.setRootCertsList([Buffer.from(cert)]);
    mspConfig.setConfig(fabric.serializeBinary());
    value.setValue(mspConfig.serializeBinary());
    payload.setData(configEnvelope.serializeBinary());
    env.setPayload(payload.serializeBinary());
    data.setDataList([env.serializeBinary()]);
    const forged = { ...genuine, configBlocks: [b64(genesis), ...genuine.configBlocks.slice(1)] };
    expect(failed(forged)).toEqual(['genesis data']);
    // Even with the data hash recomputed, the header no longer hashes to the pinned genesis; pinned roots refuse the CA.
    const header = genesis.getHeader() as common.BlockHeader;
    header.setDataHash(
      crypto
        .createHash('sha256')
        .update(Buffer.from(data.getDataList_asU8()[0] as Uint8Array))
        .digest(),
    );
    const rehashed = { ...genuine, configBlocks: [b64(genesis), ...genuine.configBlocks.slice(1)] };
    expect(failed(rehashed)).toEqual(['genesis']);
    expect(failed(rehashed, pinnedRoots)).toEqual(['roots']);
  });

  it('fails a bundle that offers another chaincode definition (another policy) than the one the transaction ran under', () => {
    expect(failed({ ...genuine, definitionBlocks: [genuine.configBlocks[0] as string] })).toContain('definition read');
    expect(failed({ ...genuine, definitionBlocks: genuine.definitionBlocks.slice(0, 1) })).toContain('definition read');
  });

  it('fails a definition block whose policy was rewritten', () => {
    // The last block is the commit that wrote the policy (an earlier sequence; later ones left it unchanged).
    const last = genuine.definitionBlocks.length - 1;
    const def = block(genuine.definitionBlocks[last] as string);
    const data = def.getData() as common.BlockData;
    const list = data.getDataList_asU8().map((d) => Buffer.from(d));
    const policy = Buffer.from('RegulatorMSP');
    const at = (list[0] as Buffer).indexOf(policy);
    (list[0] as Buffer)[at] = 'X'.charCodeAt(0);
    data.setDataList(list);
    expect(failed({ ...genuine, definitionBlocks: [...genuine.definitionBlocks.slice(0, last), b64(def)] })).toContain('definition block');
  });

  it('fails an endorsement moved from another transaction: it is not over this proposal', () => {
    const forged = withEnvelope(genuine, (env, payload) => {
      const head = payload.getHeader() as common.Header;
      const sigHeader = common.SignatureHeader.deserializeBinary(head.getSignatureHeader_asU8());
      sigHeader.setNonce(crypto.randomBytes(24));
      head.setSignatureHeader(sigHeader.serializeBinary());
      env.setPayload(payload.serializeBinary());
    });
    const problems = failed(forged);
    expect(problems).toContain('proposal hash');
  });

  it('fails a block re-signed by a foreign orderer', () => {
    const { cert, key } = attackerIdentity('orderer');
    const b = block(genuine.block);
    const metadataList = b.getMetadata()?.getMetadataList_asU8() ?? [];
    const metadata = common.Metadata.deserializeBinary(metadataList[common.BlockMetadataIndex.SIGNATURES] as Uint8Array);
    const creator = new msp.SerializedIdentity();
    creator.setMspid('OrdererMSP');
    creator.setIdBytes(Buffer.from(cert));
    const sigHeader = new common.SignatureHeader();
    sigHeader.setCreator(creator.serializeBinary());
    sigHeader.setNonce(crypto.randomBytes(24));
    const header = b.getHeader() as common.BlockHeader;
    const signed = crypto.sign(
      'sha256',
      Buffer.concat([Buffer.from(metadata.getValue_asU8()), Buffer.from(sigHeader.serializeBinary()), headerBytes(header)]),
      { key, dsaEncoding: 'der' },
    );
    // fabric-protos 0.3 cannot serialise a MetadataSignature (its writer calls a getter it lacks), so the
    // Metadata { value = 1; repeated MetadataSignature signatures = 2 { signature_header = 1; signature = 2 } }
    // is written by hand.
    const signatureBytes = Buffer.concat([field(1, Buffer.from(sigHeader.serializeBinary())), field(2, signed)]);
    metadataList[common.BlockMetadataIndex.SIGNATURES] = Buffer.concat([field(1, Buffer.from(metadata.getValue_asU8())), field(2, signatureBytes)]);
    b.getMetadata()?.setMetadataList(metadataList);
    const report = verifyEvidence({ ...genuine, block: b64(b) }, anchors);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['block signatures']);
    expect(report.orderers.find((o) => o.block === Number(header.getNumber()))?.signers[0]).toMatchObject({ signatureValid: true, chainsToOrgRoot: false });
  });

  it("fails a flipped validation flag: the peers' signed answers contradict it", () => {
    const b = block(genuine.block);
    const metadataList = b.getMetadata()?.getMetadataList_asU8() ?? [];
    const flags = Buffer.from(metadataList[common.BlockMetadataIndex.TRANSACTIONS_FILTER] as Uint8Array);
    flags.fill(peer.TxValidationCode.MVCC_READ_CONFLICT);
    metadataList[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = flags;
    b.getMetadata()?.setMetadataList(metadataList);
    expect(failed({ ...genuine, block: b64(b) })).toEqual(['validation attested', 'validation code']);
  });

  it("does not take one member org's word for the validation flag, but an attesting org's (the auditor's) or a majority's", () => {
    const report = verifyEvidence(genuine, anchors);
    const byOrg = (mspId: string): string[] => genuine.attestations.filter((_a, i) => report.attestations[i]?.mspId === mspId && report.attestations[i]?.ok);
    const bank = byOrg('BankMSP');
    expect(bank.length).toBeGreaterThan(0);
    const onlyBank = { ...genuine, attestations: bank };
    expect(failed(onlyBank)).toEqual(['validation attested']);
    expect(verifyEvidence(onlyBank, anchors).checks.find((c) => c.check === 'validation attested')?.detail).toContain('BankMSP only');
    const onlyAuditor = { ...genuine, attestations: byOrg('AuditorMSP') };
    expect(failed(onlyAuditor)).toEqual(['validation attested']);
    expect(verifyEvidence(onlyAuditor, { ...anchors, attestingOrgs: ['AuditorMSP'] }).problems).toEqual([]);
    const majority = { ...genuine, attestations: [...byOrg('BankMSP'), ...byOrg('EnterpriseMSP'), ...byOrg('RegulatorMSP')] };
    expect(verifyEvidence(majority, anchors).problems).toEqual([]);
  });

  it("fails, in roots mode, a genesis of the attacker's making that holds one real root and nothing else", () => {
    const genesis = block(genuine.configBlocks[0] as string);
    const data = genesis.getData() as common.BlockData;
    const env = common.Envelope.deserializeBinary(data.getDataList_asU8()[0] as Uint8Array);
    const payload = common.Payload.deserializeBinary(env.getPayload_asU8());
    const configEnvelope = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8());
    const groups = configEnvelope.getConfig()?.getChannelGroup()?.getGroupsMap();
    const application = groups?.get('Application')?.getGroupsMap();
    for (const name of ['RegulatorMSP', 'EnterpriseMSP', 'AuditorMSP']) application?.del(name);
    groups?.get('Orderer')?.getGroupsMap().clear();
    payload.setData(configEnvelope.serializeBinary());
    env.setPayload(payload.serializeBinary());
    data.setDataList([env.serializeBinary()]);
    (genesis.getHeader() as common.BlockHeader).setDataHash(
      crypto
        .createHash('sha256')
        .update(Buffer.from(data.getDataList_asU8()[0] as Uint8Array))
        .digest(),
    );
    const forged = { ...genuine, configBlocks: [b64(genesis), ...genuine.configBlocks.slice(1)] };
    // Every root it holds is a pinned one (the bank's), and still it is not the channel's genesis.
    expect(failed(forged, pinnedRoots)).toEqual(['roots']);
    expect(verifyEvidence(forged, pinnedRoots).checks.find((c) => c.check === 'roots')?.detail).toMatch(
      /AuditorMSP, EnterpriseMSP, OrdererMSP, RegulatorMSP differ/,
    );
  });

  it('refuses pinned roots without the orderer orgs that sign blocks', () => {
    expect(failed(genuine, { roots: pinnedRoots.roots ?? {} })).toEqual(['anchors']);
  });

  it('fails a validation flag no peer attests', () => {
    expect(failed({ ...genuine, attestations: [] })).toEqual(['validation attested']);
  });

  it("fails the creator's signature in its malleable high-S form, which Fabric refuses", () => {
    const N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const forged = withEnvelope(genuine, (env) => {
      const der = Buffer.from(env.getSignature_asU8());
      const rLen = der[3] as number;
      const r = der.subarray(4, 4 + rLen);
      const s = BigInt(`0x${der.subarray(6 + rLen).toString('hex')}`);
      let high = (N - s).toString(16);
      if (high.length % 2) high = `0${high}`;
      const sBytes = Buffer.concat([Buffer.from([0]), Buffer.from(high, 'hex')]);
      const body = Buffer.concat([Buffer.from([0x02, r.length]), r, Buffer.from([0x02, sBytes.length]), sBytes]);
      env.setSignature(Buffer.concat([Buffer.from([0x30, body.length]), body]));
    });
    const report = verifyEvidence(forged, anchors);
    expect(report.creator).toMatchObject({ signatureValid: true, lowS: false });
    expect(report.problems.join(' ')).toMatch(/high S/);
  });

  it('fails a block whose data was altered after the orderers signed it', () => {
    const forged = withEnvelope(genuine, (env) => env.setSignature(crypto.randomBytes(70)));
    expect(failed(forged)).toEqual(expect.arrayContaining(['block data', 'creator']));
  });

  it('answers garbage with a failed check, never an exception', () => {
    expect(failed({ ...genuine, block: 'not base64 at all' })).toContain('bundle');
    expect(failed({ ...genuine, configBlocks: [] })).toEqual(['genesis']);
  });

  it('pins the genesis by the hash of its header', () => {
    expect(anchors.genesisHash).toBe(blockHash(block(genuine.configBlocks[0] as string)));
  });
});
