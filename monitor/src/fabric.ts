// The monitor's Fabric side, through fabric-gateway: every committed block from a checkpoint (the EventSource), pattern alerts submitted with the monitor's own identity (the Raiser), and the chain's height
// for the lag. Peers come from the connection profile, tried in turn.
import * as grpc from '@grpc/grpc-js';
import type { Gateway, Identity, Network, Signer } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { CHAINCODE_NAME, CHANNEL, type TypologyParameters } from '@regchain/common';
import {
  chaincodeErrorOf,
  connectGateway,
  type Deadlines,
  DEFAULT_DEADLINES,
  dial,
  type GatewayPeer,
  loadProfile,
  mspFiles,
  mspIdentity,
  transactionsOf,
} from '@regchain/fabric';
import type { Committed, EventSource, LateReporting, Raiser } from './follower';
import { DEFAULT_PARAMETERS, type Parameters, withDefaults } from './parameters';
import type { Checkpoint } from './store';

export interface FabricSettings {
  readonly profile: string;
  readonly mspId: string;
  /** An MSP folder: signcerts/cert.pem and keystore/*_sk. */
  readonly mspDir: string;
  readonly channel?: string;
  readonly deadlines?: Deadlines;
}

/** A connection to one of the profile's peers with the monitor's identity; the next peer when one fails. */
export class FabricLink {
  readonly #peers: GatewayPeer[];
  readonly #identity: Identity;
  readonly #signer: Signer;
  readonly #channel: string;
  readonly #deadlines: Deadlines;
  #current: { client: grpc.Client; gateway: Gateway; peer: GatewayPeer } | undefined;
  #next = 0;

  constructor(settings: FabricSettings) {
    this.#channel = settings.channel ?? CHANNEL;
    const all = loadProfile(settings.profile, this.#channel);
    // The monitor's own org first: its peers serve its identity's reads without crossing to another org.
    this.#peers = [...all.filter((p) => p.mspId === settings.mspId), ...all.filter((p) => p.mspId !== settings.mspId)];
    const files = mspFiles(settings.mspDir);
    if (!files) throw new Error(`the monitor's identity is not in ${settings.mspDir} (signcerts/cert.pem, keystore/*_sk)`);
    ({ identity: this.#identity, signer: this.#signer } = mspIdentity(settings.mspId, files));
    this.#deadlines = settings.deadlines ?? DEFAULT_DEADLINES;
  }

  network(): Network {
    if (!this.#current) {
      const peer = this.#peers[this.#next % this.#peers.length] as GatewayPeer;
      const client = dial(peer);
      const gateway = connectGateway(client, this.#identity, this.#signer, this.#deadlines);
      this.#current = { client, gateway, peer };
    }
    return this.#current.gateway.getNetwork(this.#channel);
  }

  get peer(): string {
    return this.#current?.peer.name ?? '';
  }

  /** Drops the connection; the next use dials the profile's next peer. */
  failover(): void {
    this.close();
    this.#next += 1;
  }

  close(): void {
    this.#current?.gateway.close();
    this.#current?.client.close();
    this.#current = undefined;
  }

  /** The channel's height: the blocks the peer has committed. */
  async height(): Promise<bigint> {
    const info = await this.network().getContract('qscc').evaluateTransaction('GetChainInfo', this.#channel);
    return BigInt(common.BlockchainInfo.deserializeBinary(info).getHeight());
  }
}

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Every committed block after the checkpoint's; a broken stream resumes on the next peer after the last block delivered. */
export function fabricEvents(link: FabricLink, onError: (err: Error) => void): EventSource {
  return {
    async *follow(after: Checkpoint | undefined, signal: AbortSignal): AsyncIterable<Committed> {
      let next = after ? after.block + 1n : 0n;
      while (!signal.aborted) {
        try {
          const blocks = await link.network().getBlockEvents({ startBlock: next });
          signal.addEventListener('abort', () => blocks.close(), { once: true });
          try {
            for await (const block of blocks) {
              const number = BigInt(block.getHeader()?.getNumber() ?? 0);
              next = number + 1n;
              yield { block: number, transactions: transactionsOf(block) };
            }
          } finally {
            blocks.close();
          }
        } catch (err) {
          if (signal.aborted) return;
          onError(err as Error);
          link.failover();
          await pause(1000, signal);
        }
      }
    },
  };
}

/** Submits alert:raisePattern and waits for its commit; answers the alert id. */
export function fabricRaiser(link: FabricLink): Raiser {
  return async (alert) => {
    const input = {
      key: alert.key,
      typology: alert.typology,
      parametersVersion: alert.parametersVersion,
      score: alert.score,
      transferIds: alert.transferIds,
      accounts: alert.accounts,
      conditions: alert.conditions,
    };
    try {
      const out = await link.network().getContract(CHAINCODE_NAME).submitTransaction('alert:raisePattern', JSON.stringify(input));
      return (JSON.parse(Buffer.from(out).toString('utf8')) as { alertId: string }).alertId;
    } catch (err) {
      if ((err as { code?: number }).code === grpc.status.UNAVAILABLE) link.failover();
      throw err;
    }
  };
}

/** Late reporting through the chain: the model's limit, and credit:recordLateReports (a transfer not late is an answer too). */
export function fabricLateReporting(link: FabricLink): LateReporting {
  const contract = () => link.network().getContract(CHAINCODE_NAME);
  return {
    lateReportDays: async () => {
      const out = await contract().evaluateTransaction('credit:model', '{}');
      return (JSON.parse(Buffer.from(out).toString('utf8')) as { model: { lateReportDays: number } }).model.lateReportDays;
    },
    file: async (transferIds) => {
      try {
        const out = await contract().submitTransaction('credit:recordLateReports', JSON.stringify({ transferIds }));
        return JSON.parse(Buffer.from(out).toString('utf8')) as { filed: string[]; already: string[] };
      } catch (err) {
        const refusal = chaincodeErrorOf(err);
        if (refusal?.code === 'CREDIT_NOT_LATE' && typeof refusal.details?.transferId === 'string') return { notLate: refusal.details.transferId };
        if ((err as { code?: number }).code === grpc.status.UNAVAILABLE) link.failover();
        throw err;
      }
    },
  };
}

/** The typology parameters the regulator published last, or the defaults (version 0) before any. */
export function parametersFromChain(link: FabricLink): () => Promise<Parameters> {
  return async () => {
    try {
      const out = await link.network().getContract(CHAINCODE_NAME).evaluateTransaction('typology:get', '{}');
      const record = JSON.parse(Buffer.from(out).toString('utf8')) as { version: number; parameters: TypologyParameters };
      // A set published before figures were added to the schema keeps the defaults for those.
      return withDefaults(record.parameters, record.version);
    } catch (err) {
      if (chaincodeErrorOf(err)?.code === 'TYPOLOGIES_NOT_FOUND') return DEFAULT_PARAMETERS;
      throw err;
    }
  };
}
