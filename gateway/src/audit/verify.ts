// Endorsement audit from the ledger alone: a transaction verified against trust anchors given from outside the bundle.
// Pure: needs no network, so a third party can re-run it offline (npm run audit:verify).
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import * as crypto from 'node:crypto';
import { blockHash, blockNumber, checkBlockSignatures, configOf, dataHashMatches, lastConfigIndex, validationFlags } from './blocks';
import { ChannelConfig, type CheckedSigner, describePolicy, evaluateSignaturePolicy } from './channelconfig';
import { fingerprint } from './signature';

export const EVIDENCE_FORMAT = 'regchain-evidence/2';

/** Everything needed to verify one transaction; every part is checked, none is trusted. Byte fields are base64. */
export interface EvidenceBundle {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly channel: string;
  readonly chaincode: string;
  readonly transactionId: string;
  /** The block holding the transaction, as the peer stores it. */
  readonly block: string;
  /** Every config block from the genesis block (0) to the one in force at the transaction's block, in order. */
  readonly configBlocks: readonly string[];
  /**
   * The blocks of the _lifecycle commits that make up the chaincode definition the transaction ran: the one
   * it read, and back to the one that last wrote the endorsement policy (Fabric writes only changed fields).
   */
  readonly definitionBlocks: readonly string[];
  /** Peers' signed answers (ProposalResponse) to qscc GetTransactionByID: their word on the validation code. */
  readonly attestations: readonly string[];
}

/**
 * What the verifier trusts, from outside the bundle: the hash of the channel's genesis block header (hex), or
 * the SHA-256 fingerprints (hex) of every org's root certificates, by MSP id, with the MSPs whose nodes order
 * (and sign blocks). `attestingOrgs`: orgs whose peers' word on a validation flag settles it alone (the
 * auditor's own); otherwise a majority of the channel's peer orgs must attest it.
 */
export interface TrustAnchors {
  readonly genesisHash?: string;
  readonly roots?: Readonly<Record<string, readonly string[]>>;
  readonly ordererOrgs?: readonly string[];
  readonly attestingOrgs?: readonly string[];
}

export interface SignerReport {
  readonly mspId: string;
  readonly subject: string;
  readonly organizationalUnits: string[];
  readonly signatureValid: boolean;
  readonly lowS: boolean;
  readonly chainsToOrgRoot: boolean;
  readonly validAtTime: boolean;
}

export interface AuditCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface AuditReport {
  readonly transactionId: string;
  readonly channel: string;
  readonly blockNumber: string;
  readonly validationCode: string;
  readonly anchors: { readonly genesisHash?: string; readonly pinnedRoots?: string[] };
  readonly configSequence: number;
  readonly orderers: { readonly block: number; readonly signers: SignerReport[]; readonly policySatisfied: boolean }[];
  readonly creator: SignerReport | undefined;
  readonly endorsements: SignerReport[];
  readonly policy: { readonly rule: string; readonly satisfied: boolean; readonly sequence: number; readonly definedIn: string };
  readonly attestations: { readonly mspId: string; readonly subject: string; readonly validationCode: string; readonly ok: boolean }[];
  readonly chaincode: { readonly name: string; readonly version: string };
  readonly rwset: { namespace: string; reads: { key: string; version?: string }[]; writes: { key: string; isDelete: boolean; value: string }[] }[];
  /** Every check, in the order made; the reason for a failure names what failed. */
  readonly checks: AuditCheck[];
  /** Every check passed and the transaction is VALID. */
  readonly verified: boolean;
  readonly problems: string[];
}

const b64 = (s: string): Uint8Array => Buffer.from(s, 'base64');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha256 = (...parts: Uint8Array[]): Buffer =>
  crypto
    .createHash('sha256')
    .update(Buffer.concat(parts.map((p) => Buffer.from(p))))
    .digest();

