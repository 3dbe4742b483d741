// Blocks as Fabric hashes and signs them: the ASN.1 header hash, the orderers' signatures, the config in force.
import { common } from '@hyperledger/fabric-protos';
import * as crypto from 'node:crypto';
import type { ChannelConfig, CheckedSigner } from './channelconfig';

/** DER of one length. */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const der = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let body = Buffer.from(hex, 'hex');
  if (((body[0] as number) & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body]);
  return der(0x02, body);
}

/**
 * The bytes Fabric hashes and orderers sign for a block header: the DER of
 * SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }.
 */
export function headerBytes(header: common.BlockHeader): Buffer {
  return der(
    0x30,
    Buffer.concat([
      derInteger(BigInt(header.getNumber())),
      der(0x04, Buffer.from(header.getPreviousHash_asU8())),
      der(0x04, Buffer.from(header.getDataHash_asU8())),
    ]),
  );
}

export const blockHash = (block: common.Block): string =>
  crypto
    .createHash('sha256')
    .update(headerBytes(header(block)))
    .digest('hex');

export function header(block: common.Block): common.BlockHeader {
  const h = block.getHeader();
  if (!h) throw new Error('the block has no header');
  return h;
}

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

function signaturesMetadata(block: common.Block): common.Metadata {
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

export interface BlockSignatureCheck {
  readonly number: number;
  readonly signers: CheckedSigner[];
  /** The channel's /Channel/Orderer/BlockValidation policy is met by the valid signatures. */
  readonly satisfied: boolean;
}

/** When a block was made, as near as it tells: the timestamp of its first envelope (the orderer adds none of its own). */
function blockTime(block: common.Block): Date {
  try {
    const first = block.getData()?.getDataList_asU8()[0];
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(first ?? new Uint8Array()).getPayload_asU8());
    const t = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array()).getTimestamp();
    return new Date(t ? t.getSeconds() * 1000 : 0);
  } catch {
    return new Date(0);
  }
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
