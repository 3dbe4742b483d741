// A channel configuration as the verifier needs it: each MSP's roots and node OUs, and policies evaluated over signers.
import { common, msp } from '@hyperledger/fabric-protos';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import * as crypto from 'node:crypto';
import { chainsTo, validAt, verifySignature, type SignatureVerdict, x509 } from './signature';

export type NodeRole = 'member' | 'admin' | 'client' | 'peer' | 'orderer';

export interface MspView {
  readonly id: string;
  readonly roots: crypto.X509Certificate[];
  readonly intermediates: crypto.X509Certificate[];
  /** OU names that mark each node role, when NodeOUs are enabled. */
  readonly nodeOUs?: Readonly<Partial<Record<Exclude<NodeRole, 'member'>, string>>>;
  readonly admins: crypto.X509Certificate[];
  /** Certificates the MSP's revocation lists revoke: each list's issuer (one of the MSP's CAs) and serials. */
  readonly revoked: readonly { readonly issuer: crypto.X509Certificate; readonly serials: ReadonlySet<string> }[];
}

/** A signer whose signature and certificate were checked, with the roles its certificate gives it. */
export interface CheckedSigner {
  readonly mspId: string;
  readonly subject: string;
  readonly organizationalUnits: string[];
  readonly roles: NodeRole[];
  readonly signature: SignatureVerdict;
  readonly chainsToOrgRoot: boolean;
  readonly validAtTime: boolean;
  /** On a revocation list of its org in the configuration in force. */
  readonly revoked: boolean;
  /** Signature valid, low S, certificate chains to the org's root, was valid at the time and is not revoked. */
  readonly ok: boolean;
}

export class ChannelConfig {
  readonly sequence: number;
  readonly msps: ReadonlyMap<string, MspView>;
  /** The MSPs of the orderer organisations, and of the application (peer) organisations. */
  readonly ordererMsps: ReadonlySet<string>;
  readonly applicationMsps: ReadonlySet<string>;
  readonly #root: common.ConfigGroup;

  constructor(config: common.Config) {
    this.sequence = config.getSequence();
    const root = config.getChannelGroup();
    if (!root) throw new Error('the configuration has no channel group');
    this.#root = root;
    const msps = new Map<string, MspView>();
    const visit = (group: common.ConfigGroup, into?: Set<string>): void => {
      const value = group.getValuesMap().get('MSP');
      if (value) {
        const view = mspView(value.getValue_asU8());
        if (view) {
          msps.set(view.id, view);
          into?.add(view.id);
        }
      }
      group.getGroupsMap().forEach((child: common.ConfigGroup) => visit(child, into));
    };
    const orderer = new Set<string>();
    const application = new Set<string>();
    root
      .getGroupsMap()
      .forEach((child: common.ConfigGroup, name: string) => visit(child, name === 'Orderer' ? orderer : name === 'Application' ? application : undefined));
    this.msps = msps;
    this.ordererMsps = orderer;
    this.applicationMsps = application;
  }

  /** Checks one signature by a serialized identity (msp.SerializedIdentity) over the data. */
  checkSigner(serializedIdentity: Uint8Array, data: Uint8Array, signature: Uint8Array, at: Date): CheckedSigner {
    let id: msp.SerializedIdentity;
    try {
      id = msp.SerializedIdentity.deserializeBinary(serializedIdentity);
    } catch {
      return unreadable('');
    }
    const mspId = id.getMspid();
    const cert = x509(id.getIdBytes_asU8());
    if (!cert) return unreadable(mspId);
    const org = this.msps.get(mspId);
    const ous = cert.subject
      .split('\n')
      .filter((l) => l.startsWith('OU='))
      .map((l) => l.slice(3));
    const verdict = verifySignature(cert, data, signature);
    const chains = org ? chainsTo(cert, org.roots, org.intermediates) : false;
    const timely = validAt(cert, at);
    const serial = serialOf(cert.serialNumber);
    const revoked = org?.revoked.some((list) => list.serials.has(serial) && cert.checkIssued(list.issuer)) ?? false;
    return {
      mspId,
      subject: cert.subject.replace(/\n/g, ', '),
      organizationalUnits: ous,
      roles: org ? rolesOf(org, cert, ous) : ['member'],
      signature: verdict,
      chainsToOrgRoot: chains,
      validAtTime: timely,
      revoked,
      ok: verdict === 'valid' && chains && timely && !revoked,
    };
  }

