// Connects to a peer's gateway service as an enrolled user, with @hyperledger/fabric-gateway over TLS.
import type * as grpc from '@grpc/grpc-js';
import type { Gateway, Identity, Signer } from '@hyperledger/fabric-gateway';
import { connectGateway, dial, mspIdentity } from '@regchain/fabric';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { enrolledUser } from './ca';
import { NetworkError } from './log';
import { peerDir } from './paths';
import { anchorPeer, DIAL_HOST, type PeerNode, type PeerOrg } from './topology';

export interface Connection {
  readonly gateway: Gateway;
  readonly client: grpc.Client;
  close(): void;
}

/** A gRPC client to one peer, trusting its org's TLS root. */
export function peerClient(node: PeerNode): grpc.Client {
  const tlsRoot = fs.readFileSync(path.join(peerDir(node), 'tls', 'ca.crt'));
  return dial({ address: `${DIAL_HOST}:${node.port}`, tlsRootCert: tlsRoot });
}

export function userIdentity(org: PeerOrg, user: string): { identity: Identity; signer: Signer } {
  const enrolled = enrolledUser(org, user);
  if (!enrolled) throw new NetworkError(`user ${user} of ${org.mspId} is not enrolled; run \`npm run network:up\``);
  return mspIdentity(org.mspId, enrolled);
}

export function connectAs(org: PeerOrg, user: string, identity?: { identity: Identity; signer: Signer }): Connection {
  const client = peerClient(anchorPeer(org));
  const id = identity ?? userIdentity(org, user);
  const gateway = connectGateway(client, id.identity, id.signer);
  return {
    gateway,
    client,
    close(): void {
      gateway.close();
      client.close();
    },
  };
}
