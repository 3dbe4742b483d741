// Collects an evidence bundle for a transaction from the caller's own peer: its block, the config chain, the definition, attestations.
import { common } from '@hyperledger/fabric-protos';
import * as fs from 'node:fs';
import { ApiError, fromFabric } from '../errors';
import { blockHash, channelHeaderOf, toBase64, configOf, headerTypeName, lastConfigIndex, txIdOf } from '@regchain/fabric';
import { ChannelConfig } from './channelconfig';
import { fingerprint } from './signature';
import { EVIDENCE_FORMAT, type EvidenceBundle, type TrustAnchors } from './bundle';
import { lifecycleFields } from './checks';

const version = (v: string): [number, number] => v.split(':').map(Number) as [number, number];

/** Asks the channel's qscc (GetBlockByTxID, GetBlockByNumber) as the caller. */
export type QsccQuery = (fn: string, ...args: string[]) => Promise<Uint8Array>;

export async function collectEvidence(
  qscc: QsccQuery,
  transactionId: string,
  attest: () => Promise<Uint8Array[]>,
  target: { readonly channel: string; readonly chaincode: string },
): Promise<EvidenceBundle> {
  const { channel: CHANNEL, chaincode: CHAINCODE_NAME } = target;
  let blockBytes: Uint8Array;
  try {
    blockBytes = await qscc('GetBlockByTxID', CHANNEL, transactionId);
  } catch (err) {
    const mapped = fromFabric(err);
    if (mapped.statusCode === 503) throw mapped;
    throw new ApiError(404, 'TRANSACTION_NOT_FOUND', `no committed transaction ${transactionId} on this peer`, { cause: err });
  }
  const byNumber = async (n: number): Promise<common.Block> => common.Block.deserializeBinary(await qscc('GetBlockByNumber', CHANNEL, String(n)));
  const block = common.Block.deserializeBinary(blockBytes);

  // Walk back from the config in force: the block before each config block names the config before it.
  const configBlocks: common.Block[] = [];
  let index = lastConfigIndex(block);
  while (index !== undefined) {
    configBlocks.unshift(await byNumber(index));
    index = index === 0 ? undefined : lastConfigIndex(await byNumber(index - 1));
  }
  // The definition commit the transaction read, and back through each commit's read of the endorsement
  // policy to the one that wrote it, as the verifier will follow them.
  const envelope = (block.getData()?.getDataList_asU8() ?? []).find((d) => txIdOf(d) === transactionId);
  // A config transaction (the genesis block's, a channel update) ran no chaincode: there is no endorsement to audit.
  const type = envelope ? channelHeaderOf(envelope)?.getType() : undefined;
  if (type !== common.HeaderType.ENDORSER_TRANSACTION) {
    throw new ApiError(
      422,
      'EVIDENCE_UNAVAILABLE',
      `transaction ${transactionId} is a ${headerTypeName(type)} transaction, not a chaincode transaction with endorsements`,
    );
  }
  let at = lifecycleFields(envelope as Uint8Array, CHAINCODE_NAME).reads.get('Sequence');
  if (!at) throw new ApiError(422, 'EVIDENCE_UNAVAILABLE', `transaction ${transactionId} did not read a definition of chaincode ${CHAINCODE_NAME}`);
  const definitionBlocks = new Map<number, common.Block>();
  for (let hop = 0; hop < 8 && at; hop += 1) {
    const [bn, tn] = version(at);
    const defBlock = definitionBlocks.get(bn) ?? (await byNumber(bn));
    definitionBlocks.set(bn, defBlock);
    const defEnvelope = (defBlock.getData()?.getDataList_asU8() ?? [])[tn];
    const fields = defEnvelope ? lifecycleFields(defEnvelope, CHAINCODE_NAME) : undefined;
    at = !fields || fields.writes.has('ValidationInfo') ? undefined : fields.reads.get('ValidationInfo');
  }

  return {
    format: EVIDENCE_FORMAT,
    channel: CHANNEL,
    chaincode: CHAINCODE_NAME,
    transactionId,
    block: toBase64(blockBytes),
    configBlocks: configBlocks.map((b) => toBase64(b.serializeBinary())),
    definitionBlocks: [...definitionBlocks.values()].map((b) => toBase64(b.serializeBinary())),
    attestations: (await attest()).map(toBase64),
  };
}

/**
 * Trust anchors from a file an operator pins: a genesis block (binary protobuf, as `configtxgen` writes it), or a
 * JSON file `{ "genesisHash": "<hex>" }` or `{ "roots": { "<MSP id>": ["<sha256 hex>", ...] } }`.
 */
export function anchorsFromFile(file: string): TrustAnchors {
  const bytes = fs.readFileSync(file);
  if (bytes[0] === 0x7b) {
    const parsed = JSON.parse(bytes.toString('utf8')) as TrustAnchors;
    if (!parsed.genesisHash && !parsed.roots) throw new Error(`${file} names neither genesisHash nor roots`);
    return parsed;
  }
  const block = common.Block.deserializeBinary(bytes);
  if (!configOf(block)) throw new Error(`${file} is not a genesis block`);
  return { genesisHash: blockHash(block) };
}

/**
 * What an operator publishes for auditors to pin from a genesis block: every MSP's root fingerprints and the
 * orderer orgs among them.
 */
export function rootsOf(genesis: common.Block): { roots: Record<string, string[]>; ordererOrgs: string[] } {
  const config = configOf(genesis)?.config;
  if (!config) throw new Error('not a config block');
  const channel = new ChannelConfig(config);
  return {
    roots: Object.fromEntries([...channel.msps.values()].map((m) => [m.id, m.roots.map(fingerprint)])),
    ordererOrgs: [...channel.ordererMsps].sort(),
  };
}
