// Endorsement audit from the ledger alone: decode a committed envelope and verify every signature, chain and the policy.
// Pure: takes an evidence bundle (the envelope, its block's data and the channel's MSP roots and policy) and needs no network,
// so a third party can re-run it offline.
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import * as crypto from 'node:crypto';

export const EVIDENCE_FORMAT = 'regchain-evidence/1';

export interface EvidenceBundle {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly channel: string;
  readonly transactionId: string;
  /** The transaction envelope exactly as committed, base64. */
  readonly envelope: string;
  readonly block: {
    readonly number: string;
    readonly previousHash: string;
    readonly dataHash: string;
    /** Every envelope in the block, base64, in order: their concatenation hashes to dataHash. */
    readonly data: readonly string[];
    /** The peer's validation flags for the block's transactions. */
    readonly validationFlags: readonly number[];
  };
  /** Root and intermediate CA certificates of each org, from the channel configuration. */
  readonly msps: Readonly<Record<string, { readonly roots: readonly string[]; readonly intermediates: readonly string[] }>>;
  /** The chaincode's endorsement policy (a SignaturePolicyEnvelope), base64, from its lifecycle definition. */
  readonly endorsementPolicy: string;
}

export interface SignerCheck {
  readonly mspId: string;
  readonly subject: string;
  readonly organizationalUnits: string[];
  readonly signatureValid: boolean;
  readonly chainsToOrgRoot: boolean;
}

export interface AuditReport {
  readonly transactionId: string;
  readonly channel: string;
  readonly blockNumber: string;
  readonly validationCode: string;
  readonly creator: SignerCheck;
  readonly endorsements: SignerCheck[];
  readonly policy: { readonly rule: string; readonly satisfied: boolean };
  readonly block: { readonly dataHashMatches: boolean; readonly containsEnvelope: boolean };
  readonly chaincode: { readonly name: string; readonly version: string };
  readonly rwset: { namespace: string; reads: { key: string; version?: string }[]; writes: { key: string; isDelete: boolean; value: string }[] }[];
  /** Every check passed and the peer marked the transaction VALID. */
  readonly verified: boolean;
  readonly problems: string[];
}

const b64 = (s: string): Uint8Array => Buffer.from(s, 'base64');

