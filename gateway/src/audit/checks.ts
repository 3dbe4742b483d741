// The evidence verifier's parts: the checks it makes in order, each a named function over what the ones before
// it established. A check that fails with nothing after it to stand on answers undefined, and the sequence stops.
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import {
  blockHash,
  blockNumber,
  configOf,
  dataHashMatches,
  fromBase64,
  toHex,
  decodeEndorsed,
  type EndorsedTx,
  lastConfigIndex,
  timeOf,
  txIdOf,
  validationFlags,
  validationName,
} from '@regchain/fabric';
import * as crypto from 'node:crypto';
import { checkBlockSignatures } from './blocks';
import { type AuditCheck, type AuditReport, CHECKS, EVIDENCE_FORMAT, type EvidenceBundle, type SignerReport, type TrustAnchors } from './bundle';
import { ChannelConfig, type CheckedSigner, describePolicy, evaluateSignaturePolicy } from './channelconfig';
import { fingerprint } from './signature';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type ReportSoFar = Mutable<Omit<AuditReport, 'checks' | 'verified' | 'problems'>>;

/** What every check reads and writes: the bundle, the anchors, the report so far, and the record of checks. */
export interface Audit {
  readonly bundle: EvidenceBundle;
  readonly anchors: TrustAnchors;
  readonly report: ReportSoFar;
  readonly checks: AuditCheck[];
}

/** Records one check; a failure's detail names what failed, a pass says what it established. */
export function check(a: Audit, name: string, ok: boolean, failure: string): boolean {
  a.checks.push({ check: name, ok, detail: ok ? (CHECKS[name] ?? name) : failure });
  return ok;
}

const sha256 = (...parts: Uint8Array[]): Buffer =>
  crypto
    .createHash('sha256')
    .update(Buffer.concat(parts.map((p) => Buffer.from(p))))
    .digest();
const stateBytes = (b: Uint8Array): Uint8Array => peer.lifecycle.StateData.deserializeBinary(b).getBytes_asU8();

/** The bundle is of this verifier's format, and anchors were given from outside it. */
export function checkFormatAndAnchors(a: Audit): boolean {
  const { bundle, anchors } = a;
  if (bundle.format !== EVIDENCE_FORMAT)
    return check(a, 'format', false, `the bundle's format is ${String(bundle.format)}; this verifier reads ${EVIDENCE_FORMAT}`);
  if (!anchors.genesisHash && !anchors.roots) {
    return check(a, 'anchors', false, 'no trust anchor was given: pin the genesis block (or its hash) or the orgs\u2019 root fingerprints');
  }
  if (!anchors.genesisHash && (anchors.ordererOrgs ?? []).length === 0) {
    return check(a, 'anchors', false, 'pinned roots need the orderer orgs pinned with them (ordererOrgs): pin them again with --pin-roots');
  }
  return true;
}

export interface Genesis {
  readonly channelId: string;
  readonly config: ChannelConfig;
  readonly blocks: common.Block[];
}

/** 1. The genesis config, trusted only through the anchors: its hash, or exactly the pinned MSPs and roots. */
export function checkGenesis(a: Audit): Genesis | undefined {
  const { bundle, anchors } = a;
  const blocks = bundle.configBlocks.map((b) => common.Block.deserializeBinary(fromBase64(b)));
  const genesis = blocks[0];
  const genesisConfig = genesis ? configOf(genesis) : undefined;
  if (!genesis || blockNumber(genesis) !== 0 || !genesisConfig) {
    check(a, 'genesis', false, 'the bundle does not start with the channel\u2019s genesis config block');
    return undefined;
  }
  const channelId = genesisConfig.channelId;
  a.report.channel = channelId;
  const config = new ChannelConfig(genesisConfig.config);
  // The header hash covers the data only through the data hash: both must hold.
  if (!check(a, 'genesis data', dataHashMatches(genesis), "the genesis block's data does not hash to its header's data hash")) return undefined;
  if (anchors.genesisHash) {
    const hash = blockHash(genesis);
    if (!check(a, 'genesis', hash === anchors.genesisHash.toLowerCase(), `the genesis block hashes to ${hash}; the pinned genesis is ${anchors.genesisHash}`))
      return undefined;
  }
  if (anchors.roots && !checkPinnedRoots(a, anchors.roots, config)) return undefined;
  check(a, 'channel', channelId === bundle.channel, `the genesis block is of channel ${channelId}; the bundle claims ${bundle.channel}`);
  return { channelId, config, blocks };
}

