// Collects an evidence bundle for a transaction from the caller's own peer: envelope, block, channel MSPs, policy.
import type { Network } from '@hyperledger/fabric-gateway';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { CHAINCODE_NAME, CHANNEL } from '../../../network/src/topology';
import { ApiError, fromFabric } from '../errors';
import { EVIDENCE_FORMAT, type EvidenceBundle } from './verify';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const pem = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

function txIdOf(envelopeBytes: Uint8Array): string {
  const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8());
  return common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array()).getTxId();
}

/** Root and intermediate certificates of every application and orderer org in the channel configuration. */
export function mspsFromConfig(config: common.Config): EvidenceBundle['msps'] {
  const out: Record<string, { roots: string[]; intermediates: string[] }> = {};
  const visit = (group: common.ConfigGroup | undefined): void => {
    if (!group) return;
    const mspValue = group.getValuesMap().get('MSP');
    if (mspValue) {
      const mspConfig = msp.MSPConfig.deserializeBinary(mspValue.getValue_asU8());
      const fabric = msp.FabricMSPConfig.deserializeBinary(mspConfig.getConfig_asU8());
      out[fabric.getName()] = { roots: fabric.getRootCertsList_asU8().map(pem), intermediates: fabric.getIntermediateCertsList_asU8().map(pem) };
    }
    group.getGroupsMap().forEach((child: common.ConfigGroup) => visit(child));
  };
  visit(config.getChannelGroup());
  return out;
}

export async function collectEvidence(network: Network, transactionId: string): Promise<EvidenceBundle> {
  const qscc = network.getContract('qscc');
  let blockBytes: Uint8Array;
  try {
    blockBytes = await qscc.evaluateTransaction('GetBlockByTxID', CHANNEL, transactionId);
  } catch (err) {
    const mapped = fromFabric(err);
    if (mapped.statusCode === 503) throw mapped;
    throw new ApiError(404, 'TRANSACTION_NOT_FOUND', `no committed transaction ${transactionId} on this peer`);
  }
  const block = common.Block.deserializeBinary(blockBytes);
  const header = block.getHeader();
  const data = block.getData()?.getDataList_asU8() ?? [];
  const envelope = data.find((d) => txIdOf(d) === transactionId);
  if (!header || !envelope) throw new ApiError(404, 'TRANSACTION_NOT_FOUND', `transaction ${transactionId} is not in the block the peer returned`);
  const flags = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();

  const configBytes = await network.getContract('cscc').evaluateTransaction('GetChannelConfig', CHANNEL);
  const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
  args.setName(CHAINCODE_NAME);
  const definition = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(
    await network.getContract('_lifecycle').evaluateTransaction('QueryChaincodeDefinition', args.serializeBinary()),
  );
  const policy = peer.ApplicationPolicy.deserializeBinary(definition.getValidationParameter_asU8()).getSignaturePolicy();
  if (!policy) throw new ApiError(500, 'INTERNAL', 'the chaincode definition has no signature policy');

  return {
    format: EVIDENCE_FORMAT,
    channel: CHANNEL,
    transactionId,
    envelope: b64(envelope),
    block: {
      number: String(header.getNumber()),
      previousHash: hex(header.getPreviousHash_asU8()),
      dataHash: hex(header.getDataHash_asU8()),
      data: data.map(b64),
      validationFlags: Array.from(flags),
    },
    msps: mspsFromConfig(common.Config.deserializeBinary(configBytes)),
    endorsementPolicy: b64(policy.serializeBinary()),
  };
}
