// The ledger on the instance, and how a route submits: idempotency key, wait for the commit or answer 202,
// remember what is still pending for the status route.
import type { ChaincodeEvent, Checkpoint, CloseableAsyncIterable, Status } from '@hyperledger/fabric-gateway';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../errors';
import type { Caller } from '../../fabric/identities';

export interface SubmitResult {
  readonly transactionId: string;
  readonly blockNumber: string;
  readonly validationCode: string;
  readonly result: unknown;
}

export interface TransactionStatus {
  readonly transactionId: string;
  readonly status: 'committed';
  readonly validationCode: string;
  readonly valid: boolean;
  readonly blockNumber: string;
  /** Who signed it: the route answers a member only about its own transactions. */
  readonly creator: { readonly mspId: string; readonly certificate: string };
}

export interface Readiness {
  /** Each peer by its profile name: reachable or not. */
  readonly peers: Record<string, boolean>;
  /** Each org by MSP id: at least one of its peers reachable. */
  readonly orgs: Record<string, boolean>;
  readonly chaincode: boolean;
}

export interface Invocation {
  readonly fn: string;
  readonly input: unknown;
  readonly transient?: Record<string, unknown>;
}

/** What the routes need of the ledger: the real one in production, a fake in route tests. */
export interface LedgerPort {
  submit(caller: Caller, call: Invocation, options?: { onSubmitted?: (txId: string, commit: Promise<SubmitResult>) => void }): Promise<SubmitResult>;
  evaluate(caller: Caller, call: Invocation): Promise<unknown>;
  transactionStatus(caller: Caller, transactionId: string): Promise<TransactionStatus | undefined>;
  ready(caller: Caller | undefined): Promise<Readiness>;
  /** A system chaincode's answer (qscc: blocks and transactions; _lifecycle: definitions), asked as the caller. */
  querySystem(caller: Caller, chaincode: 'qscc' | '_lifecycle', fn: string, args: readonly (string | Uint8Array)[]): Promise<Uint8Array>;
  /** The chaincode's events as the caller may read them, from a checkpoint or a block on. */
  chaincodeEvents(caller: Caller, from: { checkpoint?: Checkpoint; startBlock?: bigint }): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
  /** Offline signing: the member signs each step's digest; each step goes along the caller's route like any other. */
  readonly offline: OfflinePort;
  /** Peers' signed answers on a transaction's validation code, for evidence bundles. */
  attestations(signer: Caller, transactionId: string): Promise<Uint8Array[]>;
  readonly inFlight: number;
  close(): void;
}

/** Bytes a member signs (as their digest), and the transaction they belong to. */
export interface Signable {
  readonly transactionId: string;
  readonly bytes: Uint8Array;
  readonly digest: Uint8Array;
}

export interface OfflinePort {
  /** 1. An unsigned proposal of the caller's. */
  propose(caller: Caller, call: Invocation): Signable;
  /** 2. The signed proposal endorsed: the transaction to sign, with the chaincode's result. */
  endorse(caller: Caller, proposal: Uint8Array, signature: Uint8Array): Promise<Signable & { readonly result: Uint8Array }>;
  /** 3. The signed transaction sent to the orderers: the commit-status request to sign. */
  submit(caller: Caller, transaction: Uint8Array, signature: Uint8Array): Promise<Signable>;
  /** 4. The signed commit-status request answered. */
  commitStatus(caller: Caller, commit: Uint8Array, signature: Uint8Array): Promise<Status>;
}

export interface SubmitAnswer {
  /** 201 when the submit creates a resource. */
  readonly okStatus: 200 | 201;
  /** Answer 202 once the orderer has the transaction (?async=true) instead of waiting for the commit. */
  readonly async: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    ledger: LedgerPort;
    /** Submits for the caller and answers the request: committed (okStatus), or 202 when async. */
    submit(request: FastifyRequest, reply: FastifyReply, caller: Caller, call: Invocation, answer: SubmitAnswer): Promise<FastifyReply>;
    /** Whether a transaction this caller submitted here has not committed yet. */
    isPending(transactionId: string, callerId: string): boolean;
  }
}

export default fp(
  async (fastify, opts: { ledger: LedgerPort }) => {
    const { ledger } = opts;
    /** Transactions submitted here and not committed yet, with who submitted each. */
    const pending = new Map<string, string>();
    fastify.decorate('ledger', ledger);
    fastify.decorate('isPending', (transactionId: string, callerId: string) => pending.get(transactionId) === callerId);
    fastify.decorate('submit', async (request: FastifyRequest, reply: FastifyReply, caller: Caller, call: Invocation, answer: SubmitAnswer) => {
      const { okStatus } = answer;
      const key = request.headers['idempotency-key'];
      const claim = typeof key === 'string' ? await fastify.idempotency.begin(caller.id, key, { url: request.url, body: request.body }) : undefined;
      if (claim && 'replay' in claim) {
        void reply.header('idempotent-replayed', 'true');
        return reply.code(claim.replay.statusCode).send(claim.replay.body);
      }
      try {
        let accepted: ((txId: string) => void) | undefined;
        const acceptedTx = new Promise<string>((resolve) => (accepted = resolve));
        const committed = ledger.submit(caller, call, {
          onSubmitted: (txId, commit) => {
            pending.set(txId, caller.id);
            const settle = (): boolean => pending.delete(txId);
            void commit.then(settle, settle);
            accepted?.(txId);
          },
        });
        if (answer.async) {
          const txId = await Promise.race([acceptedTx, committed.then((r) => r.transactionId)]);
          committed.catch(() => undefined);
          const body = { transactionId: txId, status: 'submitted', statusUrl: `/v1/transactions/${txId}` };
          await claim?.finish(202, body);
          return reply.code(202).header('location', body.statusUrl).send(body);
        }
        const result = await committed;
        await claim?.finish(okStatus, result);
        return reply.code(okStatus).send(result);
      } catch (err) {
        // A refusal is final and replayed; a transient failure frees the key for a retry.
        if (!(err instanceof ApiError) || err.statusCode >= 500 || err.code === 'CONFLICT') await claim?.abandon();
        else await claim?.finish(err.statusCode, err.toBody());
        throw err;
      }
    });
  },
  { name: 'ledger', dependencies: ['idempotency'] },
);
