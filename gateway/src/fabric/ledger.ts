// The gateway's one way to the ledger (FabricLedger): one gRPC connection per profile peer, a Gateway per caller and peer, failover along the caller's route.
import type * as grpc from '@grpc/grpc-js';
import {
  type ChaincodeEvent,
  type Checkpoint,
  type CloseableAsyncIterable,
  CommitError,
  type Gateway,
  GatewayError,
  type Signer,
  type Status,
  type SubmittedTransaction,
} from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, peer } from '@hyperledger/fabric-protos';
import {
  chaincodeUnavailableAt,
  connectGateway,
  creatorOf,
  toTransient,
  type Deadlines,
  DEFAULT_DEADLINES,
  dial,
  type GatewayPeer,
  GRPC,
  isChaincodeUnavailable,
  validationName,
} from '@regchain/fabric';
import { ApiError, fromFabric, invalidCommit } from '../errors';
import type { Metrics } from '../metrics';
import type { LedgerPort, OfflinePort } from '../plugins/app/ledger';
import type { Caller, CallerRegistry } from './identities';
import { offlineSigning } from './offline';

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

const decode = (bytes: Uint8Array): unknown => {
  const text = Buffer.from(bytes).toString('utf8');
  return text.length === 0 ? null : (JSON.parse(text) as unknown);
};

/**
 * gRPC statuses that say "this peer cannot be reached now", not "the request is wrong": worth another peer.
 * A commit-status wait that hits its deadline says the transaction has not committed yet, not that the
 * peer is gone, so only UNAVAILABLE moves it.
 */
/** Commits take well under a second (250 ms batches); one still missing after this may have been lost. */
const COMMIT_SLICE_MS = 3000;
const COMMIT_WAIT_MS = 60_000;
const unreachable = (err: unknown, step: string): boolean =>
  err instanceof GatewayError && !(err instanceof CommitError) && (err.code === GRPC.UNAVAILABLE || (err.code === GRPC.DEADLINE_EXCEEDED && step !== 'commit'));

/**
 * How long an org whose chaincode service did not answer goes behind the others when choosing where to endorse
 * and evaluate: about what a supervisor or Docker takes to bring it back. After it, one request tries it again.
 */
const CHAINCODE_DOWN_MS = 3000;

export class FabricLedger implements LedgerPort {
  readonly #clients = new Map<string, grpc.Client>();
  /** By caller id and peer: the connection and the certificate it signs for. */
  readonly #gateways = new Map<string, { certificate: string; gateway: Gateway }>();
  /** Each peer's last known state: reachable or not, from the last request that went through it. */
  readonly #up = new Map<string, boolean>();
  /** Orgs whose chaincode service did not answer, until when they go behind the others (CHAINCODE_DOWN_MS). */
  readonly #chaincodeDown = new Map<string, number>();
  readonly #callers: CallerRegistry;
  readonly #metrics: Metrics;
  /** The peers of the connection profile. */
  readonly #peers: readonly GatewayPeer[];
  readonly #channel: string;
  readonly #chaincode: string;
  #inFlight = 0;

  readonly #deadlines: Deadlines;

  constructor(
    callers: CallerRegistry,
    metrics: Metrics,
    peers: readonly GatewayPeer[],
    target: { readonly channel: string; readonly chaincode: string; readonly deadlines?: Deadlines },
  ) {
    this.#deadlines = target.deadlines ?? DEFAULT_DEADLINES;
    this.#callers = callers;
    this.#metrics = metrics;
    this.#peers = peers;
    this.#channel = target.channel;
    this.#chaincode = target.chaincode;
  }

  /** The single shared gRPC connection to a peer, trusting the TLS root its profile entry gives. */
  client(node: GatewayPeer): grpc.Client {
    let client = this.#clients.get(node.name);
    if (!client) {
      client = dial(node);
      this.#clients.set(node.name, client);
    }
    return client;
  }

