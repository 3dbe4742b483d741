// Which peer a caller's request goes to: its own org's peers first, then the endorsing orgs', a peer last seen
// unreachable behind the reachable ones, and an org whose chaincode service did not answer lately behind the
// others for a while. The ledger (./ledger.ts) reports what each request met; this decides the next one's order.
import { CommitError, GatewayError } from '@hyperledger/fabric-gateway';
import { type GatewayPeer, GRPC } from '@regchain/fabric';
import type { Metrics } from '../metrics';
import type { Caller } from './identities';

/**
 * How long an org whose chaincode service did not answer goes behind the others when choosing where to endorse
 * and evaluate: about what a supervisor or Docker takes to bring it back. After it, one request tries it again.
 */
export const CHAINCODE_DOWN_MS = 3000;

/**
 * gRPC statuses that say "this peer cannot be reached now", not "the request is wrong": worth another peer.
 * A commit-status wait that hits its deadline says the transaction has not committed yet, not that the
 * peer is gone, so only UNAVAILABLE moves it.
 */
export const unreachable = (err: unknown, step: string): boolean =>
  err instanceof GatewayError && !(err instanceof CommitError) && (err.code === GRPC.UNAVAILABLE || (err.code === GRPC.DEADLINE_EXCEEDED && step !== 'commit'));

export class PeerRoutes {
  /** Each peer's last known state: reachable or not, from the last request that went through it. */
  readonly #up = new Map<string, boolean>();
  /** Orgs whose chaincode service did not answer, until when they go behind the others (CHAINCODE_DOWN_MS). */
  readonly #chaincodeDown = new Map<string, number>();
  readonly #peers: readonly GatewayPeer[];
  readonly #metrics: Metrics;

  constructor(peers: readonly GatewayPeer[], metrics: Metrics) {
    this.#peers = peers;
    this.#metrics = metrics;
  }

  /**
   * The gateway peers a caller's requests go through, in order: its own org's peers, then the other orgs'
   * (endorsing orgs first); a peer last seen unreachable goes behind the reachable ones.
   */
  route(caller: Caller): GatewayPeer[] {
    const rank = (p: GatewayPeer): number => (p.mspId === caller.mspId ? 0 : p.endorsing ? 1 : 2) + this.#penalty(p);
    return [...this.#peers].sort((a, b) => rank(a) - rank(b));
  }

  /**
   * Who endorses a regulator's write. Its keys carry a key-level policy of the regulator's org beside the
   * chaincode's AND(regulator, one member org); left to itself the gateway may plan for one of the two only (a
   * 503 or an ENDORSEMENT_POLICY_FAILURE under concurrent writes). Naming the regulator's org and one other
   * endorsing org, reachable ones first, satisfies both, so two writes racing for one key end as one commit
   * and one MVCC conflict (409, retryable). Other callers' writes keep the gateway's own plan.
   */
  endorsers(caller: Caller): string[] | undefined {
    if (caller.role !== 'regulator') return undefined;
    const others = this.#peers.filter((p) => p.endorsing && p.mspId !== caller.mspId).sort((a, b) => this.#penalty(a) - this.#penalty(b));
    const other = others[0];
    return other ? [caller.mspId, other.mspId] : undefined;
  }

  /** What the last request through a peer met: it answered, or it could not be reached. */
  mark(node: GatewayPeer, up: boolean): void {
    this.#up.set(node.name, up);
    this.#metrics.peerUp.set({ peer: node.name }, up ? 1 : 0);
  }

  /** These orgs' chaincode services did not answer: they go behind the others for CHAINCODE_DOWN_MS. */
  chaincodeDown(mspIds: Iterable<string>): void {
    for (const mspId of mspIds) this.#chaincodeDown.set(mspId, Date.now() + CHAINCODE_DOWN_MS);
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
}
