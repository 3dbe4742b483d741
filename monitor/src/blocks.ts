// The chaincode events of a committed block's valid transactions, read from the block itself: the monitor follows
// every block (empty ones too), so its checkpoint is a block and its lag is exact.
import { common, peer } from '@hyperledger/fabric-protos';
import { CHAINCODE_NAME, type DomainEvent, type EventBatch, EVENT_NAME } from '@regchain/common';
import { validationFlags } from '../../gateway/src/audit/blocks';

export interface BlockTransaction {
  readonly txId: string;
  /** When the client proposed it (the channel header's timestamp), seconds since the epoch. */
  readonly time: number;
  readonly events: readonly DomainEvent[];
}

const ENDORSER_TRANSACTION = common.HeaderType.ENDORSER_TRANSACTION;
const VALID = peer.TxValidationCode.VALID;

/** The regchain event batches of the block's valid endorser transactions, in block order. */
export function transactionsOf(block: common.Block): BlockTransaction[] {
  const flags = validationFlags(block);
  const out: BlockTransaction[] = [];
  block
    .getData()
    ?.getDataList_asU8()
    .forEach((bytes, i) => {
      if (flags[i] !== VALID) return;
      const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
      const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
      if (channelHeader.getType() !== ENDORSER_TRANSACTION) return;
      for (const action of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
        const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
        const response = peer.ProposalResponsePayload.deserializeBinary(actionPayload.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array());
        const event = peer.ChaincodeEvent.deserializeBinary(peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8()).getEvents_asU8());
        if (event.getChaincodeId() !== CHAINCODE_NAME || event.getEventName() !== EVENT_NAME) continue;
        const batch = JSON.parse(Buffer.from(event.getPayload_asU8()).toString('utf8')) as EventBatch;
        out.push({ txId: channelHeader.getTxId(), time: channelHeader.getTimestamp()?.getSeconds() ?? 0, events: batch.events });
      }
    });
  return out;
}