  /**
   * The gateway peers a caller's requests go through, in order: its own org's peers, then the other orgs'
   * (endorsing orgs first); a peer last seen unreachable goes behind the reachable ones.
   */
  route(caller: Caller): GatewayPeer[] {
    const rank = (p: GatewayPeer): number => (p.mspId === caller.mspId ? 0 : p.endorsing ? 1 : 2) + this.#penalty(p);
    return [...this.#peers].sort((a, b) => rank(a) - rank(b));
  }

  /** A peer last seen unreachable, or whose org's chaincode service did not answer lately, goes behind the others. */
  #penalty(p: GatewayPeer): number {
    return (this.#up.get(p.name) === false ? 3 : 0) + (this.#chaincodeIsDown(p.mspId) ? 3 : 0);
  }

  #chaincodeIsDown(mspId: string): boolean {
    const until = this.#chaincodeDown.get(mspId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.#chaincodeDown.delete(mspId);
    return false;
  }

  /**
   * Who endorses a regulator's write. Its keys carry a key-level policy of the regulator's org beside the
   * chaincode's AND(regulator, one member org); left to itself the gateway may plan for one of the two only (a
   * 503 or an ENDORSEMENT_POLICY_FAILURE under concurrent writes). Naming the regulator's org and one other
   * endorsing org, reachable ones first, satisfies both, so two writes racing for one key end as one commit
   * and one MVCC conflict (409, retryable). Other callers' writes keep the gateway's own plan.
   */
  #endorsers(caller: Caller): string[] | undefined {
    if (caller.role !== 'regulator') return undefined;
    const others = this.#peers.filter((p) => p.endorsing && p.mspId !== caller.mspId).sort((a, b) => this.#penalty(a) - this.#penalty(b));
    const other = others[0];
    return other ? [caller.mspId, other.mspId] : undefined;
  }

  #mark(node: GatewayPeer, up: boolean): void {
    this.#up.set(node.name, up);
    this.#metrics.peerUp.set({ peer: node.name }, up ? 1 : 0);
  }

  /**
   * A Gateway for the caller on one peer; without a signer for members who sign offline. Cached by caller,
   * certificate and peer, so a rotated identity never signs with the old one.
   */
  gatewayAt(caller: Caller, node: GatewayPeer): Gateway {
    const cacheKey = `${caller.id}\n${node.name}`;
    const cached = this.#gateways.get(cacheKey);
    if (cached?.certificate === caller.certificate) return cached.gateway;
    // A rotated identity never signs with the old one: every connection of the caller's old certificate goes.
    for (const [k, c] of this.#gateways) {
      if (k.startsWith(`${caller.id}\n`) && c.certificate !== caller.certificate) {
        c.gateway.close();
        this.#gateways.delete(k);
      }
    }
    const gateway = connectGateway(this.client(node), this.#callers.identity(caller), this.#callers.signing(caller), this.#deadlines);
    this.#gateways.set(cacheKey, { certificate: caller.certificate, gateway });
    return gateway;
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
        this.#mark(node, true);
        return result;
      } catch (err) {
        const chaincodeDown = (step === 'endorse' || step === 'evaluate') && isChaincodeUnavailable(err);
        if (!chaincodeDown && !unreachable(err, step)) throw err;
        if (chaincodeDown) for (const mspId of chaincodeUnavailableAt(err)) this.#chaincodeDown.set(mspId, Date.now() + CHAINCODE_DOWN_MS);
        else this.#mark(node, false);
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
        const endorsers = this.#endorsers(caller);
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
    const bytes = Buffer.from(request.serializeBinary());
    const answers = await Promise.all(
      this.#peers.map(
        (node) =>
          new Promise<Uint8Array | undefined>((resolve) => {
            this.client(node).makeUnaryRequest(
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

  /** Each peer reachable or not, each org served by at least one, and the chaincode answering. */
  async ready(caller: Caller | undefined): Promise<Readiness> {
    const peers: Record<string, boolean> = {};
    await Promise.all(
      this.#peers.map(
        (node) =>
          new Promise<void>((resolve) => {
            this.client(node).waitForReady(Date.now() + 2000, (err) => {
              peers[node.name] = !err;
              this.#mark(node, !err);
              resolve();
            });
          }),
      ),
    );
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
    for (const c of this.#gateways.values()) c.gateway.close();
    for (const c of this.#clients.values()) c.close();
    this.#gateways.clear();
    this.#clients.clear();
  }
}