/**
 * Exactly the pinned MSPs, each with exactly its pinned roots: a genesis of the attacker's making that holds
 * one real root (and its own orgs or none beside it) is not the channel's.
 */
function checkPinnedRoots(a: Audit, roots: Readonly<Record<string, readonly string[]>>, config: ChannelConfig): boolean {
  const pinned = Object.entries(roots).map(
    ([id, fps]) =>
      [
        id,
        [...fps]
          .map((f) => f.toLowerCase())
          .sort()
          .join(','),
      ] as const,
  );
  const held = [...config.msps.values()].map((m) => [m.id, m.roots.map(fingerprint).sort().join(',')] as const);
  const key = (pairs: readonly (readonly [string, string])[]): string => JSON.stringify([...pairs].sort(([x], [y]) => (x < y ? -1 : 1)));
  const differing = [...new Set([...pinned, ...held].map(([id]) => id))].filter(
    (id) => pinned.find(([p]) => p === id)?.[1] !== held.find(([h]) => h === id)?.[1],
  );
  return check(a, 'roots', key(pinned) === key(held), `the genesis config's MSPs and roots are not the pinned ones (${differing.sort().join(', ')} differ)`);
}

export interface ConfigChain {
  readonly configs: readonly { number: number; config: ChannelConfig }[];
  /** The config in force when a block was cut, from the orderers' signed metadata. */
  configAt(block: common.Block): ChannelConfig | undefined;
  /** The block's signatures meet the BlockValidation policy of `under`, from the orgs the anchors allow. */
  signedEnough(s: ReturnType<typeof checkBlockSignatures>, under: ChannelConfig): boolean;
}

/** 2. Each later config block: signed by the orderers under the config before it, sequence one higher. */
export function checkConfigChain(a: Audit, genesis: Genesis): ConfigChain | undefined {
  const { anchors, report } = a;
  // With only roots pinned, the genesis block's policies and roles are not anchored: a block's signatures count
  // only from the pinned orderer orgs, and they alone must meet the BlockValidation policy, so neither a forged
  // policy nor a member org cast as an orderer in a forged genesis can sign blocks.
  const ordererOrgs = new Set(anchors.ordererOrgs ?? []);
  const signedEnough = (s: ReturnType<typeof checkBlockSignatures>, under: ChannelConfig): boolean => {
    if (anchors.genesisHash !== undefined) return s.satisfied;
    const fromOrderers = s.signers.filter((x) => x.ok && ordererOrgs.has(x.mspId) && x.roles.includes('orderer'));
    return fromOrderers.length > 0 && under.evaluate(['Orderer', 'BlockValidation'], fromOrderers);
  };
  let config = genesis.config;
  const configs: { number: number; config: ChannelConfig }[] = [{ number: 0, config }];
  for (const block of genesis.blocks.slice(1)) {
    const n = blockNumber(block);
    const next = configOf(block);
    const signatures = checkBlockSignatures(block, config);
    report.orderers.push({ block: n, signers: signatures.signers.map(signerReport), policySatisfied: signatures.satisfied });
    if (!check(a, 'config block', Boolean(next) && next?.channelId === genesis.channelId, `block ${n} is not a config block of ${genesis.channelId}`))
      return undefined;
    if (
      !check(
        a,
        'config signatures',
        signedEnough(signatures, config),
        `config block ${n} is not signed by the orderers under the BlockValidation policy in force`,
      )
    )
      return undefined;
    if (!check(a, 'config data', dataHashMatches(block), `config block ${n}'s data does not hash to its header's data hash`)) return undefined;
    const sequence = next?.config.getSequence() ?? -1;
    const follows = sequence === config.sequence + 1 && lastConfigIndex(block) === n;
    if (!check(a, 'config sequence', follows, `config block ${n} has sequence ${sequence}; the next after ${config.sequence} was expected`)) return undefined;
    config = new ChannelConfig((next as { config: common.Config }).config);
    configs.push({ number: n, config });
  }
  const configAt = (block: common.Block): ChannelConfig | undefined => configs.find((c) => c.number === lastConfigIndex(block))?.config;
  return { configs, configAt, signedEnough };
}

