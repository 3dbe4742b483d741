// An in-memory stand-in for a peer, for unit tests: it behaves like Fabric where the contracts can tell.
// A transaction reads committed state only (no read-your-writes), range scans sort by UTF-8 bytes,
// writes commit only when the transaction succeeds, history and private data are kept, and only the
// last event a transaction sets survives, as on a peer. Transactions simulated together and committed as one
// block are validated as Fabric does: a point read of a key an earlier transaction in the block wrote is an
// MVCC conflict, a range read that an earlier transaction's write falls into is a phantom conflict.
import type { Contract } from 'fabric-contract-api';
import type { RegchainContext } from '../contracts/base';
import type { Role } from '../identity';

export interface TestIdentity {
  readonly mspId: string;
  readonly role?: Role | string;
  readonly entityId?: string;
  readonly name: string;
}

interface HistoryEntry {
  readonly txId: string;
  readonly seconds: number;
  readonly isDelete: boolean;
  readonly value: Uint8Array;
}

export interface InvokeResult {
  readonly txId: string;
  readonly result: string;
  /** The chaincode event the transaction set, decoded, or undefined. */
  readonly event?: { name: string; payload: { txId: string; events: { type: string; [k: string]: unknown }[] } };
}

const utf8Compare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const KEY_END = '\u{10ffff}';

/** Counts the state reads a transaction makes, for the cost figures in the tests. */
export interface ReadStats {
  pointReads: number;
  rangeReads: number;
  keysScanned: number;
}

/** A simulated transaction: its result, and its read and write sets, not yet committed. */
export interface Simulation extends InvokeResult {
  readonly seconds: number;
  readonly readKeys: ReadonlySet<string>;
  readonly readRanges: readonly (readonly [string, string])[];
  readonly writes: ReadonlyMap<string, Uint8Array | null>;
  readonly privateWrites: readonly (readonly [string, string, Uint8Array])[];
  readonly params: ReadonlyMap<string, Uint8Array>;
  readonly reads: ReadStats;
}

export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT';

export class TestPeer {
  readonly state = new Map<string, Uint8Array>();
  readonly privateData = new Map<string, Map<string, Uint8Array>>();
  readonly history = new Map<string, HistoryEntry[]>();
  readonly validationParameters = new Map<string, Uint8Array>();
  /** Seconds since the epoch of the next transaction; advances by one each transaction. */
  clock = Date.UTC(2026, 10, 22, 2, 0, 0) / 1000;
  lastReads: ReadStats = { pointReads: 0, rangeReads: 0, keysScanned: 0 };
  #tx = 0;

  /** Runs one transaction as a peer would: simulate, then commit the write set only on success. */
  async invoke(
    contract: Contract,
    fn: string,
    args: readonly string[],
    as: TestIdentity,
    options: { transient?: Record<string, unknown>; time?: number } = {},
  ): Promise<InvokeResult> {
    const sim = await this.simulate(contract, fn, args, as, options);
    this.#apply(sim);
    const { txId, result, event } = sim;
    return { txId, result, ...(event ? { event } : {}) };
  }

  /**
   * Commits simulated transactions as one block, in order: each is validated against the writes of the valid
   * ones before it, and only valid ones are applied. Returns each one's validation code.
   */
  commitBlock(sims: readonly Simulation[]): ValidationCode[] {
    const written = new Set<string>();
    return sims.map((sim) => {
      let code: ValidationCode = 'VALID';
      if ([...sim.readKeys].some((k) => written.has(k))) code = 'MVCC_READ_CONFLICT';
      else if (sim.readRanges.some(([start, end]) => [...written].some((k) => utf8Compare(k, start) >= 0 && utf8Compare(k, end) < 0)))
        code = 'PHANTOM_READ_CONFLICT';
      if (code === 'VALID') {
        for (const k of sim.writes.keys()) written.add(k);
        this.#apply(sim);
      }
      return code;
    });
  }

