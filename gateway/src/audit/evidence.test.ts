// Collecting evidence from a peer: a transaction that ran no chaincode (the genesis block's config) has no
// endorsements to audit, and says so with a 422 instead of failing on bytes that are not an endorsed transaction.
import { common } from '@hyperledger/fabric-protos';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectEvidence } from './evidence';
import { txIdOf } from '@regchain/fabric';
import type { EvidenceBundle } from './bundle';

const bundle = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'bundle.json'), 'utf8')) as EvidenceBundle;
const genesis = Buffer.from(bundle.configBlocks[0] as string, 'base64');

/** A peer whose qscc holds only the genesis block. */
const peerWithGenesis = async (): Promise<Uint8Array> => genesis;

it('answers 422 EVIDENCE_UNAVAILABLE for a config transaction', async () => {
  const configTx = txIdOf(common.Block.deserializeBinary(genesis).getData()?.getDataList_asU8()[0] as Uint8Array);
  await expect(collectEvidence(peerWithGenesis, configTx, async () => [], { channel: bundle.channel, chaincode: bundle.chaincode })).rejects.toMatchObject({
    statusCode: 422,
    code: 'EVIDENCE_UNAVAILABLE',
    message: expect.stringContaining('CONFIG transaction'),
  });
});