  /** The policy at a path such as ['Orderer', 'BlockValidation'] (the last part names the policy). */
  evaluate(path: readonly string[], signers: readonly CheckedSigner[]): boolean {
    const names = [...path];
    const policyName = names.pop();
    let group: common.ConfigGroup | undefined = this.#root;
    for (const n of names) group = group?.getGroupsMap().get(n);
    if (!group || !policyName) return false;
    return evaluateInGroup(
      group,
      policyName,
      signers.filter((s) => s.ok),
    );
  }
}

function unreadable(mspId: string): CheckedSigner {
  return {
    mspId,
    subject: '(unreadable identity)',
    organizationalUnits: [],
    roles: [],
    signature: 'invalid',
    chainsToOrgRoot: false,
    validAtTime: false,
    revoked: false,
    ok: false,
  };
}

/** A serial number as hex, lower case, without leading zeros: how certificates and lists are compared. */
const serialOf = (hex: string): string => hex.toLowerCase().replace(/^0+(?=.)/, '');

const HASH_OF_SIGNATURE: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
};

/**
 * A revocation list (PEM or DER) the MSP carries: honoured only when one of the MSP's own CAs signed it, as
 * Fabric's MSP does; answers that CA and the serials it revokes, or undefined for a list no CA of the MSP signed.
 */
export function revocationList(bytes: Uint8Array, cas: readonly crypto.X509Certificate[]): MspView['revoked'][number] | undefined {
  try {
    const text = Buffer.from(bytes).toString('latin1');
    const der = text.includes('-----BEGIN') ? Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64') : Buffer.from(bytes);
    const list = AsnConvert.parse(der, CertificateList);
    const hash = HASH_OF_SIGNATURE[list.signatureAlgorithm.algorithm];
    if (!hash) return undefined;
    const signed = Buffer.from(AsnConvert.serialize(list.tbsCertList));
    const signature = Buffer.from(list.signature);
    const issuer = cas.find((ca) => crypto.verify(hash, signed, ca.publicKey, signature));
    if (!issuer) return undefined;
    const serials = new Set((list.tbsCertList.revokedCertificates ?? []).map((r) => serialOf(Buffer.from(r.userCertificate).toString('hex'))));
    return { issuer, serials };
  } catch {
    return undefined;
  }
}

function mspView(bytes: Uint8Array): MspView | undefined {
  const config = msp.MSPConfig.deserializeBinary(bytes);
  if (config.getType() !== 0) return undefined;
  const fabric = msp.FabricMSPConfig.deserializeBinary(config.getConfig_asU8());
  const certs = (list: Uint8Array[]): crypto.X509Certificate[] => list.map((c) => x509(c)).filter((c): c is crypto.X509Certificate => Boolean(c));
  const ous = fabric.getFabricNodeOus();
  const ou = (o: msp.FabricOUIdentifier | undefined): string | undefined => o?.getOrganizationalUnitIdentifier() || undefined;
  const nodeOUs = ous?.getEnable()
    ? {
        ...(ou(ous.getClientOuIdentifier()) ? { client: ou(ous.getClientOuIdentifier()) } : {}),
        ...(ou(ous.getPeerOuIdentifier()) ? { peer: ou(ous.getPeerOuIdentifier()) } : {}),
        ...(ou(ous.getAdminOuIdentifier()) ? { admin: ou(ous.getAdminOuIdentifier()) } : {}),
        ...(ou(ous.getOrdererOuIdentifier()) ? { orderer: ou(ous.getOrdererOuIdentifier()) } : {}),
      }
    : undefined;
  const roots = certs(fabric.getRootCertsList_asU8());
  const intermediates = certs(fabric.getIntermediateCertsList_asU8());
  return {
    id: fabric.getName(),
    roots,
    intermediates,
    ...(nodeOUs ? { nodeOUs } : {}),
    admins: certs(fabric.getAdminsList_asU8()),
    revoked: fabric
      .getRevocationListList_asU8()
      .map((crl) => revocationList(crl, [...roots, ...intermediates]))
      .filter((r): r is MspView['revoked'][number] => r !== undefined),
  };
}

function rolesOf(org: MspView, cert: crypto.X509Certificate, ous: readonly string[]): NodeRole[] {
  const roles: NodeRole[] = ['member'];
  for (const role of ['client', 'peer', 'admin', 'orderer'] as const) {
    const name = org.nodeOUs?.[role];
    if (name && ous.includes(name)) roles.push(role);
  }
  if (!roles.includes('admin') && org.admins.some((a) => a.raw.equals(cert.raw))) roles.push('admin');
  return roles;
}