  #apply(sim: Simulation): void {
    for (const [key, value] of sim.writes) {
      const list = this.history.get(key) ?? [];
      if (value === null) {
        this.state.delete(key);
        list.push({ txId: sim.txId, seconds: sim.seconds, isDelete: true, value: new Uint8Array() });
      } else {
        this.state.set(key, value);
        list.push({ txId: sim.txId, seconds: sim.seconds, isDelete: false, value });
      }
      this.history.set(key, list);
    }
    for (const [collection, key, value] of sim.privateWrites) {
      const c = this.privateData.get(collection) ?? new Map<string, Uint8Array>();
      c.set(key, value);
      this.privateData.set(collection, c);
    }
    for (const [key, policy] of sim.params) this.validationParameters.set(key, policy);
    this.lastReads = sim.reads;
  }

  /** Endorses a transaction against committed state without committing it (see commitBlock). */
  async simulate(
    contract: Contract,
    fn: string,
    args: readonly string[],
    as: TestIdentity,
    options: { transient?: Record<string, unknown>; time?: number } = {},
  ): Promise<Simulation> {
    this.#tx += 1;
    const txId = `${this.#tx.toString(16).padStart(8, '0')}${'c0ffee'.repeat(10)}`.slice(0, 64);
    const seconds = options.time ?? this.clock;
    this.clock = Math.max(this.clock, seconds) + 1;
    const writes = new Map<string, Uint8Array | null>();
    const privateWrites: [string, string, Uint8Array][] = [];
    const params = new Map<string, Uint8Array>();
    let event: { name: string; payload: Uint8Array } | undefined;
    const reads: ReadStats = { pointReads: 0, rangeReads: 0, keysScanned: 0 };
    const readKeys = new Set<string>();
    const readRanges: [string, string][] = [];
    const transient = new Map<string, Uint8Array>(
      Object.entries(options.transient ?? {}).map(([k, v]) => [k, Buffer.from(typeof v === 'string' ? v : JSON.stringify(v))]),
    );
    const peer = this;

    const rangeIterator = (start: string, end: string, limit?: number, bookmark?: string) => {
      const from = bookmark && bookmark.length > 0 ? bookmark : start;
      const keys = [...peer.state.keys()].filter((k) => utf8Compare(k, from) >= 0 && utf8Compare(k, end) < 0).sort(utf8Compare);
      const page = limit === undefined ? keys : keys.slice(0, limit);
      const next = limit !== undefined && keys.length > limit ? (keys[limit] ?? '') : '';
      reads.rangeReads += 1;
      reads.keysScanned += page.length;
      readRanges.push([start, end]);
      let i = 0;
      const iterator = {
        async next() {
          const k = page[i];
          i += 1;
          if (k === undefined) return { done: true, value: undefined };
          return { done: false, value: { key: k, value: peer.state.get(k) as Uint8Array } };
        },
        async close() {},
      };
      return { iterator, metadata: { fetchedRecordsCount: page.length, bookmark: next } };
    };

    const stub = {
      getTxID: () => txId,
      getChannelID: () => 'supervision',
      getDateTimestamp: () => new Date(seconds * 1000),
      getTxTimestamp: () => ({ seconds: { toNumber: () => seconds, toString: () => String(seconds) }, nanos: 0 }),
      getTransient: () => transient,
      getMspID: () => as.mspId,
      async getState(key: string) {
        reads.pointReads += 1;
        readKeys.add(key);
        return peer.state.get(key) ?? new Uint8Array();
      },
      async putState(key: string, value: Uint8Array) {
        if (key.length === 0) throw new Error('key must not be empty');
        writes.set(key, Buffer.from(value));
      },
      async deleteState(key: string) {
        writes.set(key, null);
      },
      async getStateByRange(start: string, end: string) {
        if (start.startsWith('\u0000') || end.startsWith('\u0000')) throw new Error('composite keys are not allowed in range queries');
        return rangeIterator(start, end).iterator;
      },
      async getStateByRangeWithPagination(start: string, end: string, pageSize: number, bookmark?: string) {
        if (writes.size > 0) throw new Error('Paginated queries are supported only in a read-only transaction');
        return rangeIterator(start, end === '' ? KEY_END : end, pageSize, bookmark);
      },
      async getHistoryForKey(key: string) {
        const entries = [...(peer.history.get(key) ?? [])].reverse();
        let i = 0;
        return {
          async next() {
            const e = entries[i];
            i += 1;
            if (!e) return { done: true, value: undefined };
            return {
              done: false,
              value: { txId: e.txId, isDelete: e.isDelete, value: e.value, timestamp: { seconds: { toString: () => String(e.seconds) }, nanos: 0 } },
            };
          },
          async close() {},
        };
      },
      async getPrivateData(collection: string, key: string) {
        reads.pointReads += 1;
        return peer.privateData.get(collection)?.get(key) ?? new Uint8Array();
      },
      async putPrivateData(collection: string, key: string, value: Uint8Array) {
        privateWrites.push([collection, key, Buffer.from(value)]);
      },
      async setStateValidationParameter(key: string, policy: Uint8Array) {
        params.set(key, policy);
      },
      setEvent(name: string, payload: Uint8Array) {
        event = { name, payload };
      },
    };

    const identity = {
      getMSPID: () => as.mspId,
      getID: () => `x509::/CN=${as.name}::/CN=ca.${as.mspId}`,
      getAttributeValue: (name: string) => (name === 'role' ? (as.role ?? null) : name === 'entityId' ? (as.entityId ?? null) : null),
    };

    const ctx = contract.createContext() as RegchainContext;
    Object.assign(ctx, { stub, clientIdentity: identity });
    await contract.beforeTransaction(ctx);
    const method = (contract as unknown as Record<string, (c: unknown, ...a: string[]) => Promise<string>>)[fn];
    if (typeof method !== 'function') throw new Error(`${contract.getName()} has no transaction ${fn}`);
    const result = await method.call(contract, ctx, ...args);
    await contract.afterTransaction(ctx, result);
    return {
      txId,
      result,
      ...(event ? { event: { name: event.name, payload: JSON.parse(Buffer.from(event.payload).toString()) } } : {}),
      seconds,
      readKeys,
      readRanges,
      writes,
      privateWrites,
      params,
      reads,
    };
  }

  /** A copy of the committed world state, to prove a failed transaction wrote nothing. */
  snapshot(): Map<string, string> {
    return new Map([...this.state].map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  }
}
