// What the gateway reads from the peers' query system chaincode about one transaction: where it stands (its
// validation code, block and creator), and each peer's own signed answer, which evidence bundles carry.
import type * as grpc from '@grpc/grpc-js';
import { common, peer } from '@hyperledger/fabric-protos';
import { creatorOf, validationName } from '@regchain/fabric';
import type { TransactionStatus } from '../plugins/app/ledger';

/** A committed transaction's standing, from qscc's GetTransactionByID and GetBlockByTxID answers. */
export function statusOf(transactionId: string, processedBytes: Uint8Array, blockBytes: Uint8Array): TransactionStatus {
  const processed = peer.ProcessedTransaction.deserializeBinary(processedBytes);
  const block = common.Block.deserializeBinary(blockBytes);
  const code = processed.getValidationcode();
  const envelope = processed.getTransactionenvelope();
  return {
    transactionId,
    status: 'committed',
    validationCode: validationName(code),
    valid: code === peer.TxValidationCode.VALID,
    blockNumber: String(block.getHeader()?.getNumber() ?? ''),
    creator: (envelope && creatorOf(envelope)) ?? { mspId: '', certificate: '' },
  };
}

/**
 * One signed proposal sent to every peer's endorser at once: each answer that succeeded (status 200), as the
 * peer signed it. A peer that cannot be reached, or refuses, is left out.
 */
export async function askEveryPeer(clients: readonly grpc.Client[], proposal: Uint8Array): Promise<Uint8Array[]> {
  const bytes = Buffer.from(proposal);
  const answers = await Promise.all(
    clients.map(
      (client) =>
        new Promise<Uint8Array | undefined>((resolve) => {
          client.makeUnaryRequest(
            '/protos.Endorser/ProcessProposal',
            (b: Buffer) => b,
            (b: Buffer) => b,
            bytes,
            { deadline: Date.now() + 10_000 },
            (err, value) => {
              if (err || !value) return resolve(undefined);
              const status = peer.ProposalResponse.deserializeBinary(value).getResponse()?.getStatus();
              resolve(status === 200 ? value : undefined);
            },
          );
        }),
    ),
  );
  return answers.filter((a): a is Uint8Array => a !== undefined);
}
