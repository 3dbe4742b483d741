// The orderers' signatures on a block, checked against the channel configuration in force.
import { common } from '@hyperledger/fabric-protos';
import { blockNumber, blockTime, header, headerBytes, signaturesMetadata } from '@regchain/fabric';
import type { ChannelConfig, CheckedSigner } from './channelconfig';

export interface BlockSignatureCheck {
  readonly number: number;
  readonly signers: CheckedSigner[];
  /** The channel's /Channel/Orderer/BlockValidation policy is met by the valid signatures. */
  readonly satisfied: boolean;
}

/**
 * Checks the orderers' signatures on a block: each over metadata value ‖ signature header ‖ header DER, by an
 * identity of an MSP in the config in force, whose certificate was valid when the block was made (so a bundle
 * still verifies after the orderers' certificates expire); then the BlockValidation policy over the valid ones.
 */
export function checkBlockSignatures(block: common.Block, config: ChannelConfig): BlockSignatureCheck {
  const at = blockTime(block);
  const metadata = signaturesMetadata(block);
  const head = headerBytes(header(block));
  const signers = metadata.getSignaturesList().map((s) => {
    const sigHeader = s.getSignatureHeader_asU8();
    const creator = common.SignatureHeader.deserializeBinary(sigHeader).getCreator_asU8();
    const signed = Buffer.concat([Buffer.from(metadata.getValue_asU8()), Buffer.from(sigHeader), head]);
    return config.checkSigner(creator, signed, s.getSignature_asU8(), at);
  });
  return { number: blockNumber(block), signers, satisfied: config.evaluate(['Orderer', 'BlockValidation'], signers) };
}