const ROLE_OF_PRINCIPAL: Readonly<Record<number, NodeRole>> = {
  [msp.MSPRole.MSPRoleType.MEMBER]: 'member',
  [msp.MSPRole.MSPRoleType.ADMIN]: 'admin',
  [msp.MSPRole.MSPRoleType.CLIENT]: 'client',
  [msp.MSPRole.MSPRoleType.PEER]: 'peer',
  [msp.MSPRole.MSPRoleType.ORDERER]: 'orderer',
};

/**
 * Evaluates a signature policy the way Fabric does: principals are role principals; each signer satisfies
 * at most one principal.
 */
export function evaluateSignaturePolicy(envelope: common.SignaturePolicyEnvelope, signers: readonly CheckedSigner[]): boolean {
  const principals = envelope
    .getIdentitiesList()
    .map((p) => (p.getPrincipalClassification() === msp.MSPPrincipal.Classification.ROLE ? msp.MSPRole.deserializeBinary(p.getPrincipal_asU8()) : undefined));
  const used = new Set<number>();
  const matches = (s: CheckedSigner, index: number): boolean => {
    const p = principals[index];
    const role = p ? ROLE_OF_PRINCIPAL[p.getRole()] : undefined;
    return Boolean(p && role && s.mspId === p.getMspIdentifier() && s.roles.includes(role));
  };
  const evaluate = (rule: common.SignaturePolicy): boolean => {
    if (rule.hasNOutOf()) {
      const nOutOf = rule.getNOutOf() as common.SignaturePolicy.NOutOf;
      let satisfied = 0;
      for (const child of nOutOf.getRulesList()) if (evaluate(child)) satisfied += 1;
      return satisfied >= nOutOf.getN();
    }
    const index = rule.getSignedBy();
    const found = signers.findIndex((s, i) => !used.has(i) && matches(s, index));
    if (found < 0) return false;
    used.add(found);
    return true;
  };
  const rule = envelope.getRule();
  return rule ? evaluate(rule) : false;
}

function evaluateInGroup(group: common.ConfigGroup, name: string, signers: readonly CheckedSigner[]): boolean {
  const policy = group.getPoliciesMap().get(name)?.getPolicy();
  if (!policy) return false;
  if (policy.getType() === common.Policy.PolicyType.SIGNATURE) {
    return evaluateSignaturePolicy(common.SignaturePolicyEnvelope.deserializeBinary(policy.getValue_asU8()), signers);
  }
  if (policy.getType() === common.Policy.PolicyType.IMPLICIT_META) {
    const meta = common.ImplicitMetaPolicy.deserializeBinary(policy.getValue_asU8());
    const children = [...group.getGroupsMap().entries()].map(([, g]) => g as common.ConfigGroup);
    const satisfied = children.filter((g) => evaluateInGroup(g, meta.getSubPolicy(), signers)).length;
    const rule = meta.getRule();
    if (rule === common.ImplicitMetaPolicy.Rule.ANY) return satisfied >= 1;
    if (rule === common.ImplicitMetaPolicy.Rule.ALL) return satisfied === children.length;
    return satisfied > children.length / 2;
  }
  return false;
}

/** Human-readable form of a signature policy: AND(...), OR(...), OutOf(n, ...) over 'MSP.role'. */
export function describePolicy(envelope: common.SignaturePolicyEnvelope): string {
  const principals = envelope.getIdentitiesList().map((p) => {
    const r = msp.MSPRole.deserializeBinary(p.getPrincipal_asU8());
    return `'${r.getMspIdentifier()}.${ROLE_OF_PRINCIPAL[r.getRole()] ?? r.getRole()}'`;
  });
  const show = (rule: common.SignaturePolicy): string => {
    if (!rule.hasNOutOf()) return principals[rule.getSignedBy()] ?? '?';
    const n = rule.getNOutOf()?.getN() ?? 0;
    const children = (rule.getNOutOf()?.getRulesList() ?? []).map(show);
    if (n === children.length && n > 1) return `AND(${children.join(', ')})`;
    if (n === 1 && children.length > 1) return `OR(${children.join(', ')})`;
    return `OutOf(${n}, ${children.join(', ')})`;
  };
  const rule = envelope.getRule();
  return rule ? show(rule) : '(empty)';
}