export interface Located {
  readonly block: common.Block;
  /** The transaction's place in the block. */
  readonly index: number;
  readonly envelopeBytes: Uint8Array;
  /** The config in force at the transaction's block. */
  readonly config: ChannelConfig;
}

/** 3. The transaction's block: signed by the orderers under the config in force, whose chain is complete; the transaction in it. */
export function checkBlock(a: Audit, chain: ConfigChain): Located | undefined {
  const { bundle, report } = a;
  const block = common.Block.deserializeBinary(fromBase64(bundle.block));
  const number = blockNumber(block);
  report.blockNumber = String(number);
  const inForce = chain.configAt(block);
  const lastConfig = chain.configs[chain.configs.length - 1] as { number: number };
  const endsChain = inForce !== undefined && lastConfigIndex(block) === lastConfig.number;
  if (
    !check(a, 'config in force', endsChain, `block ${number} was cut under config block ${String(lastConfigIndex(block))}, which the bundle does not end with`)
  )
    return undefined;
  const config = inForce as ChannelConfig;
  report.configSequence = config.sequence;
  const signatures = checkBlockSignatures(block, config);
  report.orderers.push({ block: number, signers: signatures.signers.map(signerReport), policySatisfied: signatures.satisfied });
  check(
    a,
    'block signatures',
    chain.signedEnough(signatures, config),
    `block ${number} is not signed by the orderers under the channel's BlockValidation policy (${signatures.signers.filter((s) => s.ok).length} valid orderer signature(s))`,
  );
  check(a, 'block data', dataHashMatches(block), `block ${number}'s data does not hash to its header's data hash`);
  const data = block.getData()?.getDataList_asU8() ?? [];
  const index = data.findIndex((d) => txIdOf(d) === bundle.transactionId);
  if (!check(a, 'envelope in block', index >= 0, `transaction ${bundle.transactionId} is not in block ${number}`)) return undefined;
  return { block, index, envelopeBytes: data[index] as Uint8Array, config };
}

export interface Envelope {
  readonly tx: EndorsedTx;
  /** When the transaction was proposed: certificates are judged valid or not at this time. */
  readonly at: Date;
}

/** 4. The envelope: this channel, this chaincode, the creator's signature and the transaction id. */
export function checkEnvelope(a: Audit, found: Located, channelId: string): Envelope {
  const { bundle, report } = a;
  const tx = decodeEndorsed(found.envelopeBytes);
  const at = timeOf(tx.channelHeader);
  const channel = tx.channelHeader.getChannelId();
  check(a, 'transaction type', tx.channelHeader.getType() === common.HeaderType.ENDORSER_TRANSACTION, 'the envelope is not an endorser transaction');
  check(a, 'transaction channel', channel === channelId, `the envelope is for channel ${channel}, not ${channelId}`);
  const computedTxId = toHex(sha256(tx.signatureHeader.getNonce_asU8(), tx.signatureHeader.getCreator_asU8()));
  check(a, 'transaction id', computedTxId === bundle.transactionId, "the transaction id is not the hash of the envelope's nonce and creator");
  const creator = found.config.checkSigner(tx.signatureHeader.getCreator_asU8(), tx.envelope.getPayload_asU8(), tx.envelope.getSignature_asU8(), at);
  report.creator = signerReport(creator);
  const creatorProblem = signerProblem('the creator', creator);
  check(a, 'creator', !creatorProblem, creatorProblem ?? '');
  const headerChaincode = peer.ChaincodeHeaderExtension.deserializeBinary(tx.channelHeader.getExtension_asU8()).getChaincodeId()?.getName() ?? '';
  const actionChaincode = tx.action.getChaincodeId();
  report.chaincode = { name: actionChaincode?.getName() ?? '', version: actionChaincode?.getVersion() ?? '' };
  check(
    a,
    'chaincode',
    headerChaincode === bundle.chaincode && report.chaincode.name === bundle.chaincode,
    `the transaction ran chaincode ${headerChaincode}/${report.chaincode.name}, not ${bundle.chaincode}`,
  );
  return { tx, at };
}

