// Offline signing for members who keep their own keys: the gateway builds each message, the member signs its
// digest, and each networked step (endorse, submit, commit status) fails over along the caller's route.
import type { Gateway } from '@hyperledger/fabric-gateway';
import { toTransient } from '@regchain/fabric';
import { ApiError, fromFabric } from '../errors';
import type { OfflinePort } from '../plugins/app/ledger';
import type { Caller } from './identities';

/** A message a member signed and sent back, read; a 400 naming the field when it is not one the gateway issued. */
export function signedMessage<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new ApiError(400, 'VALIDATION_FAILED', `${what} is not a message the gateway issued; send back the bytes step 1, 2 or 3 returned`, {
      details: { field: `body/${what}` },
      cause: err,
    });
  }
}

/** What offline signing needs of the ledger: the caller's gateway, failover along its route, the channel and chaincode. */
export interface OfflineLedger {
  gatewayOf(caller: Caller): Gateway;
  failover<T>(caller: Caller, step: string, op: (gateway: Gateway) => Promise<T>): Promise<T>;
  target(): { readonly channel: string; readonly chaincode: string };
}

export function offlineSigning(ports: OfflineLedger): OfflinePort {
  return {
    propose: (caller, call) => {
      const transient = toTransient(call.transient);
      const proposal = ports
        .gatewayOf(caller)
        .getNetwork(ports.target().channel)
        .getContract(ports.target().chaincode)
        .newProposal(call.fn, { arguments: [JSON.stringify(call.input)], ...(transient ? { transientData: transient } : {}) });
      return { transactionId: proposal.getTransactionId(), bytes: proposal.getBytes(), digest: proposal.getDigest() };
    },
    endorse: async (caller, bytes, signature) => {
      const txId = signedMessage('proposal', () => ports.gatewayOf(caller).newSignedProposal(bytes, signature)).getTransactionId();
      try {
        const tx = await ports.failover(caller, 'endorse', (gateway) => gateway.newSignedProposal(bytes, signature).endorse());
        return { transactionId: tx.getTransactionId(), bytes: tx.getBytes(), digest: tx.getDigest(), result: tx.getResult() };
      } catch (err) {
        throw fromFabric(err, txId);
      }
    },
    submit: async (caller, bytes, signature) => {
      const txId = signedMessage('transaction', () => ports.gatewayOf(caller).newSignedTransaction(bytes, signature)).getTransactionId();
      try {
        const commit = await ports.failover(caller, 'submit', (gateway) => gateway.newSignedTransaction(bytes, signature).submit());
        return { transactionId: commit.getTransactionId(), bytes: commit.getBytes(), digest: commit.getDigest() };
      } catch (err) {
        throw fromFabric(err, txId);
      }
    },
    commitStatus: async (caller, bytes, signature) => {
      const txId = signedMessage('commit', () => ports.gatewayOf(caller).newSignedCommit(bytes, signature)).getTransactionId();
      try {
        return await ports.failover(caller, 'commit', (gateway) => gateway.newSignedCommit(bytes, signature).getStatus());
      } catch (err) {
        throw fromFabric(err, txId);
      }
    },
  };
}
