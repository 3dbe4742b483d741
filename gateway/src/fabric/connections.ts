// The gateway's connections to the peers: one gRPC connection per profile peer, shared by every caller, and a
// fabric-gateway Gateway per caller and peer over it, signing as that caller.
import type * as grpc from '@grpc/grpc-js';
import type { Gateway } from '@hyperledger/fabric-gateway';
import { connectGateway, type Deadlines, dial, type GatewayPeer } from '@regchain/fabric';
import type { Caller, CallerRegistry } from './identities';

export class Connections {
  readonly #clients = new Map<string, grpc.Client>();
  /** By caller id and peer: the connection and the certificate it signs for. */
  readonly #gateways = new Map<string, { certificate: string; gateway: Gateway }>();
  readonly #callers: CallerRegistry;
  readonly #deadlines: Deadlines;

  constructor(callers: CallerRegistry, deadlines: Deadlines) {
    this.#callers = callers;
    this.#deadlines = deadlines;
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

  /** Each peer by its profile name: whether its connection is ready within 2 s. */
  async reachable(peers: readonly GatewayPeer[]): Promise<Record<string, boolean>> {
    const out: Record<string, boolean> = {};
    await Promise.all(
      peers.map(
        (node) =>
          new Promise<void>((resolve) => {
            this.client(node).waitForReady(Date.now() + 2000, (err) => {
              out[node.name] = !err;
              resolve();
            });
          }),
      ),
    );
    return out;
  }

  close(): void {
    for (const c of this.#gateways.values()) c.gateway.close();
    for (const c of this.#clients.values()) c.close();
    this.#gateways.clear();
    this.#clients.clear();
  }
}