/** 5. The endorsements: over this proposal, each signature and certificate; answers the endorsers as checked. */
export function checkEndorsements(a: Audit, found: Located, { tx, at }: Envelope): CheckedSigner[] {
  const head = tx.payload.getHeader();
  const proposalHash = sha256(head?.getChannelHeader_asU8() ?? new Uint8Array(), head?.getSignatureHeader_asU8() ?? new Uint8Array(), tx.proposalPayload);
  check(
    a,
    'proposal hash',
    proposalHash.equals(Buffer.from(tx.responsePayload.getProposalHash_asU8())),
    'the endorsed response is for another proposal than this transaction\u2019s',
  );
  const endorsers = tx.endorsements.map((e) =>
    found.config.checkSigner(
      e.getEndorser_asU8(),
      Buffer.concat([Buffer.from(tx.responsePayloadBytes), Buffer.from(e.getEndorser_asU8())]),
      e.getSignature_asU8(),
      at,
    ),
  );
  a.report.endorsements = endorsers.map(signerReport);
  endorsers.forEach((e, i) => {
    const problem = signerProblem(`endorsement ${i + 1}`, e);
    check(a, 'endorsement', !problem, problem ?? '');
  });
  try {
    a.report.rwset = decodeRwset(tx.action.getResults_asU8());
  } catch {
    check(a, 'read/write set', false, 'the read/write set cannot be decoded');
  }
  return endorsers;
}

export interface Definition {
  readonly envelope: common.SignaturePolicyEnvelope | undefined;
  readonly reference: string;
  /** Where the policy was written (block:tx) and where the definition the transaction read was. */
  readonly at: string;
  readonly read: string;
  readonly sequence: number;
}

/**
 * 6. The definition in force: the _lifecycle Sequence version this transaction read (re-checked by MVCC at
 * commit) names the last definition commit; Fabric writes only the fields that changed, so the policy is
 * where that commit's own read of ValidationInfo points (re-checked by MVCC too), and so on back.
 */
export function checkDefinition(a: Audit, chain: ConfigChain, found: Located): Definition | undefined {
  const { bundle, report } = a;
  const sequenceRead = lifecycleFields(found.envelopeBytes, bundle.chaincode).reads.get('Sequence');
  if (!check(a, 'definition read', sequenceRead !== undefined, 'the transaction read no chaincode definition')) return undefined;
  const definitionBlocks = bundle.definitionBlocks.map((b) => common.Block.deserializeBinary(fromBase64(b)));
  let at = sequenceRead as string;
  let sequence = 0;
  for (let hop = 0; hop < 8; hop += 1) {
    const [bn, tn] = at.split(':').map(Number) as [number, number];
    const defBlock = definitionBlocks.find((b) => blockNumber(b) === bn);
    if (!check(a, 'definition read', defBlock !== undefined, `the definition was written at ${at}, and the bundle lacks block ${bn}`)) return undefined;
    const block = defBlock as common.Block;
    const defConfig = chain.configAt(block);
    const signatures = defConfig ? checkBlockSignatures(block, defConfig) : undefined;
    if (signatures) report.orderers.push({ block: bn, signers: signatures.signers.map(signerReport), policySatisfied: signatures.satisfied });
    const sound = Boolean(signatures && defConfig && chain.signedEnough(signatures, defConfig)) && dataHashMatches(block);
    if (!check(a, 'definition block', sound, `definition block ${bn} is not signed by the orderers or its data does not match its header`)) return undefined;
    const envelope = (block.getData()?.getDataList_asU8() ?? [])[tn];
    const fields = envelope ? lifecycleFields(envelope, bundle.chaincode) : undefined;
    if (hop === 0) {
      const seq = fields?.writes.get('Sequence');
      if (!check(a, 'definition', seq !== undefined, `transaction ${at} does not commit a definition of chaincode ${bundle.chaincode}`)) return undefined;
      sequence = peer.lifecycle.StateData.deserializeBinary(seq as Uint8Array).getInt64();
    }
    const validation = fields?.writes.get('ValidationInfo');
    if (validation) {
      const app = peer.ApplicationPolicy.deserializeBinary(
        peer.lifecycle.ChaincodeValidationInfo.deserializeBinary(stateBytes(validation)).getValidationParameter_asU8(),
      );
      check(a, 'definition', true, '');
      return { envelope: app.getSignaturePolicy(), reference: app.getChannelConfigPolicyReference(), at, read: sequenceRead as string, sequence };
    }
    const next = fields?.reads.get('ValidationInfo');
    if (!check(a, 'definition', next !== undefined, `the definition commit at ${at} neither wrote nor read the endorsement policy`)) return undefined;
    at = next as string;
  }
  check(a, 'definition', false, 'the endorsement policy in force could not be traced');
  return undefined;
}