function x509(pem: string): crypto.X509Certificate | undefined {
  try {
    return new crypto.X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function chains(cert: crypto.X509Certificate, roots: readonly string[], intermediates: readonly string[]): boolean {
  const rootCerts = roots.map(x509).filter((c): c is crypto.X509Certificate => Boolean(c));
  const interCerts = intermediates.map(x509).filter((c): c is crypto.X509Certificate => Boolean(c));
  const issuedBy = (child: crypto.X509Certificate, ca: crypto.X509Certificate): boolean => child.checkIssued(ca) && child.verify(ca.publicKey);
  if (rootCerts.some((r) => issuedBy(cert, r))) return true;
  return interCerts.some((i) => issuedBy(cert, i) && rootCerts.some((r) => issuedBy(i, r)));
}

function checkSigner(serializedIdentity: Uint8Array, data: Uint8Array, signature: Uint8Array, msps: EvidenceBundle['msps']): SignerCheck & { role: number } {
  const id = msp.SerializedIdentity.deserializeBinary(serializedIdentity);
  const mspId = id.getMspid();
  const cert = x509(Buffer.from(id.getIdBytes_asU8()).toString('utf8'));
  if (!cert) return { mspId, subject: '(unreadable certificate)', organizationalUnits: [], signatureValid: false, chainsToOrgRoot: false, role: -1 };
  let signatureValid = false;
  try {
    signatureValid = crypto.verify('sha256', data, { key: cert.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    signatureValid = false;
  }
  const org = msps[mspId];
  const ous = cert.subject
    .split('\n')
    .filter((l) => l.startsWith('OU='))
    .map((l) => l.slice(3));
  const roles = msp.MSPRole.MSPRoleType;
  const role = ous.includes('peer') ? roles.PEER : ous.includes('admin') ? roles.ADMIN : ous.includes('orderer') ? roles.ORDERER : ous.includes('client') ? roles.CLIENT : roles.MEMBER;
  return {
    mspId,
    subject: cert.subject.replace(/\n/g, ', '),
    organizationalUnits: ous,
    signatureValid,
    chainsToOrgRoot: org ? chains(cert, org.roots, org.intermediates) : false,
    role,
  };
}

/** Evaluates a signature policy the way Fabric does: each verified identity satisfies at most one principal. */
export function evaluatePolicy(envelope: common.SignaturePolicyEnvelope, signers: readonly { mspId: string; role: number }[]): boolean {
  const principals = envelope.getIdentitiesList().map((p) => msp.MSPRole.deserializeBinary(p.getPrincipal_asU8()));
  const used = new Set<number>();
  const matches = (i: number, principalIndex: number): boolean => {
    const p = principals[principalIndex];
    const s = signers[i];
    if (!p || !s || s.mspId !== p.getMspIdentifier()) return false;
    return p.getRole() === msp.MSPRole.MSPRoleType.MEMBER || p.getRole() === s.role;
  };
  const evaluate = (rule: common.SignaturePolicy): boolean => {
    if (rule.hasNOutOf()) {
      const nOutOf = rule.getNOutOf() as common.SignaturePolicy.NOutOf;
      let satisfied = 0;
      for (const child of nOutOf.getRulesList()) if (evaluate(child)) satisfied += 1;
      return satisfied >= nOutOf.getN();
    }
    const index = rule.getSignedBy();
    for (let i = 0; i < signers.length; i += 1) {
      if (!used.has(i) && matches(i, index)) {
        used.add(i);
        return true;
      }
    }
    return false;
  };
  const rule = envelope.getRule();
  return rule ? evaluate(rule) : false;
}

/** Human-readable form of a signature policy, e.g. OutOf(2, 'RegulatorMSP.peer', 'BankMSP.peer', ...). */
export function describePolicy(envelope: common.SignaturePolicyEnvelope): string {
  const names = Object.fromEntries(Object.entries(msp.MSPRole.MSPRoleType).map(([k, v]) => [v, k.toLowerCase()]));
  const principals = envelope.getIdentitiesList().map((p) => {
    const r = msp.MSPRole.deserializeBinary(p.getPrincipal_asU8());
    return `'${r.getMspIdentifier()}.${names[r.getRole()] ?? r.getRole()}'`;
  });
  const show = (rule: common.SignaturePolicy): string =>
    rule.hasNOutOf()
      ? `OutOf(${rule.getNOutOf()?.getN()}, ${(rule.getNOutOf()?.getRulesList() ?? []).map(show).join(', ')})`
      : (principals[rule.getSignedBy()] ?? '?');
  const rule = envelope.getRule();
  return rule ? show(rule) : '(empty)';
}

const validationName = (code: number | undefined): string =>
  code === undefined ? 'UNKNOWN' : (Object.entries(peer.TxValidationCode).find(([, v]) => v === code)?.[0] ?? `CODE_${code}`);

function decodeRwset(results: Uint8Array): AuditReport['rwset'] {
  const txRwset = ledger.rwset.TxReadWriteSet.deserializeBinary(results);
  return txRwset.getNsRwsetList().map((ns) => {
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

/** Verifies a bundle: block data hash, creator and endorser signatures and certificates, the policy, the validation flag. */
export function verifyEvidence(bundle: EvidenceBundle): AuditReport {
  const problems: string[] = [];
  const envelopeBytes = b64(bundle.envelope);
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payloadBytes = envelope.getPayload_asU8();
  const payload = common.Payload.deserializeBinary(payloadBytes);
  const header = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(header?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header?.getSignatureHeader_asU8() ?? new Uint8Array());

  const creator = checkSigner(signatureHeader.getCreator_asU8(), payloadBytes, envelope.getSignature_asU8(), bundle.msps);
  if (!creator.signatureValid) problems.push("the creator's signature over the payload does not verify");
  if (!creator.chainsToOrgRoot) problems.push(`the creator's certificate does not chain to ${creator.mspId}'s root`);
  if (channelHeader.getTxId() !== bundle.transactionId) problems.push('the envelope is for another transaction id');

  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = tx.getActionsList()[0];
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action?.getPayload_asU8() ?? new Uint8Array());
  const endorsed = actionPayload.getAction();
  const prpBytes = endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array();
  const endorsements = (endorsed?.getEndorsementsList() ?? []).map((e) => {
    const endorser = e.getEndorser_asU8();
    return checkSigner(endorser, Buffer.concat([prpBytes, endorser]), e.getSignature_asU8(), bundle.msps);
  });
  endorsements.forEach((e, i) => {
    if (!e.signatureValid) problems.push(`endorsement ${i + 1} (${e.mspId}) signature does not verify`);
    if (!e.chainsToOrgRoot) problems.push(`endorsement ${i + 1} certificate does not chain to ${e.mspId}'s root`);
  });

  const prp = peer.ProposalResponsePayload.deserializeBinary(prpBytes);
  const ccAction = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
  let rwset: AuditReport['rwset'] = [];
  try {
    rwset = decodeRwset(ccAction.getResults_asU8());
  } catch {
    problems.push('the read/write set cannot be decoded');
  }

  const policyEnvelope = common.SignaturePolicyEnvelope.deserializeBinary(b64(bundle.endorsementPolicy));
  const satisfied = evaluatePolicy(policyEnvelope, endorsements.filter((e) => e.signatureValid && e.chainsToOrgRoot));
  if (!satisfied) problems.push('the valid endorsements do not satisfy the endorsement policy');

  const data = bundle.block.data.map(b64);
  const dataHash = crypto.createHash('sha256').update(Buffer.concat(data)).digest('hex');
  const dataHashMatches = dataHash === bundle.block.dataHash;
  if (!dataHashMatches) problems.push("the block's data does not hash to its header's data hash");
  const index = data.findIndex((d) => Buffer.compare(Buffer.from(d), Buffer.from(envelopeBytes)) === 0);
  if (index < 0) problems.push('the envelope is not in the block');
  const code = index >= 0 ? bundle.block.validationFlags[index] : undefined;
  const validationCode = validationName(code);
  if (validationCode !== 'VALID') problems.push(`the peer marked the transaction ${validationCode}`);

  const ccId = ccAction.getChaincodeId();
  return {
    transactionId: bundle.transactionId,
    channel: channelHeader.getChannelId(),
    blockNumber: bundle.block.number,
    validationCode,
    creator: withoutRole(creator),
    endorsements: endorsements.map(withoutRole),
    policy: { rule: describePolicy(policyEnvelope), satisfied },
    block: { dataHashMatches, containsEnvelope: index >= 0 },
    chaincode: { name: ccId?.getName() ?? '', version: ccId?.getVersion() ?? '' },
    rwset,
    verified: problems.length === 0,
    problems,
  };
}

function withoutRole({ role: _role, ...rest }: SignerCheck & { role: number }): SignerCheck {
  return rest;
}