export const validationName = (code: number | undefined): string =>
  code === undefined ? 'UNKNOWN' : (Object.entries(peer.TxValidationCode).find(([, v]) => v === code)?.[0] ?? `CODE_${code}`);

const signerReport = (s: CheckedSigner): SignerReport => ({
  mspId: s.mspId,
  subject: s.subject,
  organizationalUnits: s.organizationalUnits,
  signatureValid: s.signature !== 'invalid',
  lowS: s.signature !== 'high-s',
  chainsToOrgRoot: s.chainsToOrgRoot,
  validAtTime: s.validAtTime,
});

function signerProblem(what: string, s: CheckedSigner): string | undefined {
  if (s.signature === 'invalid') return `${what} (${s.mspId || 'unknown MSP'}): the signature does not verify`;
  if (s.signature === 'high-s') return `${what} (${s.mspId}): the signature has a high S value, which Fabric refuses`;
  if (!s.chainsToOrgRoot) return `${what} (${s.mspId}): the certificate does not chain to a root of ${s.mspId} in the channel configuration`;
  if (!s.validAtTime) return `${what} (${s.mspId}): the certificate was not valid at the transaction's time`;
  if (s.revoked) return `${what} (${s.mspId}): the certificate is on ${s.mspId}'s revocation list in the configuration in force`;
  return undefined;
}

function decodeRwset(results: Uint8Array): AuditReport['rwset'] {
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

export interface EndorsedTx {
  readonly envelope: common.Envelope;
  readonly payload: common.Payload;
  readonly channelHeader: common.ChannelHeader;
  readonly signatureHeader: common.SignatureHeader;
  readonly proposalPayload: Uint8Array;
  readonly responsePayload: peer.ProposalResponsePayload;
  readonly responsePayloadBytes: Uint8Array;
  readonly action: peer.ChaincodeAction;
  readonly endorsements: peer.Endorsement[];
}

export function decodeEndorsed(envelopeBytes: Uint8Array): EndorsedTx {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const head = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(head?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(head?.getSignatureHeader_asU8() ?? new Uint8Array());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const actions = tx.getActionsList();
  if (actions.length !== 1) throw new Error(`the transaction has ${actions.length} actions; Fabric commits exactly one`);
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary((actions[0] as peer.TransactionAction).getPayload_asU8());
  const endorsed = actionPayload.getAction();
  const responsePayloadBytes = endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array();
  const responsePayload = peer.ProposalResponsePayload.deserializeBinary(responsePayloadBytes);
  return {
    envelope,
    payload,
    channelHeader,
    signatureHeader,
    proposalPayload: actionPayload.getChaincodeProposalPayload_asU8(),
    responsePayload,
    responsePayloadBytes,
    action: peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8()),
    endorsements: endorsed?.getEndorsementsList() ?? [],
  };
}

/** An envelope's channel header (transaction id, type, time), or undefined when the bytes are not an envelope. */
export function channelHeaderOf(envelopeBytes: Uint8Array): common.ChannelHeader | undefined {
  try {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8());
    return common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
  } catch {
    return undefined;
  }
}

export const txIdOf = (envelopeBytes: Uint8Array): string => channelHeaderOf(envelopeBytes)?.getTxId() ?? '';

/** Who signed an envelope: its creator's MSP and certificate (PEM), or undefined when it cannot be read. */
export function creatorOf(envelope: common.Envelope): { mspId: string; certificate: string } | undefined {
  try {
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const signature = common.SignatureHeader.deserializeBinary(payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array());
    const creator = msp.SerializedIdentity.deserializeBinary(signature.getCreator_asU8());
    return { mspId: creator.getMspid(), certificate: Buffer.from(creator.getIdBytes_asU8()).toString('utf8') };
  } catch {
    return undefined;
  }
}

/** ENDORSER_TRANSACTION, CONFIG, ...: a header type's name. */
export const headerTypeName = (type: number | undefined): string =>
  Object.entries(common.HeaderType).find(([, v]) => v === type)?.[0] ?? `TYPE_${type ?? 'unknown'}`;

