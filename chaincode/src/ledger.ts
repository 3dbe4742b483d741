// Typed access to world state for the contracts: keys, canonical JSON values, prefix and range scans, and the
// transaction's own writes, which it reads back (Fabric does not) and which reach the stub once, at the end.
import type { Context } from 'fabric-contract-api';
import type { ChaincodeStub, Iterators } from 'fabric-shim-api';
import { lowerBound } from './domain/sorted';
import { ChaincodeError } from './errors';
import { fromBytes, toBytes } from './json';
import { type StateBatch, stateBatchOf } from './peer-batch';

/** Separates key parts. Ids are validated never to contain it, so no key can impersonate another. */
export const SEP = '~';
/** Sorts after every key: the end of a prefix range. */
export const KEY_END = '\u{10ffff}';

export const key = (...parts: readonly (string | number)[]): string => parts.join(SEP);

/** Seconds since the epoch, zero-padded so that keys sort in time order. */
export const paddedSeconds = (seconds: number): string => String(Math.max(0, Math.floor(seconds))).padStart(12, '0');

export interface Page<T> {
  readonly items: T[];
  /** Pass back to get the next page; empty when there is none. */
  readonly bookmark: string;
}

export const MAX_PAGE_SIZE = 200;

/**
 * A pending write: the value, so reading it back parses nothing. Its canonical bytes are made once, at the flush:
 * a key written many times in a transaction (a batch's window bucket) is serialized once.
 */
interface Pending {
  readonly value: unknown;
}

export class Ledger {
  readonly stub: ChaincodeStub;
  /** Many keys a message: the flush, and reads ahead of a batch. */
  readonly #batch: StateBatch;
  /** Pending writes (null: deleted), innermost savepoint last; flushed to the stub when the transaction succeeds. */
  readonly #layers: Map<string, Pending | null>[] = [new Map()];
  /** Every key some layer holds, sorted, with how many layers hold it: ranges over pending writes by binary search. */
  readonly #keys: string[] = [];
  readonly #holders = new Map<string, number>();
  /** Reads made of world state (point and range), for the cost of a transaction. */
  readonly reads = { point: 0, range: 0 };
  /** World state does not change during a transaction: each key and range is read from the peer once. */
  readonly #pointCache = new Map<string, { value: unknown } | null>();
  readonly #rangeCache = new Map<string, { key: string; value: unknown }[]>();

  constructor(ctx: Context) {
    this.stub = ctx.stub;
    this.#batch = stateBatchOf(ctx.stub);
  }

