// Reads blocks from a given peer through qscc and decodes what the tests assert on.
import { common, peer } from '@hyperledger/fabric-protos';
import { createHash } from 'node:crypto';
import type { Gateway } from '@hyperledger/fabric-gateway';
import { CHANNEL } from '../../network/src/topology';

export interface DecodedBlock {
  readonly number: bigint;
  /** SHA-256 of the block header's data hash and previous hash: equal on every peer holding the block. */
  readonly headerDigest: string;
  readonly txIds: string[];
  /** Validation code per transaction, as the peer recorded it. */
  readonly validation: number[];
}

export function decodeBlock(bytes: Uint8Array): DecodedBlock {
  const block = common.Block.deserializeBinary(bytes);
  const header = block.getHeader();
  if (!header) throw new Error('block has no header');
  const txIds = (block.getData()?.getDataList_asU8() ?? []).map((envelopeBytes) => {
    const envelope = common.Envelope.deserializeBinary(envelopeBytes);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    return channelHeader.getTxId();
  });
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const digest = createHash('sha256').update(header.getDataHash_asU8()).update(header.getPreviousHash_asU8()).digest('hex');
  return { number: BigInt(header.getNumber()), headerDigest: digest, txIds, validation: Array.from(filter) };
}

/** Fetches a block from the peer the gateway is connected to (qscc is answered by that peer alone). */
export async function blockByNumber(gateway: Gateway, number: bigint): Promise<DecodedBlock> {
  const qscc = gateway.getNetwork(CHANNEL).getContract('qscc');
  const bytes = await qscc.evaluateTransaction('GetBlockByNumber', CHANNEL, number.toString());
  return decodeBlock(bytes);
}

export const VALID = peer.TxValidationCode.VALID;
