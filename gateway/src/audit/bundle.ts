// The evidence bundle an auditor verifies, the trust anchors given from outside it, the report the verifier
// writes, and the catalogue of its checks.

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
