// The gateway's one way to the ledger (FabricLedger): evaluate and submit with failover along the caller's route, system
// queries, events and readiness; connections in ./connections.ts, the route's order in ./routes.ts, qscc in ./qscc.ts.
import type * as grpc from '@grpc/grpc-js';
import {
  type ChaincodeEvent,
  type Checkpoint,
  type CloseableAsyncIterable,
  type Gateway,
  GatewayError,
  type Signer,
  type Status,
  type SubmittedTransaction,
} from '@hyperledger/fabric-gateway';
import { gateway as gatewayProtos } from '@hyperledger/fabric-protos';
import {
  chaincodeUnavailableAt,
  toTransient,
  type Deadlines,
  DEFAULT_DEADLINES,
  type GatewayPeer,
  GRPC,
  isChaincodeUnavailable,
  validationName,
} from '@regchain/fabric';
import { ApiError, fromFabric, invalidCommit } from '../errors';
import type { Metrics } from '../metrics';
import type { Invocation, LedgerPort, OfflinePort, Readiness, SubmitResult, TransactionStatus } from '../plugins/app/ledger';
import type { Caller, CallerRegistry } from './identities';
import { offlineSigning } from './offline';
import { Connections } from './connections';
import { askEveryPeer, statusOf } from './qscc';
import { PeerRoutes, unreachable } from './routes';

const decode = (bytes: Uint8Array): unknown => {
  const text = Buffer.from(bytes).toString('utf8');
  return text.length === 0 ? null : (JSON.parse(text) as unknown);
};

/** Commits take well under a second (250 ms batches); one still missing after this may have been lost. */
const COMMIT_SLICE_MS = 3000;
const COMMIT_WAIT_MS = 60_000;

export class FabricLedger implements LedgerPort {
  /** The connections to the peers, and each caller's Gateway over them. */
  readonly #connections: Connections;
  /** Which peer to ask next, from what the requests before met. */
  readonly #routes: PeerRoutes;
  readonly #callers: CallerRegistry;
  readonly #metrics: Metrics;
  /** The peers of the connection profile. */
  readonly #peers: readonly GatewayPeer[];
  readonly #channel: string;
  readonly #chaincode: string;
  #inFlight = 0;

  constructor(
    callers: CallerRegistry,
    metrics: Metrics,
    peers: readonly GatewayPeer[],
    target: { readonly channel: string; readonly chaincode: string; readonly deadlines?: Deadlines },
  ) {
    this.#connections = new Connections(callers, target.deadlines ?? DEFAULT_DEADLINES);
    this.#callers = callers;
    this.#metrics = metrics;
    this.#peers = peers;
    this.#routes = new PeerRoutes(peers, metrics);
    this.#channel = target.channel;
    this.#chaincode = target.chaincode;
  }

  /** The single shared gRPC connection to a peer. */
  client(node: GatewayPeer): grpc.Client {
    return this.#connections.client(node);
  }

  /** The gateway peers a caller's requests go through, in order (see PeerRoutes). */
  route(caller: Caller): GatewayPeer[] {
    return this.#routes.route(caller);
  }

  /** A Gateway for the caller on one peer (see Connections). */
  gatewayAt(caller: Caller, node: GatewayPeer): Gateway {
    return this.#connections.gatewayAt(caller, node);
  }