export const timeOf = (h: common.ChannelHeader): Date => {
  const t = h.getTimestamp();
  return new Date(t ? t.getSeconds() * 1000 + Math.floor(t.getNanos() / 1e6) : 0);
};

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

const stateBytes = (b: Uint8Array): Uint8Array => peer.lifecycle.StateData.deserializeBinary(b).getBytes_asU8();

/** Every check the verifier makes, in order, with what passing it means. */
export const CHECKS: Readonly<Record<string, string>> = {
  format: 'the bundle is a regchain evidence bundle of this version',
  anchors: 'trust anchors were given from outside the bundle',
  'genesis data': "the genesis block's data hashes to its header's data hash",
  genesis: "the genesis block's header hashes to the pinned genesis hash",
  roots: 'the genesis config holds exactly the pinned MSPs, each with exactly its pinned root certificates',
  channel: 'the genesis block is of the channel the bundle names',
  'config block': 'each later config block carries a config of this channel',
  'config signatures': 'each later config block is signed by the orderers under the BlockValidation policy of the config before it',
  'config data': "each config block's data hashes to its header",
  'config sequence': 'config sequences follow one another with none missing',
  'config in force': "the orderers' signed metadata names the last config block of the bundle as the config in force",
  'block signatures': "the transaction's block is signed by the orderers under the channel's BlockValidation policy",
  'block data': "the block's data hashes to its header's data hash",
  'envelope in block': 'the transaction is in the block',
  'transaction type': 'the envelope is an endorser transaction',
  'transaction channel': 'the envelope is for this channel',
  'transaction id': "the transaction id is the hash of the envelope's nonce and creator",
  creator: "the creator's signature over the payload verifies (low S) and its certificate chains to its org's root and was valid then",
  chaincode: 'the transaction ran the chaincode the bundle names',
  'proposal hash': "the endorsed response is over this transaction's own proposal",
  endorsement: "each endorsement's signature verifies (low S) and its certificate chains to its org's root and was valid then",
  'read/write set': 'the read/write set decodes',
  'definition read': 'the bundle carries every block the chaincode definition the transaction read was written in',
  'definition block': 'each block with a part of the chaincode definition is signed by the orderers and matches its header',
  definition: 'the _lifecycle commits the transaction read, back to the one that wrote the endorsement policy, were followed',
  'endorsement policy': "the valid endorsements satisfy the definition's endorsement policy",
  'validation attested':
    "peers of an attesting org, or of a majority of the channel's peer orgs, attest the block's validation flag in signed answers, and none contradicts it",
  'validation code': 'the transaction is VALID',
};

