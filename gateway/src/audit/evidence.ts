// Collects an evidence bundle for a transaction from the caller's own peer: its block, the config chain, the definition, attestations.
import type { Network } from '@hyperledger/fabric-gateway';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import * as fs from 'node:fs';
import { CHAINCODE_NAME, CHANNEL } from '../../../network/src/topology';
import { ApiError, fromFabric } from '../errors';
import { blockHash, configOf, lastConfigIndex } from './blocks';
import { ChannelConfig } from './channelconfig';
import { fingerprint } from './signature';
import { EVIDENCE_FORMAT, type EvidenceBundle, type TrustAnchors } from './verify';

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** The block and transaction that last wrote the chaincode's definition, as the transaction read it. */
function definitionVersion(block: common.Block, transactionId: string): { block: number } | undefined {
  for (const d of block.getData()?.getDataList_asU8() ?? []) {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(d).getPayload_asU8());
    const header = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    if (header.getTxId() !== transactionId) continue;
    const action = peer.ChaincodeActionPayload.deserializeBinary(peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0]?.getPayload_asU8() ?? new Uint8Array());
    const prp = peer.ProposalResponsePayload.deserializeBinary(action.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array());
    const results = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()).getResults_asU8();
    const ns = ledger.rwset.TxReadWriteSet.deserializeBinary(results).getNsRwsetList().find((n) => n.getNamespace() === '_lifecycle');
    if (!ns) return undefined;
    const read = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8())
      .getReadsList()
      .find((r) => r.getKey() === `namespaces/fields/${CHAINCODE_NAME}/Sequence`);
    const version = read?.getVersion();
    return version ? { block: Number(version.getBlockNum()) } : undefined;
  }
  return undefined;
}

export async function collectEvidence(network: Network, transactionId: string, attest: () => Promise<Uint8Array[]>): Promise<EvidenceBundle> {
  const qscc = network.getContract('qscc');
  let blockBytes: Uint8Array;
  try {
    blockBytes = await qscc.evaluateTransaction('GetBlockByTxID', CHANNEL, transactionId);
  } catch (err) {
    const mapped = fromFabric(err);
    if (mapped.statusCode === 503) throw mapped;
    throw new ApiError(404, 'TRANSACTION_NOT_FOUND', `no committed transaction ${transactionId} on this peer`);
  }
  const byNumber = async (n: number): Promise<common.Block> => common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByNumber', CHANNEL, String(n)));
  const block = common.Block.deserializeBinary(blockBytes);

  // Walk back from the config in force: the block before each config block names the config before it.
  const configBlocks: common.Block[] = [];
  let index = lastConfigIndex(block);
  while (index !== undefined) {
    configBlocks.unshift(await byNumber(index));
    index = index === 0 ? undefined : lastConfigIndex(await byNumber(index - 1));
  }
  const definition = definitionVersion(block, transactionId);
  if (!definition) throw new ApiError(422, 'EVIDENCE_UNAVAILABLE', `transaction ${transactionId} did not read a definition of chaincode ${CHAINCODE_NAME}`);

  return {
    format: EVIDENCE_FORMAT,
    channel: CHANNEL,
    chaincode: CHAINCODE_NAME,
    transactionId,
    block: b64(blockBytes),
    configBlocks: configBlocks.map((b) => b64(b.serializeBinary())),
    definitionBlock: b64((await byNumber(definition.block)).serializeBinary()),
    attestations: (await attest()).map(b64),
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

/** Root fingerprints of every MSP in a genesis block: what an operator publishes for auditors to pin. */
export function rootsOf(genesis: common.Block): Record<string, string[]> {
  const config = configOf(genesis)?.config;
  if (!config) throw new Error('not a config block');
  return Object.fromEntries([...new ChannelConfig(config).msps.values()].map((m) => [m.id, m.roots.map(fingerprint)]));
}
