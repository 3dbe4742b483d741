// Connects to a peer's gateway service as an enrolled user, with @hyperledger/fabric-gateway over TLS.
import * as grpc from '@grpc/grpc-js';
import { connect, type Gateway, hash, type Identity, type Signer, signers } from '@hyperledger/fabric-gateway';
import * as crypto from 'node:crypto';
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
  return new grpc.Client(`${DIAL_HOST}:${node.port}`, grpc.credentials.createSsl(tlsRoot));
}

export function userIdentity(org: PeerOrg, user: string): { identity: Identity; signer: Signer } {
  const enrolled = enrolledUser(org, user);
  if (!enrolled) throw new NetworkError(`user ${user} of ${org.mspId} is not enrolled; run \`npm run network:up\``);
  return {
    identity: { mspId: org.mspId, credentials: fs.readFileSync(enrolled.certPath) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(enrolled.keyPath))),
  };
}

export function connectAs(org: PeerOrg, user: string, identity?: { identity: Identity; signer: Signer }): Connection {
  const client = peerClient(anchorPeer(org));
  const id = identity ?? userIdentity(org, user);
  const gateway = connect({
    client,
    identity: id.identity,
    signer: id.signer,
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  return {
    gateway,
    client,
    close(): void {
      gateway.close();
      client.close();
    },
  };
}
