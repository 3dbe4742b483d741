// What a block browser shows of a Fabric block: its hashes and, per transaction, the type, creator, endorsers
// and validation code. Read from the block bytes the peer serves (qscc), which Fabric 3 still answers.
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { blockHash, blockNumber, toHex, decodeEndorsed, header, headerTypeName, timeOf, validationFlags, validationName } from '@regchain/fabric';
import { x509 } from './signature';

export interface Identity {
  readonly mspId: string;
  /** The certificate's subject common name, or the subject when it has none. */
  readonly subject: string;
}

export interface TransactionSummary {
  readonly index: number;
  readonly transactionId: string;
  readonly type: string;
  readonly time: string;
  readonly validationCode: string;
  readonly creator: Identity | undefined;
  /** The chaincode the transaction invoked, for endorser transactions. */
  readonly chaincode?: string;
  readonly endorsers: Identity[];
}

export interface BlockSummary {
  readonly number: string;
  readonly hash: string;
  readonly previousHash: string;
  readonly dataHash: string;
  readonly transactions: TransactionSummary[];
}

function identityOf(serialized: Uint8Array): Identity | undefined {
  try {
    const id = msp.SerializedIdentity.deserializeBinary(serialized);
    const cert = x509(id.getIdBytes_asU8());
    const subject = cert?.subject ?? '';
    const cn = /^CN=(.*)$/m.exec(subject)?.[1];
    return { mspId: id.getMspid(), subject: cn ?? subject.replace(/\n/g, ', ') };
  } catch {
    return undefined;
  }
}

function describeTransaction(index: number, envelopeBytes: Uint8Array, flags: Uint8Array): TransactionSummary {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array());
  const base = {
    index,
    transactionId: channelHeader.getTxId(),
    type: headerTypeName(channelHeader.getType()),
    time: timeOf(channelHeader).toISOString(),
    validationCode: validationName(flags[index]),
    creator: identityOf(signatureHeader.getCreator_asU8()),
  };
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return { ...base, endorsers: [] };
  try {
    const tx = decodeEndorsed(envelopeBytes);
    const chaincode = tx.action.getChaincodeId()?.getName();
    const endorsers = tx.endorsements.map((e) => identityOf(e.getEndorser_asU8())).filter((e): e is Identity => e !== undefined);
    return { ...base, ...(chaincode ? { chaincode } : {}), endorsers };
  } catch {
    return { ...base, endorsers: [] };
  }
}

/** A block as the browser lists it; transactions in block order. */
export function describeBlock(block: common.Block): BlockSummary {
  const head = header(block);
  const flags = validationFlags(block);
  return {
    number: String(blockNumber(block)),
    hash: blockHash(block),
    previousHash: toHex(head.getPreviousHash_asU8()),
    dataHash: toHex(head.getDataHash_asU8()),
    transactions: (block.getData()?.getDataList_asU8() ?? []).map((d, i) => describeTransaction(i, d, flags)),
  };
}

/** The chaincode definition a channel has committed, as _lifecycle answers QueryChaincodeDefinition. */
export interface ChaincodeDefinition {
  readonly name: string;
  readonly sequence: number;
  readonly version: string;
  readonly endorsementPlugin: string;
  readonly validationPlugin: string;
  /** The endorsement policy, readable: a signature policy, or the channel policy it refers to. */
  readonly endorsementPolicy: string;
  readonly initRequired: boolean;
  readonly collections: string[];
  /** Each org's approval of this definition. */
  readonly approvals: Record<string, boolean>;
}

export function describeDefinition(
  name: string,
  result: Uint8Array,
  describeSignaturePolicy: (envelope: common.SignaturePolicyEnvelope) => string,
): ChaincodeDefinition {
  const def = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(result);
  const policy = peer.ApplicationPolicy.deserializeBinary(def.getValidationParameter_asU8());
  const signature = policy.getSignaturePolicy();
  const endorsementPolicy = signature ? describeSignaturePolicy(signature) : `channel policy ${policy.getChannelConfigPolicyReference()}`;
  const approvals: Record<string, boolean> = {};
  def.getApprovalsMap().forEach((v: boolean, k: string) => (approvals[k] = v));
  return {
    name,
    sequence: def.getSequence(),
    version: def.getVersion(),
    endorsementPlugin: def.getEndorsementPlugin(),
    validationPlugin: def.getValidationPlugin(),
    endorsementPolicy,
    initRequired: def.getInitRequired(),
    collections:
      def
        .getCollections()
        ?.getConfigList()
        .map((c) => c.getStaticCollectionConfig()?.getName() ?? '') ?? [],
    approvals,
  };
}