/** The valid endorsements satisfy the endorsement policy of the definition in force. */
export function checkPolicy(a: Audit, def: Definition, endorsers: readonly CheckedSigner[], config: ChannelConfig): void {
  const satisfied = def.envelope
    ? evaluateSignaturePolicy(def.envelope, endorsers)
    : def.reference
      ? config.evaluate(
          def.reference.split('/').filter((p) => p && p !== 'Channel'),
          endorsers,
        )
      : false;
  a.report.policy = {
    rule: def.envelope ? describePolicy(def.envelope) : def.reference,
    satisfied,
    sequence: def.sequence,
    definedIn: `${def.read} (policy written at ${def.at})`,
  };
  check(a, 'endorsement policy', satisfied, `the valid endorsements do not satisfy the policy in force (sequence ${def.sequence}): ${a.report.policy.rule}`);
}

/** 7. The validation code: the block's flag is the peer's, unsigned; peers attest it with signed answers. */
export function checkValidation(a: Audit, found: Located, { tx, at }: Envelope): void {
  const { bundle, anchors, report } = a;
  const flag = validationFlags(found.block)[found.index];
  report.validationCode = validationName(flag);
  const attestations = bundle.attestations.map((x) => attestation(fromBase64(x), found.config, tx.envelope, at));
  report.attestations = attestations.map(({ mspId, subject, validationCode, ok }) => ({ mspId, subject, validationCode, ok }));
  const agreeing = attestations.filter((x) => x.ok && x.code === flag);
  const disagreeing = attestations.filter((x) => x.ok && x.code !== flag);
  // One member org's peer can sign whatever it likes about a flag: the word of an attesting org (the auditor's),
  // or of most of the channel's peer orgs, settles it.
  const peerOrgs = found.config.applicationMsps;
  const orgs = new Set(agreeing.map((x) => x.mspId).filter((id) => peerOrgs.has(id)));
  const settled = [...orgs].some((id) => (anchors.attestingOrgs ?? []).includes(id)) || orgs.size * 2 > peerOrgs.size;
  check(
    a,
    'validation attested',
    settled && disagreeing.length === 0,
    disagreeing.length > 0
      ? `peers of ${disagreeing.map((x) => x.mspId).join(', ')} attest ${disagreeing.map((x) => x.validationCode).join(', ')}, not the block's flag ${report.validationCode}`
      : agreeing.length === 0
        ? `no peer's signed answer attests the block's flag ${report.validationCode}`
        : `${report.validationCode} is attested by ${[...orgs].sort().join(', ') || 'no peer org'} only: an attesting org (${(anchors.attestingOrgs ?? []).join(', ') || 'none pinned'}) or more than half of the ${peerOrgs.size} peer orgs must`,
  );
  check(a, 'validation code', report.validationCode === 'VALID', `the transaction is ${report.validationCode}`);
}

export const signerReport = (s: CheckedSigner): SignerReport => ({
  mspId: s.mspId,
  subject: s.subject,
  organizationalUnits: s.organizationalUnits,
  signatureValid: s.signature !== 'invalid',
  lowS: s.signature !== 'high-s',
  chainsToOrgRoot: s.chainsToOrgRoot,
  validAtTime: s.validAtTime,
});

