// gRPC connections to peers and fabric-gateway connections over them, with the deadlines as settings.
import * as grpc from '@grpc/grpc-js';
import { connect, type Gateway, hash, type Identity, type Signer } from '@hyperledger/fabric-gateway';
import { type Static, Type } from '@sinclair/typebox';
import { WholeSetting } from '@regchain/common/node';
import type { Signing } from './signing';

/** How long each step of a transaction may take, in milliseconds. */
export interface Deadlines {
  readonly evaluateMs: number;
  readonly endorseMs: number;
  readonly submitMs: number;
  readonly commitStatusMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { evaluateMs: 15_000, endorseMs: 30_000, submitMs: 15_000, commitStatusMs: 60_000 };

/** The variables that set the deadlines, for a process's settings schema. */
export const DeadlineSettings = Type.Object({
  REGCHAIN_FABRIC_EVALUATE_MS: WholeSetting(100, 600_000, 'how long a query may take at a peer, in ms'),
  REGCHAIN_FABRIC_ENDORSE_MS: WholeSetting(100, 600_000, 'how long endorsement may take, in ms'),
  REGCHAIN_FABRIC_SUBMIT_MS: WholeSetting(100, 600_000, 'how long handing a transaction to the orderers may take, in ms'),
  REGCHAIN_FABRIC_COMMIT_STATUS_MS: WholeSetting(100, 600_000, "how long waiting for a transaction's commit may take, in ms"),
});

/** The deadlines the settings give, the defaults for the rest. */
export const deadlinesOf = (s: Partial<Static<typeof DeadlineSettings>>): Deadlines => ({
  evaluateMs: s.REGCHAIN_FABRIC_EVALUATE_MS ?? DEFAULT_DEADLINES.evaluateMs,
  endorseMs: s.REGCHAIN_FABRIC_ENDORSE_MS ?? DEFAULT_DEADLINES.endorseMs,
  submitMs: s.REGCHAIN_FABRIC_SUBMIT_MS ?? DEFAULT_DEADLINES.submitMs,
  commitStatusMs: s.REGCHAIN_FABRIC_COMMIT_STATUS_MS ?? DEFAULT_DEADLINES.commitStatusMs,
});

/** Where a peer listens and how to trust it: a connection profile's peer entry. */
export interface PeerEndpoint {
  /** host:port */
  readonly address: string;
  /** PEM of the TLS root; none means plain gRPC. */
  readonly tlsRootCert?: Buffer;
  /** The TLS host name to expect when it differs from the address's. */
  readonly serverNameOverride?: string;
}

/**
 * A call the peer ended as CANCELLED once the call's own deadline had passed ended because of that deadline. A
 * Fabric peer (grpc-go) resets a stream whose deadline it saw expire, and when that reset reaches a busy Node
 * process before its own deadline timer fires, grpc-js reports CANCELLED; the gRPC protocol asks clients to check
 * the deadline in that case (PROTOCOL-HTTP2, RST_STREAM). Answers DEADLINE_EXCEEDED for it, so every caller sees one
 * code for "the deadline passed" (a commit wait then sends its transaction again instead of giving up). `now` is
 * the clock, for tests.
 */
export function deadlineKept(now: () => number = Date.now): grpc.Interceptor {
  return (options, nextCall) => {
    const { deadline } = options;
    const ms = deadline === undefined ? Infinity : deadline instanceof Date ? deadline.getTime() : deadline;
    return new grpc.InterceptingCall(nextCall(options), {
      start: (metadata, _listener, next) => {
        next(metadata, {
          onReceiveStatus: (status, nextStatus) => {
            nextStatus(
              status.code === grpc.status.CANCELLED && now() >= ms
                ? { ...status, code: grpc.status.DEADLINE_EXCEEDED, details: `Deadline exceeded (the peer reset the call: ${status.details})` }
                : status,
            );
          },
        });
      },
    });
  };
}

/** One gRPC connection to a peer, trusting the TLS root its entry gives; `now` is the clock, for tests. */
export function dial(peer: PeerEndpoint, now: () => number = Date.now): grpc.Client {
  const override = peer.serverNameOverride
    ? { 'grpc.ssl_target_name_override': peer.serverNameOverride, 'grpc.default_authority': peer.serverNameOverride }
    : {};
  const credentials = peer.tlsRootCert ? grpc.credentials.createSsl(peer.tlsRootCert) : grpc.credentials.createInsecure();
  return new grpc.Client(peer.address, credentials, { ...override, interceptors: [deadlineKept(now)] });
}

/**
 * A fabric-gateway connection over `client` as `identity`: signing with a Signing (signer and hash together), or
 * a plain signer of SHA-256 digests; without either for one who signs offline (digests are SHA-256).
 */
export function connectGateway(
  client: grpc.Client,
  identity: Identity,
  signing: Signing | Signer | undefined,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): Gateway {
  const { signer, hash: digest } =
    typeof signing === 'function' ? { signer: signing, hash: hash.sha256 } : (signing ?? { signer: undefined, hash: hash.sha256 });
  return connect({
    client,
    identity,
    ...(signer ? { signer } : {}),
    hash: digest,
    evaluateOptions: () => ({ deadline: Date.now() + deadlines.evaluateMs }),
    endorseOptions: () => ({ deadline: Date.now() + deadlines.endorseMs }),
    submitOptions: () => ({ deadline: Date.now() + deadlines.submitMs }),
    commitStatusOptions: () => ({ deadline: Date.now() + deadlines.commitStatusMs }),
  });
}

/** Transient values travel as JSON bytes, as the chaincode reads them. */
export const toTransient = (t: Record<string, unknown> | undefined): Record<string, Uint8Array> | undefined =>
  t ? Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Buffer.from(JSON.stringify(v))])) : undefined;