/** Verifies a bundle against the anchors (see CHECKS). Never throws on bad input. */
export function verifyEvidence(bundle: EvidenceBundle, anchors: TrustAnchors): AuditReport {
  const checks: AuditCheck[] = [];
  // A failure's detail names what failed; a pass says what it established.
  const check = (name: string, ok: boolean, failure: string): boolean => {
    checks.push({ check: name, ok, detail: ok ? (CHECKS[name] ?? name) : failure });
    return ok;
  };
  const partial: Mutable<Omit<AuditReport, 'checks' | 'verified' | 'problems'>> = {
    transactionId: bundle.transactionId,
    channel: '',
    blockNumber: '',
    validationCode: 'UNKNOWN',
    anchors: {
      ...(anchors.genesisHash ? { genesisHash: anchors.genesisHash } : {}),
      ...(anchors.roots ? { pinnedRoots: Object.keys(anchors.roots).sort() } : {}),
    },
    configSequence: -1,
    orderers: [],
    creator: undefined,
    endorsements: [],
    policy: { rule: '', satisfied: false, sequence: 0, definedIn: '' },
    attestations: [],
    chaincode: { name: '', version: '' },
    rwset: [],
  };
  try {
    verifyInto(bundle, anchors, partial, check);
  } catch (err) {
    check('bundle', false, `the bundle cannot be decoded: ${(err as Error).message}`);
  }
  const problems = checks.filter((c) => !c.ok).map((c) => c.detail);
  return { ...partial, checks, verified: problems.length === 0 && checks.length > 0, problems };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function verifyInto(
  bundle: EvidenceBundle,
  anchors: TrustAnchors,
  report: Mutable<Omit<AuditReport, 'checks' | 'verified' | 'problems'>>,
  check: (name: string, ok: boolean, detail: string) => boolean,
): void {
  if (bundle.format !== EVIDENCE_FORMAT) {
    check('format', false, `the bundle's format is ${String(bundle.format)}; this verifier reads ${EVIDENCE_FORMAT}`);
    return;
  }
  if (!anchors.genesisHash && !anchors.roots) {
    check('anchors', false, 'no trust anchor was given: pin the genesis block (or its hash) or the orgs\u2019 root fingerprints');
    return;
  }
  if (!anchors.genesisHash && (anchors.ordererOrgs ?? []).length === 0) {
    check('anchors', false, 'pinned roots need the orderer orgs pinned with them (ordererOrgs): pin them again with --pin-roots');
    return;
  }

  // 1. The genesis config, trusted only through the anchors.
  const configBlocks = bundle.configBlocks.map((b) => common.Block.deserializeBinary(b64(b)));
  const genesis = configBlocks[0];
  const genesisConfig = genesis ? configOf(genesis) : undefined;
  if (!genesis || blockNumber(genesis) !== 0 || !genesisConfig) {
    check('genesis', false, 'the bundle does not start with the channel\u2019s genesis config block');
    return;
  }
  const channelId = genesisConfig.channelId;
  report.channel = channelId;
  let config = new ChannelConfig(genesisConfig.config);
  // The header hash covers the data only through the data hash: both must hold.
  if (!check('genesis data', dataHashMatches(genesis), "the genesis block's data does not hash to its header's data hash")) return;
  if (anchors.genesisHash) {
    const hash = blockHash(genesis);
    if (!check('genesis', hash === anchors.genesisHash.toLowerCase(), `the genesis block hashes to ${hash}; the pinned genesis is ${anchors.genesisHash}`))
      return;
  }
  if (anchors.roots) {
    // Exactly the pinned MSPs, each with exactly its pinned roots: a genesis of the attacker's making that holds
    // one real root (and its own orgs or none beside it) is not the channel's.
    const pinned = Object.entries(anchors.roots).map(
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
    const key = (pairs: readonly (readonly [string, string])[]): string => JSON.stringify([...pairs].sort(([a], [b]) => (a < b ? -1 : 1)));
    const differing = [...new Set([...pinned, ...held].map(([id]) => id))].filter(
      (id) => pinned.find(([p]) => p === id)?.[1] !== held.find(([h]) => h === id)?.[1],
    );
    if (!check('roots', key(pinned) === key(held), `the genesis config's MSPs and roots are not the pinned ones (${differing.sort().join(', ')} differ)`))
      return;
  }
  check('channel', channelId === bundle.channel, `the genesis block is of channel ${channelId}; the bundle claims ${bundle.channel}`);

  // With only roots pinned, the genesis block's policies and roles are not anchored: a block's signatures count
  // only from the pinned orderer orgs, and they alone must meet the BlockValidation policy, so neither a forged
  // policy nor a member org cast as an orderer in a forged genesis can sign blocks.
  const ordererOrgs = new Set(anchors.ordererOrgs ?? []);
  const signedEnough = (s: ReturnType<typeof checkBlockSignatures>, under: ChannelConfig): boolean => {
    if (anchors.genesisHash !== undefined) return s.satisfied;
    const fromOrderers = s.signers.filter((x) => x.ok && ordererOrgs.has(x.mspId) && x.roles.includes('orderer'));
    return fromOrderers.length > 0 && under.evaluate(['Orderer', 'BlockValidation'], fromOrderers);
  };

  // 2. Each later config block: signed by the orderers under the config before it, sequence one higher.
  const configs: { number: number; config: ChannelConfig }[] = [{ number: 0, config }];
  for (const block of configBlocks.slice(1)) {
    const n = blockNumber(block);
    const next = configOf(block);
    const signatures = checkBlockSignatures(block, config);
    report.orderers.push({ block: n, signers: signatures.signers.map(signerReport), policySatisfied: signatures.satisfied });
    if (!check('config block', Boolean(next) && next?.channelId === channelId, `block ${n} is not a config block of ${channelId}`)) return;
    if (
      !check('config signatures', signedEnough(signatures, config), `config block ${n} is not signed by the orderers under the BlockValidation policy in force`)
    )
      return;
    if (!check('config data', dataHashMatches(block), `config block ${n}'s data does not hash to its header's data hash`)) return;
    const sequence = next?.config.getSequence() ?? -1;
    if (
      !check(
        'config sequence',
        sequence === config.sequence + 1 && lastConfigIndex(block) === n,
        `config block ${n} has sequence ${sequence}; the next after ${config.sequence} was expected`,
      )
    )
      return;
    config = new ChannelConfig((next as { config: common.Config }).config);
    configs.push({ number: n, config });
  }
  const configAt = (block: common.Block): ChannelConfig | undefined => {
    const index = lastConfigIndex(block);
    return configs.find((c) => c.number === index)?.config;
  };

  // 3. The transaction's block: signed by the orderers under the config in force, whose chain is complete.
  const block = common.Block.deserializeBinary(b64(bundle.block));
  const number = blockNumber(block);
  report.blockNumber = String(number);
  const inForce = configAt(block);
  const lastConfig = configs[configs.length - 1] as { number: number };
  if (
    !check(
      'config in force',
      inForce !== undefined && lastConfigIndex(block) === lastConfig.number,
      `block ${number} was cut under config block ${String(lastConfigIndex(block))}, which the bundle does not end with`,
    )
  )
    return;
  const txConfig = inForce as ChannelConfig;
  report.configSequence = txConfig.sequence;
  const blockSignatures = checkBlockSignatures(block, txConfig);
  report.orderers.push({ block: number, signers: blockSignatures.signers.map(signerReport), policySatisfied: blockSignatures.satisfied });
  check(
    'block signatures',
    signedEnough(blockSignatures, txConfig),
    `block ${number} is not signed by the orderers under the channel's BlockValidation policy (${blockSignatures.signers.filter((s) => s.ok).length} valid orderer signature(s))`,
  );
  check('block data', dataHashMatches(block), `block ${number}'s data does not hash to its header's data hash`);
  const data = block.getData()?.getDataList_asU8() ?? [];
  const index = data.findIndex((d) => txIdOf(d) === bundle.transactionId);
  if (!check('envelope in block', index >= 0, `transaction ${bundle.transactionId} is not in block ${number}`)) return;
  const envelopeBytes = data[index] as Uint8Array;

  // 4. The envelope: this channel, this chaincode, the creator's signature and transaction id.
  const tx = decodeEndorsed(envelopeBytes);
  const at = timeOf(tx.channelHeader);
  check('transaction type', tx.channelHeader.getType() === common.HeaderType.ENDORSER_TRANSACTION, 'the envelope is not an endorser transaction');
  check(
    'transaction channel',
    tx.channelHeader.getChannelId() === channelId,
    `the envelope is for channel ${tx.channelHeader.getChannelId()}, not ${channelId}`,
  );
  const computedTxId = hex(sha256(tx.signatureHeader.getNonce_asU8(), tx.signatureHeader.getCreator_asU8()));
  check('transaction id', computedTxId === bundle.transactionId, "the transaction id is not the hash of the envelope's nonce and creator");
  const creator = txConfig.checkSigner(tx.signatureHeader.getCreator_asU8(), tx.envelope.getPayload_asU8(), tx.envelope.getSignature_asU8(), at);
  report.creator = signerReport(creator);
  const creatorProblem = signerProblem('the creator', creator);
  check('creator', !creatorProblem, creatorProblem ?? '');
  const headerChaincode = peer.ChaincodeHeaderExtension.deserializeBinary(tx.channelHeader.getExtension_asU8()).getChaincodeId()?.getName() ?? '';
  const actionChaincode = tx.action.getChaincodeId();
  report.chaincode = { name: actionChaincode?.getName() ?? '', version: actionChaincode?.getVersion() ?? '' };
  check(
    'chaincode',
    headerChaincode === bundle.chaincode && report.chaincode.name === bundle.chaincode,
    `the transaction ran chaincode ${headerChaincode}/${report.chaincode.name}, not ${bundle.chaincode}`,
  );

  // 5. The endorsements: over this proposal, each signature and certificate, then the policy in force.
  const head = tx.payload.getHeader();
  const proposalHash = sha256(head?.getChannelHeader_asU8() ?? new Uint8Array(), head?.getSignatureHeader_asU8() ?? new Uint8Array(), tx.proposalPayload);
  check(
    'proposal hash',
    proposalHash.equals(Buffer.from(tx.responsePayload.getProposalHash_asU8())),
    'the endorsed response is for another proposal than this transaction\u2019s',
  );
  const endorsers = tx.endorsements.map((e) =>
    txConfig.checkSigner(
      e.getEndorser_asU8(),
      Buffer.concat([Buffer.from(tx.responsePayloadBytes), Buffer.from(e.getEndorser_asU8())]),
      e.getSignature_asU8(),
      at,
    ),
  );
  report.endorsements = endorsers.map(signerReport);
  endorsers.forEach((e, i) => {
    const problem = signerProblem(`endorsement ${i + 1}`, e);
    check('endorsement', !problem, problem ?? '');
  });
  try {
    report.rwset = decodeRwset(tx.action.getResults_asU8());
  } catch {
    check('read/write set', false, 'the read/write set cannot be decoded');
  }

  // 6. The definition in force: the _lifecycle Sequence version this transaction read (re-checked by MVCC at
  // commit) names the last definition commit; Fabric writes only the fields that changed, so the policy is
  // where that commit's own read of ValidationInfo points (re-checked by MVCC too), and so on back.
  const sequenceRead = lifecycleFields(envelopeBytes, bundle.chaincode).reads.get('Sequence');
  if (!check('definition read', sequenceRead !== undefined, 'the transaction read no chaincode definition')) return;
  const definitionBlocks = bundle.definitionBlocks.map((b) => common.Block.deserializeBinary(b64(b)));
  let at_ = sequenceRead as string;
  let sequence: number | undefined;
  let policy: { envelope: common.SignaturePolicyEnvelope | undefined; reference: string; at: string } | undefined;
  for (let hop = 0; hop < 8 && !policy; hop += 1) {
    const [bn, tn] = at_.split(':').map(Number) as [number, number];
    const defBlock = definitionBlocks.find((b) => blockNumber(b) === bn);
    if (!check('definition read', defBlock !== undefined, `the definition was written at ${at_}, and the bundle lacks block ${bn}`)) return;
    const defConfig = configAt(defBlock as common.Block);
    const defSignatures = defConfig ? checkBlockSignatures(defBlock as common.Block, defConfig) : undefined;
    if (defSignatures) report.orderers.push({ block: bn, signers: defSignatures.signers.map(signerReport), policySatisfied: defSignatures.satisfied });
    if (
      !check(
        'definition block',
        Boolean(defSignatures && defConfig && signedEnough(defSignatures, defConfig)) && dataHashMatches(defBlock as common.Block),
        `definition block ${bn} is not signed by the orderers or its data does not match its header`,
      )
    )
      return;
    const envelope = ((defBlock as common.Block).getData()?.getDataList_asU8() ?? [])[tn];
    const fields = envelope ? lifecycleFields(envelope, bundle.chaincode) : undefined;
    if (hop === 0) {
      const seq = fields?.writes.get('Sequence');
      if (!check('definition', seq !== undefined, `transaction ${at_} does not commit a definition of chaincode ${bundle.chaincode}`)) return;
      sequence = peer.lifecycle.StateData.deserializeBinary(seq as Uint8Array).getInt64();
    }
    const validation = fields?.writes.get('ValidationInfo');
    if (validation) {
      const app = peer.ApplicationPolicy.deserializeBinary(
        peer.lifecycle.ChaincodeValidationInfo.deserializeBinary(stateBytes(validation)).getValidationParameter_asU8(),
      );
      policy = { envelope: app.getSignaturePolicy(), reference: app.getChannelConfigPolicyReference(), at: at_ };
    } else {
      const next = fields?.reads.get('ValidationInfo');
      if (!check('definition', next !== undefined, `the definition commit at ${at_} neither wrote nor read the endorsement policy`)) return;
      at_ = next as string;
    }
  }
  if (!check('definition', policy !== undefined, 'the endorsement policy in force could not be traced')) return;
  const def = policy as NonNullable<typeof policy>;
  const satisfied = def.envelope
    ? evaluateSignaturePolicy(def.envelope, endorsers)
    : def.reference
      ? txConfig.evaluate(
          def.reference.split('/').filter((p) => p && p !== 'Channel'),
          endorsers,
        )
      : false;
  report.policy = {
    rule: def.envelope ? describePolicy(def.envelope) : def.reference,
    satisfied,
    sequence: sequence ?? 0,
    definedIn: `${sequenceRead} (policy written at ${def.at})`,
  };
  check('endorsement policy', satisfied, `the valid endorsements do not satisfy the policy in force (sequence ${sequence}): ${report.policy.rule}`);

  // 7. The validation code: the block's flag is the peer's, unsigned; peers attest it with signed answers.
  const flag = validationFlags(block)[index];
  report.validationCode = validationName(flag);
  const attestations = bundle.attestations.map((a) => attestation(b64(a), txConfig, tx.envelope, at));
  report.attestations = attestations.map(({ mspId, subject, validationCode, ok }) => ({ mspId, subject, validationCode, ok }));
  const agreeing = attestations.filter((a) => a.ok && a.code === flag);
  const disagreeing = attestations.filter((a) => a.ok && a.code !== flag);
  // One member org's peer can sign whatever it likes about a flag: the word of an attesting org (the auditor's),
  // or of most of the channel's peer orgs, settles it.
  const orgs = new Set(agreeing.map((a) => a.mspId).filter((id) => txConfig.applicationMsps.has(id)));
  const settled = [...orgs].some((id) => (anchors.attestingOrgs ?? []).includes(id)) || orgs.size * 2 > txConfig.applicationMsps.size;
  check(
    'validation attested',
    settled && disagreeing.length === 0,
    disagreeing.length > 0
      ? `peers of ${disagreeing.map((a) => a.mspId).join(', ')} attest ${disagreeing.map((a) => a.validationCode).join(', ')}, not the block's flag ${report.validationCode}`
      : agreeing.length === 0
        ? `no peer's signed answer attests the block's flag ${report.validationCode}`
        : `${report.validationCode} is attested by ${[...orgs].sort().join(', ') || 'no peer org'} only: an attesting org (${(anchors.attestingOrgs ?? []).join(', ') || 'none pinned'}) or more than half of the ${txConfig.applicationMsps.size} peer orgs must`,
  );
  check('validation code', report.validationCode === 'VALID', `the transaction is ${report.validationCode}`);
}

/** A peer's signed answer to GetTransactionByID: checked signer, peer role, and the code for this very envelope. */
function attestation(
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