export function signerProblem(what: string, s: CheckedSigner): string | undefined {
  if (s.signature === 'invalid') return `${what} (${s.mspId || 'unknown MSP'}): the signature does not verify`;
  if (s.signature === 'high-s') return `${what} (${s.mspId}): the signature has a high S value, which Fabric refuses`;
  if (!s.chainsToOrgRoot) return `${what} (${s.mspId}): the certificate does not chain to a root of ${s.mspId} in the channel configuration`;
  if (!s.validAtTime) return `${what} (${s.mspId}): the certificate was not valid at the transaction's time`;
  if (s.revoked) return `${what} (${s.mspId}): the certificate is on ${s.mspId}'s revocation list in the configuration in force`;
  return undefined;
}

export function decodeRwset(results: Uint8Array): AuditReport['rwset'] {
  return ledger.rwset.TxReadWriteSet.deserializeBinary(results)
    .getNsRwsetList()
    .map((ns) => {
      const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
      return {
        namespace: ns.getNamespace(),
        reads: kv.getReadsList().map((r) => {
          const v = r.getVersion();
          return { key: r.getKey(), ...(v ? { version: `${v.getBlockNum()}:${v.getTxNum()}` } : {}) };
        }),
        writes: kv.getWritesList().map((w) => ({ key: w.getKey(), isDelete: w.getIsDelete(), value: Buffer.from(w.getValue_asU8()).toString('utf8') })),
      };
    });
}

/** What a _lifecycle commit read and wrote of one chaincode's definition fields (Sequence, ValidationInfo, ...). */
export function lifecycleFields(envelopeBytes: Uint8Array, chaincode: string): { writes: Map<string, Uint8Array>; reads: Map<string, string> } {
  const tx = decodeEndorsed(envelopeBytes);
  const ns = ledger.rwset.TxReadWriteSet.deserializeBinary(tx.action.getResults_asU8())
    .getNsRwsetList()
    .find((n) => n.getNamespace() === '_lifecycle');
  const writes = new Map<string, Uint8Array>();
  const reads = new Map<string, string>();
  if (!ns) return { writes, reads };
  const prefix = `namespaces/fields/${chaincode}/`;
  const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
  for (const w of kv.getWritesList()) if (w.getKey().startsWith(prefix)) writes.set(w.getKey().slice(prefix.length), w.getValue_asU8());
  for (const r of kv.getReadsList()) {
    const v = r.getVersion();
    if (r.getKey().startsWith(prefix) && v) reads.set(r.getKey().slice(prefix.length), `${v.getBlockNum()}:${v.getTxNum()}`);
  }
  return { writes, reads };
}

/** A peer's signed answer to GetTransactionByID: checked signer, peer role, and the code for this very envelope. */
export function attestation(
  bytes: Uint8Array,
  config: ChannelConfig,
  envelope: common.Envelope,
  at: Date,
): { mspId: string; subject: string; code: number | undefined; validationCode: string; ok: boolean } {
  try {
    const response = peer.ProposalResponse.deserializeBinary(bytes);
    const endorsement = response.getEndorsement();
    const payloadBytes = response.getPayload_asU8();
    const signer = config.checkSigner(
      endorsement?.getEndorser_asU8() ?? new Uint8Array(),
      Buffer.concat([Buffer.from(payloadBytes), Buffer.from(endorsement?.getEndorser_asU8() ?? new Uint8Array())]),
      endorsement?.getSignature_asU8() ?? new Uint8Array(),
      at,
    );
    const action = peer.ChaincodeAction.deserializeBinary(peer.ProposalResponsePayload.deserializeBinary(payloadBytes).getExtension_asU8());
    const processed = peer.ProcessedTransaction.deserializeBinary(action.getResponse()?.getPayload_asU8() ?? new Uint8Array());
    const same =
      Buffer.from(processed.getTransactionenvelope()?.getPayload_asU8() ?? []).equals(Buffer.from(envelope.getPayload_asU8())) &&
      Buffer.from(processed.getTransactionenvelope()?.getSignature_asU8() ?? []).equals(Buffer.from(envelope.getSignature_asU8()));
    const ok = signer.ok && signer.roles.includes('peer') && action.getResponse()?.getStatus() === 200 && same;
    const code = processed.getValidationcode();
    return { mspId: signer.mspId, subject: signer.subject, code, validationCode: validationName(code), ok };
  } catch {
    return { mspId: '', subject: '(unreadable)', code: undefined, validationCode: 'UNKNOWN', ok: false };
  }
}
