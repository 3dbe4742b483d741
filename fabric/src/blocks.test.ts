// Block and envelope decoding against blocks recorded from the real network: a channel's genesis block and
// block 394, which holds one valid transaction of the regchain chaincode (an account opened by the bank).
import { common, peer } from '@hyperledger/fabric-protos';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  blockHash,
  blockNumber,
  configOf,
  creatorOf,
  dataHashMatches,
  decodeEndorsed,
  headerTypeName,
  lastConfigIndex,
  transactionsOf,
  txIdOf,
  validationFlags,
} from './blocks';

const read = (name: string): common.Block => common.Block.deserializeBinary(fs.readFileSync(path.join(__dirname, 'fixtures', name)));
const genesis = read('genesis.block');
const block = read('transaction.block');
const TX = 'e8aa343785edbdfe1c657b7813a10c0382d73ea1bf77782f5375ee20e6c82480';
const envelope = (b: common.Block): Uint8Array => b.getData()?.getDataList_asU8()[0] as Uint8Array;

it('reads the number, the header hash, the data hash and the config in force of a recorded block', () => {
  expect(blockNumber(block)).toBe(394);
  expect(blockHash(block)).toBe('b5eb37c2fafc6d4eb07f1139a124499a6a3f95b368f64d97b9f3610bff231fac');
  expect(dataHashMatches(block)).toBe(true);
  expect(lastConfigIndex(block)).toBe(0);
  expect(blockHash(genesis)).toBe('935ed01ce03652f254bca36a4576c9b61947f8ab65884d825c63d510c7e0296f');
});

it('finds the channel config in the genesis block and none in a transaction block', () => {
  expect(configOf(genesis)?.channelId).toBe('supervision');
  expect(configOf(genesis)?.config.getSequence()).toBe(0);
  expect(configOf(block)).toBeUndefined();
});

it('says when a block was tampered with: its data no longer hashes to its header', () => {
  const tampered = read('transaction.block');
  const data = tampered.getData() as common.BlockData;
  const bytes = Buffer.from(envelope(tampered));
  bytes.writeUInt8((bytes.readUInt8(bytes.length - 1) + 1) % 256, bytes.length - 1);
  data.setDataList([bytes]);
  expect(dataHashMatches(tampered)).toBe(false);
});

it('decodes the endorsed transaction: its id, creator, chaincode and endorsements', () => {
  expect(txIdOf(envelope(block))).toBe(TX);
  expect(txIdOf(new Uint8Array([1, 2, 3]))).toBe('');
  expect(creatorOf(common.Envelope.deserializeBinary(envelope(block)))?.mspId).toBe('BankMSP');
  const tx = decodeEndorsed(envelope(block));
  expect(headerTypeName(tx.channelHeader.getType())).toBe('ENDORSER_TRANSACTION');
  expect(tx.action.getChaincodeId()?.getName()).toBe('regchain');
  expect(tx.endorsements).toHaveLength(2);
  expect(() => decodeEndorsed(envelope(genesis))).toThrow();
});

it('reads the regchain events of valid transactions only', () => {
  expect(transactionsOf(block)).toEqual([
    { txId: TX, time: 1795401023, events: [{ type: 'AccountOpened', accountId: 'ev-1795401022987', ownerEntityId: '91500000MA5U0ENT1W' }] },
  ]);
  expect(transactionsOf(genesis)).toEqual([]);
  const invalid = read('transaction.block');
  const metadata = invalid.getMetadata() as common.BlockMetadata;
  const list = metadata.getMetadataList_asU8();
  list[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = new Uint8Array([peer.TxValidationCode.MVCC_READ_CONFLICT]);
  metadata.setMetadataList(list);
  expect(Array.from(validationFlags(invalid))).toEqual([peer.TxValidationCode.MVCC_READ_CONFLICT]);
  expect(transactionsOf(invalid)).toEqual([]);
});