  #pending(k: string): Pending | null | undefined {
    for (let i = this.#layers.length - 1; i >= 0; i -= 1) {
      const layer = this.#layers[i] as Map<string, Pending | null>;
      if (layer.has(k)) return layer.get(k);
    }
    return undefined;
  }

  #hold(k: string): void {
    const n = this.#holders.get(k) ?? 0;
    if (n === 0) this.#keys.splice(lowerBound(this.#keys, k), 0, k);
    this.#holders.set(k, n + 1);
  }

  #release(k: string): void {
    const n = (this.#holders.get(k) ?? 0) - 1;
    if (n > 0) {
      this.#holders.set(k, n);
      return;
    }
    this.#holders.delete(k);
    const i = lowerBound(this.#keys, k);
    if (this.#keys[i] === k) this.#keys.splice(i, 1);
  }

  #write(k: string, v: Pending | null): void {
    const top = this.#layers[this.#layers.length - 1] as Map<string, Pending | null>;
    if (!top.has(k)) this.#hold(k);
    top.set(k, v);
  }

  /** Pending writes with keys in [start, end), in key order, the innermost winning. */
  #pendingIn(start: string, end: string): [string, Pending | null][] {
    const out: [string, Pending | null][] = [];
    for (let i = lowerBound(this.#keys, start); i < this.#keys.length; i += 1) {
      const k = this.#keys[i] as string;
      if (k >= end) break;
      out.push([k, this.#pending(k) as Pending | null]);
    }
    return out;
  }

  async get<T>(k: string): Promise<T | undefined> {
    const pending = this.#pending(k);
    if (pending !== undefined) return pending === null ? undefined : (pending.value as T);
    let cached = this.#pointCache.get(k);
    if (cached === undefined) {
      this.reads.point += 1;
      const read = await this.stub.getState(k);
      cached = read && read.length > 0 ? { value: fromBytes<unknown>(read) } : null;
      this.#pointCache.set(k, cached);
    }
    return cached === null ? undefined : (cached.value as T);
  }

  /**
   * Reads ahead the keys a batch will read, all in one message to the peer: later gets find them cached. The
   * read set is what it would be with one get per key.
   */
  async prefetch(keys: readonly string[]): Promise<void> {
    const wanted = [...new Set(keys)].filter((k) => this.#pending(k) === undefined && !this.#pointCache.has(k)).sort();
    if (wanted.length === 0) return;
    this.reads.point += wanted.length;
    const values = await this.#batch.getMultiple(wanted);
    wanted.forEach((k, i) => {
      const v = values[i];
      this.#pointCache.set(k, v ? { value: fromBytes<unknown>(v) } : null);
    });
  }

  async mustGet<T>(k: string, code: ChaincodeError['code'], what: string): Promise<T> {
    const value = await this.get<T>(k);
    if (value === undefined) throw new ChaincodeError(code, `${what} does not exist`);
    return value;
  }

  /**
   * A record the caller may see; one it may not answers exactly as a missing one (code, sentence, no details):
   * need to know hides whether it exists, and whose it is.
   */
  async mustSee<T>(k: string, code: ChaincodeError['code'], what: string, visible: (value: T) => boolean): Promise<T> {
    const value = await this.get<T>(k);
    if (value === undefined || !visible(value)) throw new ChaincodeError(code, `${what} does not exist`);
    return value;
  }

  async exists(k: string): Promise<boolean> {
    return (await this.get<unknown>(k)) !== undefined;
  }

  /** Values read back are the written object itself: callers treat records as immutable. */
  async put(k: string, value: unknown): Promise<void> {
    this.#write(k, { value });
  }

  async del(k: string): Promise<void> {
    this.#write(k, null);
  }

  /** Opens a savepoint: what is written from here can be rolled back alone (one item of a batch). */
  begin(): void {
    this.#layers.push(new Map());
  }

  /** Keeps what was written since the matching begin(). */
  commit(): void {
    const top = this.#layers.pop();
    const below = this.#layers[this.#layers.length - 1];
    if (!top || !below) throw new Error('commit without begin');
    for (const [k, v] of top) {
      if (below.has(k)) this.#release(k);
      below.set(k, v);
    }
  }

  /** Drops what was written since the matching begin(). */
  rollback(): void {
    if (this.#layers.length < 2) throw new Error('rollback without begin');
    const top = this.#layers.pop() as Map<string, Pending | null>;
    for (const k of top.keys()) this.#release(k);
  }

  /** Writes the transaction's writes to the peer, in key order, in as few messages as it takes; called once the transaction succeeded. */
  async flush(): Promise<void> {
    await this.#batch.write(
      this.#keys.map((k) => {
        const v = this.#pending(k) as Pending | null;
        return { key: k, value: v === null ? null : toBytes(v.value) };
      }),
    );
    this.#layers.splice(0, this.#layers.length, new Map());
    this.#keys.length = 0;
    this.#holders.clear();
  }

  /** Every value whose key starts with the prefix parts, in key order (re-validated at commit), own writes included. */
  async scan<T>(...prefix: readonly string[]): Promise<{ key: string; value: T }[]> {
    const start = key(...prefix, '');
    return this.range<T>(start, start + KEY_END);
  }

  /** Values with keys in [start, end), in key order (re-validated at commit), own writes included. */
  async range<T>(start: string, end: string): Promise<{ key: string; value: T }[]> {
    const cacheKey = `${start}\u0000${end}`;
    let cached = this.#rangeCache.get(cacheKey);
    if (!cached) {
      this.reads.range += 1;
      cached = await this.collect<unknown>(await this.stub.getStateByRange(start, end));
      this.#rangeCache.set(cacheKey, cached);
    }
    const stored = cached as { key: string; value: T }[];
    const pending = this.#pendingIn(start, end);
    if (pending.length === 0) return stored;
    const merged = new Map(stored.map((r) => [r.key, r.value]));
    for (const [k, v] of pending) {
      if (v === null) merged.delete(k);
      else merged.set(k, v.value as T);
    }
    return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, value]) => ({ key: k, value }));
  }

  /** This transaction's own pending value of a key, if it wrote one: never a read of world state. */
  own<T>(k: string): T | undefined {
    const pending = this.#pending(k);
    return pending ? (pending.value as T) : undefined;
  }

  /** This transaction's own writes with keys in [start, end): no read of world state, so nothing to re-validate. */
  written<T>(start: string, end: string): { key: string; value: T }[] {
    return this.#pendingIn(start, end)
      .filter((e): e is [string, Pending] => e[1] !== null)
      .map(([k, v]) => ({ key: k, value: v.value as T }));
  }

  /**
   * One page of a prefix scan. Only for queries: Fabric refuses paginated reads in a writing transaction.
   * Fabric starts the scan at the bookmark itself, unchecked, so a bookmark outside the prefix would read
   * keys the caller was never offered: it is refused unless it lies inside [start, end).
   */
  async page<T>(prefix: readonly string[], pageSize: number, bookmark: string): Promise<Page<T>> {
    const start = key(...prefix, '');
    if (bookmark !== '' && !(bookmark.startsWith(start) && bookmark > start)) {
      throw new ChaincodeError('VALIDATION_FAILED', 'bookmark: not a bookmark of this list; pass back the bookmark the previous page returned', {
        field: '/bookmark',
      });
    }
    const size = Math.min(Math.max(1, pageSize), MAX_PAGE_SIZE);
    const { iterator, metadata } = await this.stub.getStateByRangeWithPagination(start, start + KEY_END, size, bookmark);
    const items = (await this.collect<T>(iterator)).map((r) => r.value);
    const next = items.length === size ? metadata.bookmark : '';
    return { items, bookmark: next ?? '' };
  }

  /**
   * Reads an iterator to its end. One read to its end needs no close message: the peer closes a transaction's
   * iterators when it completes, and a message saved is a round trip saved per range. Closed when a read fails.
   */
  private async collect<T>(iterator: Iterators.StateQueryIterator): Promise<{ key: string; value: T }[]> {
    const out: { key: string; value: T }[] = [];
    try {
      for (;;) {
        const r = await iterator.next();
        if (r.value) out.push({ key: r.value.key, value: fromBytes<T>(r.value.value) });
        if (r.done) break;
      }
    } catch (err) {
      await iterator.close();
      throw err;
    }
    return out;
  }

  /**
   * Every committed version of a key, oldest first (Fabric returns newest first). A query only: history
   * is not re-validated at commit, so no write may depend on it.
   */
  async history<T>(k: string): Promise<{ txId: string; time: string; value: T | undefined }[]> {
    const iterator = await this.stub.getHistoryForKey(k);
    const out: { txId: string; time: string; value: T | undefined }[] = [];
    try {
      for (;;) {
        const r = await iterator.next();
        if (r.value) {
          out.push({
            txId: r.value.txId,
            time: new Date(Number(r.value.timestamp.seconds.toString()) * 1000).toISOString(),
            value: r.value.isDelete ? undefined : fromBytes<T>(r.value.value),
          });
        }
        if (r.done) break;
      }
    } finally {
      await iterator.close();
    }
    return out.reverse();
  }

  /** Transaction time in whole seconds: the same on every endorsing peer. */
  txSeconds(): number {
    return Math.floor(this.stub.getDateTimestamp().getTime() / 1000);
  }

  txTime(): string {
    return new Date(this.txSeconds() * 1000).toISOString();
  }

  txId(): string {
    return this.stub.getTxID();
  }
}
