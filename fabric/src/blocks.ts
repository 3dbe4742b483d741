// Blocks and envelopes as the peers store them: headers and hashes, validation flags, config blocks, endorsed
// transactions and the regchain events they carry.
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { CHAINCODE_NAME, type DomainEvent, type EventBatch, EVENT_NAME } from '@regchain/common';
import * as crypto from 'node:crypto';
import { der, derInteger } from './der';

export function header(block: common.Block): common.BlockHeader {
  const h = block.getHeader();
  if (!h) throw new Error('the block has no header');
  return h;
}

/**
 * The bytes Fabric hashes and orderers sign for a block header: the DER of
 * SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }.
 */
export function headerBytes(h: common.BlockHeader): Buffer {
  return der(
    0x30,
    Buffer.concat([derInteger(BigInt(h.getNumber())), der(0x04, Buffer.from(h.getPreviousHash_asU8())), der(0x04, Buffer.from(h.getDataHash_asU8()))]),
  );
}

export const blockHash = (block: common.Block): string =>
  crypto
    .createHash('sha256')
    .update(headerBytes(header(block)))
    .digest('hex');

export const blockNumber = (block: common.Block): number => Number(header(block).getNumber());

/** Fabric's block data hash: SHA-256 over the envelopes concatenated. */
export function dataHashMatches(block: common.Block): boolean {
  const data = block.getData()?.getDataList_asU8() ?? [];
  const hash = crypto
    .createHash('sha256')
    .update(Buffer.concat(data.map((d) => Buffer.from(d))))
    .digest();
  return hash.equals(Buffer.from(header(block).getDataHash_asU8()));
}

/** The orderers' signatures metadata of a block. */
export function signaturesMetadata(block: common.Block): common.Metadata {
  const bytes = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES] ?? new Uint8Array();
  return common.Metadata.deserializeBinary(bytes);
}

/** The config block in force when the orderers cut this block, from their signed metadata. */
export function lastConfigIndex(block: common.Block): number | undefined {
  try {
    const meta = common.OrdererBlockMetadata.deserializeBinary(signaturesMetadata(block).getValue_asU8());
    return meta.hasLastConfig() ? Number(meta.getLastConfig()?.getIndex()) : undefined;
  } catch {
    return undefined;
  }
}

/** The peer's validation flags for the block's transactions (not signed by the orderers). */
export const validationFlags = (block: common.Block): Uint8Array =>
  block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();

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

/** When a channel header says its transaction was proposed. */
export const timeOf = (h: common.ChannelHeader): Date => {
  const t = h.getTimestamp();
  return new Date(t ? t.getSeconds() * 1000 + Math.floor(t.getNanos() / 1e6) : 0);
};

/** When a block was made, as near as it tells: the time of its first envelope (the orderer adds none of its own). */
export function blockTime(block: common.Block): Date {
  const first = block.getData()?.getDataList_asU8()[0];
  const h = first ? channelHeaderOf(first) : undefined;
  return h ? new Date((h.getTimestamp()?.getSeconds() ?? 0) * 1000) : new Date(0);
}

/** ENDORSER_TRANSACTION, CONFIG, ...: a header type's name. */
export const headerTypeName = (type: number | undefined): string =>
  Object.entries(common.HeaderType).find(([, v]) => v === type)?.[0] ?? `TYPE_${type ?? 'unknown'}`;

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

/** The configuration a config block carries, or undefined when the block holds no config transaction. */
export function configOf(block: common.Block): { config: common.Config; channelId: string } | undefined {
  const data = block.getData()?.getDataList_asU8() ?? [];
  if (data.length !== 1) return undefined;
  try {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(data[0] as Uint8Array).getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    if (channelHeader.getType() !== common.HeaderType.CONFIG) return undefined;
    const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
    return config ? { config, channelId: channelHeader.getChannelId() } : undefined;
  } catch {
    return undefined;
  }
}

/** An endorser transaction's parts, decoded once. */
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

/** Decodes an endorser transaction's envelope; throws when it is not one with exactly one action. */
export function decodeEndorsed(envelopeBytes: Uint8Array): EndorsedTx {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const head = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(head?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(head?.getSignatureHeader_asU8() ?? new Uint8Array());
  const actions = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList();
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

export interface BlockTransaction {
  readonly txId: string;
  /** When the client proposed it (the channel header's timestamp), seconds since the epoch. */
  readonly time: number;
  readonly events: readonly DomainEvent[];
}

/** The regchain event batches of the block's valid endorser transactions, in block order. */
export function transactionsOf(block: common.Block): BlockTransaction[] {
  const flags = validationFlags(block);
  const out: BlockTransaction[] = [];
  (block.getData()?.getDataList_asU8() ?? []).forEach((bytes, i) => {
    if (flags[i] !== peer.TxValidationCode.VALID) return;
    const channelHeader = channelHeaderOf(bytes);
    if (channelHeader?.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
    const event = peer.ChaincodeEvent.deserializeBinary(decodeEndorsed(bytes).action.getEvents_asU8());
    if (event.getChaincodeId() !== CHAINCODE_NAME || event.getEventName() !== EVENT_NAME) return;
    const batch = JSON.parse(Buffer.from(event.getPayload_asU8()).toString('utf8')) as EventBatch;
    out.push({ txId: channelHeader.getTxId(), time: channelHeader.getTimestamp()?.getSeconds() ?? 0, events: batch.events });
  });
  return out;
}