  /** The caller's Gateway on the first peer of its route. */
  #gateway(caller: Caller): Gateway {
    return this.gatewayAt(caller, this.route(caller)[0] as GatewayPeer);
  }

  async querySystem(caller: Caller, chaincode: 'qscc' | '_lifecycle', fn: string, args: readonly (string | Uint8Array)[]): Promise<Uint8Array> {
    try {
      return await this.#failover(caller, 'evaluate', (gateway) =>
        gateway
          .getNetwork(this.#channel)
          .getContract(chaincode)
          .evaluateTransaction(fn, ...args),
      );
    } catch (err) {
      throw fromFabric(err);
    }
  }

  async chaincodeEvents(caller: Caller, from: { checkpoint?: Checkpoint; startBlock?: bigint }): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    try {
      return await this.#failover(caller, 'events', (gateway) =>
        gateway.getNetwork(this.#channel).getChaincodeEvents(this.#chaincode, {
          ...(from.checkpoint ? { checkpoint: from.checkpoint } : {}),
          ...(from.startBlock !== undefined ? { startBlock: from.startBlock } : {}),
        }),
      );
    } catch (err) {
      throw fromFabric(err);
    }
  }

  /** Offline signing, each networked step failing over along the caller's route like the custodial ones. */
  readonly offline: OfflinePort = offlineSigning({
    gatewayOf: (caller) => this.#gateway(caller),
    failover: (caller, step, op) => this.#failover(caller, step, op),
    target: () => ({ channel: this.#channel, chaincode: this.#chaincode }),
  });

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Runs the step through the caller's route: on a peer that cannot be reached (UNAVAILABLE, DEADLINE), or
   * whose org's chaincode service did not answer an endorsement or evaluation (that org then goes behind the
   * others for a while, so a regulator's write names the other member), the next one; any other answer,
   * success or error, is final.
   */
  async #failover<T>(
    caller: Caller,
    step: string,
    op: (gateway: Gateway, node: GatewayPeer) => Promise<T>,
    route: GatewayPeer[] = this.route(caller),
  ): Promise<T> {
    let last: unknown;
    for (const node of route) {
      try {
        const result = await op(this.gatewayAt(caller, node), node);
        this.#routes.mark(node, true);
        return result;
      } catch (err) {
        const chaincodeDown = (step === 'endorse' || step === 'evaluate') && isChaincodeUnavailable(err);
        if (!chaincodeDown && !unreachable(err, step)) throw err;
        if (chaincodeDown) this.#routes.chaincodeDown(chaincodeUnavailableAt(err));
        else this.#routes.mark(node, false);
        this.#metrics.failovers.inc({ step, peer: node.name });
        last = err;
      }
    }
    throw last;
  }

  async evaluate(caller: Caller, call: Invocation): Promise<unknown> {
    try {
      const transient = toTransient(call.transient);
      const bytes = await this.#failover(caller, 'evaluate', (gateway) =>
        gateway
          .getNetwork(this.#channel)
          .getContract(this.#chaincode)
          .evaluate(call.fn, { arguments: [JSON.stringify(call.input)], ...(transient ? { transientData: transient } : {}) }),
      );
      return decode(bytes);
    } catch (err) {
      throw fromFabric(err);
    }
  }

  /**
   * Endorses, submits and waits for the commit, resolving with the block and validation code. `onSubmitted`
   * hears of the transaction as soon as the orderer has it (the async mode answers 202 from there). Each
   * step fails over to the next peer of the caller's route; a transaction that may already have reached the
   * orderer is sent again as the same signed envelope (never re-endorsed), so it commits at most once.
   */
  async submit(caller: Caller, call: Invocation, options: { onSubmitted?: (txId: string, commit: Promise<SubmitResult>) => void } = {}): Promise<SubmitResult> {
    const signer = this.#callers.signer(caller);
    if (!signer) {
      throw new ApiError(400, 'OFFLINE_SIGNING_REQUIRED', `caller ${caller.id} keeps its own key: submit through /v1/offline`);
    }
    const fn = call.fn;
    this.#inFlight += 1;
    let settled = false;
    const done = (): void => {
      if (!settled) this.#inFlight -= 1;
      settled = true;
    };
    let transactionId: string | undefined;
    try {
      const t0 = process.hrtime.bigint();
      const transient = toTransient(call.transient);
      let endorsedOn: GatewayPeer | undefined;
      const transaction = await this.#failover(caller, 'endorse', (gateway, node) => {
        endorsedOn = node;
        const endorsers = this.#routes.endorsers(caller);
        const proposal = gateway
          .getNetwork(this.#channel)
          .getContract(this.#chaincode)
          .newProposal(fn, {
            arguments: [JSON.stringify(call.input)],
            ...(transient ? { transientData: transient } : {}),
            ...(endorsers ? { endorsingOrganizations: endorsers } : {}),
          });
        transactionId = proposal.getTransactionId();
        return proposal.endorse();
      });
      const txId = transaction.getTransactionId();
      transactionId = txId;
      const t1 = process.hrtime.bigint();
      this.#metrics.endorseDuration.observe({ fn }, Number(t1 - t0) / 1e9);
      let submittedOn: GatewayPeer | undefined;
      const submitted = await this.#failover(caller, 'submit', async (gateway, node) => {
        submittedOn = node;
        return node === endorsedOn
          ? transaction.submit()
          : gateway.newSignedTransaction(transaction.getBytes(), await signer(transaction.getDigest())).submit();
      });
      const result = decode(transaction.getResult());
      const finished = (async (): Promise<SubmitResult> => {
        try {
          const status = await this.#commitStatus(caller, submitted, submittedOn, signer, async () => {
            // Not committed within a slice: an orderer may have lost it (a Raft leader that died before
            // replicating it). The same signed envelope goes again; it commits once at most, a copy being
            // marked DUPLICATE_TXID.
            this.#metrics.resubmits.inc({ fn });
            await this.#failover(caller, 'submit', async (gateway) =>
              gateway.newSignedTransaction(transaction.getBytes(), await signer(transaction.getDigest())).submit(),
            );
          });
          this.#metrics.commitDuration.observe({ fn }, Number(process.hrtime.bigint() - t1) / 1e9);
          if (!status.successful) {
            this.#metrics.submits.inc({ fn, outcome: 'invalid' });
            throw invalidCommit(status.code, txId);
          }
          this.#metrics.submits.inc({ fn, outcome: 'committed' });
          return { transactionId: txId, blockNumber: status.blockNumber.toString(), validationCode: validationName(status.code), result };
        } catch (err) {
          throw fromFabric(err, txId);
        } finally {
          done();
        }
      })();
      options.onSubmitted?.(txId, finished);
      return await finished;
    } catch (err) {
      done();
      const mapped = fromFabric(err, transactionId);
      if (mapped.code !== 'CONFLICT' && mapped.code !== 'TRANSACTION_INVALID')
        this.#metrics.submits.inc({ fn, outcome: mapped.statusCode >= 500 ? 'error' : 'rejected' });
      throw mapped;
    }
  }

  /**
   * Waits for a submitted transaction's commit in slices of COMMIT_SLICE_MS, calling `resubmit` after each
   * slice that ends without it, up to COMMIT_WAIT_MS in all; each wait fails over like every other step.
   */
  async #commitStatus(
    caller: Caller,
    submitted: SubmittedTransaction,
    submittedOn: GatewayPeer | undefined,
    signer: Signer,
    resubmit: () => Promise<void>,
  ): Promise<Status> {
    const deadline = Date.now() + COMMIT_WAIT_MS;
    for (;;) {
      const options = { deadline: Math.min(deadline, Date.now() + COMMIT_SLICE_MS) };
      try {
        return await this.#failover(caller, 'commit', async (gateway, node) =>
          node === submittedOn
            ? submitted.getStatus(options)
            : gateway.newSignedCommit(submitted.getBytes(), await signer(submitted.getDigest())).getStatus(options),
        );
      } catch (err) {
        if (!(err instanceof GatewayError && err.code === GRPC.DEADLINE_EXCEEDED) || Date.now() >= deadline) throw err;
        await resubmit();
      }
    }
  }

  /**
   * Where a transaction stands, from a peer's qscc (which the channel's ACLs open to the supervisors' orgs only,
   * so `reader` is one of theirs): committed with its validation code and creator, or unknown.
   */
  async transactionStatus(reader: Caller, transactionId: string): Promise<TransactionStatus | undefined> {
    try {
      const [processedBytes, blockBytes] = await this.#failover(reader, 'evaluate', (gateway) => {
        const qscc = gateway.getNetwork(this.#channel).getContract('qscc');
        return Promise.all([
          qscc.evaluateTransaction('GetTransactionByID', this.#channel, transactionId),
          qscc.evaluateTransaction('GetBlockByTxID', this.#channel, transactionId),
        ]);
      });
      return statusOf(transactionId, processedBytes, blockBytes);
    } catch (err) {
      const mapped = fromFabric(err);
      if (mapped.statusCode === 503) throw mapped;
      return undefined;
    }
  }

  /**
   * Each reachable peer's signed answer to qscc GetTransactionByID (a ProposalResponse, whose endorsement signs
   * the validation code): the block's validation flags are the peer's own and unsigned, these are not. The
   * proposal is signed by `signer`, the caller or the gateway's public identity.
   */
  async attestations(signer: Caller, transactionId: string): Promise<Uint8Array[]> {
    const sign = this.#callers.signer(signer);
    if (!sign) throw new ApiError(500, 'INTERNAL', `caller ${signer.id} has no key to sign an attestation request`);
    const gateway = this.#gateway(signer);
    const unsigned = gateway
      .getNetwork(this.#channel)
      .getContract('qscc')
      .newProposal('GetTransactionByID', { arguments: [this.#channel, transactionId] });
    const signed = gateway.newSignedProposal(unsigned.getBytes(), await sign(unsigned.getDigest()));
    const request = gatewayProtos.ProposedTransaction.deserializeBinary(signed.getBytes()).getProposal();
    if (!request) throw new ApiError(500, 'INTERNAL', 'the attestation proposal could not be built');
    return askEveryPeer(
      this.#peers.map((node) => this.client(node)),
      request.serializeBinary(),
    );
  }

  /** Each peer reachable or not, each org served by at least one, and the chaincode answering. */
  async ready(caller: Caller | undefined): Promise<Readiness> {
    const peers = await this.#connections.reachable(this.#peers);
    for (const node of this.#peers) this.#routes.mark(node, peers[node.name] ?? false);
    const orgs: Record<string, boolean> = {};
    for (const p of this.#peers) orgs[p.mspId] = (orgs[p.mspId] ?? false) || (peers[p.name] ?? false);
    let chaincode = false;
    if (caller) {
      try {
        await this.#failover(caller, 'evaluate', (gateway) =>
          gateway.getNetwork(this.#channel).getContract(this.#chaincode).evaluateTransaction('system:ping'),
        );
        chaincode = true;
      } catch {
        chaincode = false;
      }
    }
    return { peers, orgs, chaincode };
  }

  close(): void {
    this.#connections.close();
  }
}
