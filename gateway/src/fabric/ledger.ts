// The gateway's one way to the ledger: one gRPC connection per peer, a Gateway per caller, submit and evaluate.
import * as grpc from '@grpc/grpc-js';
import { connect, type Contract, type Gateway, hash, type Network } from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, peer } from '@hyperledger/fabric-protos';
import { peerClient } from '../../../network/src/client';
import { CHAINCODE_NAME, CHANNEL, orgByKey, PEER_ORGS, type PeerOrg } from '../../../network/src/topology';
import { ApiError, fromFabric, invalidCommit, validationName } from '../errors';
import type { Metrics } from '../metrics';
import type { Caller, CallerRegistry } from './identities';

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

/** Transient values travel as JSON bytes, as the chaincode reads them. */
export const toTransient = (t: Record<string, unknown> | undefined): Record<string, Uint8Array> | undefined =>
  t ? Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Buffer.from(JSON.stringify(v))])) : undefined;

export class Ledger {
  readonly #clients = new Map<string, grpc.Client>();
  readonly #gateways = new Map<string, Gateway>();
  readonly #callers: CallerRegistry;
  readonly #metrics: Metrics;
  #inFlight = 0;

  constructor(callers: CallerRegistry, metrics: Metrics) {
    this.#callers = callers;
    this.#metrics = metrics;
  }

  /** The single shared gRPC connection to an org's peer. */
  client(org: PeerOrg['key']): grpc.Client {
    let client = this.#clients.get(org);
    if (!client) {
      client = peerClient(orgByKey(org));
      this.#clients.set(org, client);
    }
    return client;
  }

  /**
   * A Gateway for the caller on its own org's peer; without a signer for members who sign offline. Cached by
   * caller and certificate, so a rotated identity never signs with the old one.
   */
  gateway(caller: Caller): Gateway {
    const cacheKey = `${caller.id}\n${caller.certificate}`;
    let gateway = this.#gateways.get(cacheKey);
    if (!gateway) {
      const signer = this.#callers.signer(caller);
      gateway = connect({
        client: this.client(caller.org),
        identity: this.#callers.identity(caller),
        ...(signer ? { signer } : {}),
        hash: hash.sha256,
        evaluateOptions: () => ({ deadline: Date.now() + 15_000 }),
        endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
        submitOptions: () => ({ deadline: Date.now() + 15_000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
      });
      for (const [k, g] of this.#gateways) {
        if (k.startsWith(`${caller.id}\n`)) {
          g.close();
          this.#gateways.delete(k);
        }
      }
      this.#gateways.set(cacheKey, gateway);
    }
    return gateway;
  }

  network(caller: Caller): Network {
    return this.gateway(caller).getNetwork(CHANNEL);
  }

  contract(caller: Caller): Contract {
    return this.network(caller).getContract(CHAINCODE_NAME);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  async evaluate(caller: Caller, call: Invocation): Promise<unknown> {
    try {
      const transient = toTransient(call.transient);
      const bytes = await this.contract(caller).evaluate(call.fn, { arguments: [JSON.stringify(call.input)], ...(transient ? { transientData: transient } : {}) });
      return decode(bytes);
    } catch (err) {
      throw fromFabric(err);
    }
  }

  /**
   * Endorses, submits and waits for the commit, resolving with the block and validation code. `onSubmitted`
   * hears of the transaction as soon as the orderer has it (the async mode answers 202 from there).
   */
  async submit(caller: Caller, call: Invocation, options: { onSubmitted?: (txId: string, commit: Promise<SubmitResult>) => void } = {}): Promise<SubmitResult> {
    if (!this.#callers.signer(caller)) {
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
      const proposal = this.contract(caller).newProposal(fn, { arguments: [JSON.stringify(call.input)], ...(transient ? { transientData: transient } : {}) });
      const txId = proposal.getTransactionId();
      transactionId = txId;
      const transaction = await proposal.endorse();
      const t1 = process.hrtime.bigint();
      this.#metrics.endorseDuration.observe({ fn }, Number(t1 - t0) / 1e9);
      const submitted = await transaction.submit();
      const result = decode(transaction.getResult());
      const finished = (async (): Promise<SubmitResult> => {
        try {
          const status = await submitted.getStatus();
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
      if (mapped.code !== 'CONFLICT' && mapped.code !== 'TRANSACTION_INVALID') this.#metrics.submits.inc({ fn, outcome: mapped.statusCode >= 500 ? 'error' : 'rejected' });
      throw mapped;
    }
  }

  /** Where a transaction stands, from the caller's own peer (qscc): committed with its validation code, or unknown. */
  async transactionStatus(caller: Caller, transactionId: string): Promise<TransactionStatus | undefined> {
    const qscc = this.network(caller).getContract('qscc');
    try {
      const processed = peer.ProcessedTransaction.deserializeBinary(await qscc.evaluateTransaction('GetTransactionByID', CHANNEL, transactionId));
      const block = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByTxID', CHANNEL, transactionId));
      const code = processed.getValidationcode();
      return { transactionId, status: 'committed', validationCode: validationName(code), valid: code === peer.TxValidationCode.VALID, blockNumber: String(block.getHeader()?.getNumber() ?? '') };
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
    const gateway = this.gateway(signer);
    const unsigned = gateway.getNetwork(CHANNEL).getContract('qscc').newProposal('GetTransactionByID', { arguments: [CHANNEL, transactionId] });
    const signed = gateway.newSignedProposal(unsigned.getBytes(), await sign(unsigned.getDigest()));
    const request = gatewayProtos.ProposedTransaction.deserializeBinary(signed.getBytes()).getProposal();
    if (!request) throw new ApiError(500, 'INTERNAL', 'the attestation proposal could not be built');
    const bytes = Buffer.from(request.serializeBinary());
    const answers = await Promise.all(
      PEER_ORGS.map(
        ({ key }) =>
          new Promise<Uint8Array | undefined>((resolve) => {
            this.client(key).makeUnaryRequest(
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

  /** Every peer reachable, and the chaincode answering on the caller's peer. */
  async ready(caller: Caller | undefined): Promise<{ peers: Record<string, boolean>; chaincode: boolean }> {
    const peers: Record<string, boolean> = {};
    await Promise.all(
      PEER_ORGS.map(
        ({ key }) =>
          new Promise<void>((resolve) => {
            this.client(key).waitForReady(Date.now() + 2000, (err) => {
              peers[key] = !err;
              resolve();
            });
          }),
      ),
    );
    let chaincode = false;
    if (caller) {
      try {
        await this.contract(caller).evaluateTransaction('system:ping');
        chaincode = true;
      } catch {
        chaincode = false;
      }
    }
    return { peers, chaincode };
  }

  close(): void {
    for (const g of this.#gateways.values()) g.close();
    for (const c of this.#clients.values()) c.close();
    this.#gateways.clear();
    this.#clients.clear();
  }
}
