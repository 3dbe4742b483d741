// Many keys in one message to the peer. Fabric 3.1 peers accept a transaction's writes as one WRITE_BATCH_STATE
// message and many point reads as one GET_STATE_MULTIPLE (core.yaml chaincode.runtimeParams, on by default),
// the way the Go shim sends them; fabric-shim 2.5 (Node) sends one message per key and waits for each answer,
// so a batch of 500 transfers cost some 2,500 round trips per endorsing peer. This speaks the two messages over
// fabric-shim's own stream to the peer, and falls back to one message per key where the stub has no stream
// (the test peer) or the peer does not know them (before 3.1).
import { peer as protos } from '@hyperledger/fabric-protos';
import type { ChaincodeStub } from 'fabric-shim-api';
import { createRequire } from 'node:module';

/** The peer's advertised default limits (maxSizeWriteBatch, maxSizeGetMultipleKeys). */
const MAX_KEYS_PER_MESSAGE = 1000;

/**
 * Wire numbers from Fabric's chaincode_shim.proto. Not read from the generated enums: fabric-shim's older copy of
 * fabric-protos shares google-protobuf's global namespace with ours, and its enum, without these, can win.
 */
const WRITE_BATCH_STATE = 24;
const GET_STATE_MULTIPLE = 25;
const RECORD_PUT_STATE = 9;
const RECORD_DEL_STATE = 10;

export interface StateWrite {
  readonly key: string;
  /** null: delete the key. */
  readonly value: Uint8Array | null;
}

/** Reads and writes of many keys; what the ledger uses for its reads ahead and its flush. */
export interface StateBatch {
  /** The stored value of each key, in order; undefined where there is none. */
  getMultiple(keys: readonly string[]): Promise<(Uint8Array | undefined)[]>;
  write(writes: readonly StateWrite[]): Promise<void>;
}

/** The part of fabric-shim's stream handler this uses: queue a message for the transaction, await its answer. */
interface ShimHandler {
  _askPeerAndListen(msg: unknown, method: string): Promise<unknown>;
}

interface ShimMessageClass {
  new (): { setType(t: number): void; setPayload(p: Uint8Array): void; setTxid(id: string): void; setChannelId(id: string): void };
}

/** fabric-shim checks a message is its own protobuf class (its own copy of fabric-protos), so build it with that. */
let shimMessage: ShimMessageClass | null | undefined;
function shimMessageClass(): ShimMessageClass | null {
  if (shimMessage === undefined) {
    try {
      const fromShim = createRequire(require.resolve('fabric-shim'));
      shimMessage = (fromShim('@hyperledger/fabric-protos') as { peer: { ChaincodeMessage: ShimMessageClass } }).peer.ChaincodeMessage;
    } catch {
      shimMessage = null;
    }
  }
  return shimMessage;
}

/** Set once a peer answered that it does not know the batch messages: from then on, one message per key. */
let peerRefusesBatches = false;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_KEYS_PER_MESSAGE) out.push(items.slice(i, i + MAX_KEYS_PER_MESSAGE));
  return out;
};

const notKnown = (err: unknown): boolean => err instanceof Error && /cannot handle message/.test(err.message);

/** One key per message, through the stub's own calls. */
function perKey(stub: ChaincodeStub): StateBatch {
  return {
    async getMultiple(keys) {
      const out: (Uint8Array | undefined)[] = [];
      for (const k of keys) {
        const v = await stub.getState(k);
        out.push(v && v.length > 0 ? v : undefined);
      }
      return out;
    },
    async write(writes) {
      for (const w of writes) {
        if (w.value === null) await stub.deleteState(w.key);
        else await stub.putState(w.key, w.value);
      }
    },
  };
}

export function stateBatchOf(stub: ChaincodeStub): StateBatch {
  const fallback = perKey(stub);
  const handler = (stub as unknown as { handler?: Partial<ShimHandler> }).handler;
  const Message = shimMessageClass();
  if (!handler || typeof handler._askPeerAndListen !== 'function' || !Message) return fallback;
  const ask = handler._askPeerAndListen.bind(handler);
  const send = async (type: number, payload: Uint8Array, method: string): Promise<Uint8Array> => {
    const msg = new Message();
    msg.setType(type);
    msg.setPayload(payload);
    msg.setTxid(stub.getTxID());
    msg.setChannelId(stub.getChannelID());
    return (await ask(msg, method)) as Uint8Array;
  };
  return {
    async getMultiple(keys) {
      if (peerRefusesBatches || keys.length < 2) return fallback.getMultiple(keys);
      const out: (Uint8Array | undefined)[] = [];
      for (const part of chunks(keys)) {
        const req = new protos.GetStateMultiple();
        req.setKeysList([...part]);
        let answer: Uint8Array;
        try {
          answer = await send(GET_STATE_MULTIPLE, req.serializeBinary(), 'GetStateMultiple');
        } catch (err) {
          if (!notKnown(err)) throw err;
          peerRefusesBatches = true;
          return fallback.getMultiple(keys);
        }
        const values = protos.GetStateMultipleResult.deserializeBinary(answer).getValuesList_asU8();
        for (let i = 0; i < part.length; i += 1) {
          const v = values[i];
          out.push(v && v.length > 0 ? v : undefined);
        }
      }
      return out;
    },
    async write(writes) {
      if (peerRefusesBatches || writes.length < 2) return fallback.write(writes);
      for (const [i, part] of chunks(writes).entries()) {
        const batch = new protos.WriteBatchState();
        batch.setRecList(
          part.map((w) => {
            const rec = new protos.WriteRecord();
            rec.setKey(w.key);
            if (w.value === null) rec.setType(RECORD_DEL_STATE);
            else {
              rec.setType(RECORD_PUT_STATE);
              rec.setValue(w.value);
            }
            return rec;
          }),
        );
        try {
          await send(WRITE_BATCH_STATE, batch.serializeBinary(), 'WriteBatchState');
        } catch (err) {
          // Only the first message can be refused for its type; nothing of this batch was written then.
          if (i > 0 || !notKnown(err)) throw err;
          peerRefusesBatches = true;
          return fallback.write(writes);
        }
      }
    },
  };
}
