// Typed access to world state for the contracts: keys, canonical JSON values, prefix and range scans.
import type { Context } from 'fabric-contract-api';
import type { ChaincodeStub, Iterators } from 'fabric-shim-api';
import { ChaincodeError } from './errors';
import { fromBytes, toBytes } from './json';

/** Separates key parts. Ids are validated never to contain it, so no key can impersonate another. */
export const SEP = '~';
const END = '\u{10ffff}';

export const key = (...parts: readonly (string | number)[]): string => parts.join(SEP);

/** Seconds since the epoch, zero-padded so that keys sort in time order. */
export const paddedSeconds = (seconds: number): string => String(Math.max(0, Math.floor(seconds))).padStart(12, '0');

export interface Page<T> {
  readonly items: T[];
  /** Pass back to get the next page; empty when there is none. */
  readonly bookmark: string;
}

export const MAX_PAGE_SIZE = 200;

export class Ledger {
  readonly stub: ChaincodeStub;

  constructor(ctx: Context) {
    this.stub = ctx.stub;
  }

  async get<T>(k: string): Promise<T | undefined> {
    const bytes = await this.stub.getState(k);
    return bytes && bytes.length > 0 ? fromBytes<T>(bytes) : undefined;
  }

  async mustGet<T>(k: string, code: ChaincodeError['code'], what: string): Promise<T> {
    const value = await this.get<T>(k);
    if (value === undefined) throw new ChaincodeError(code, `${what} does not exist`);
    return value;
  }

  async exists(k: string): Promise<boolean> {
    const bytes = await this.stub.getState(k);
    return Boolean(bytes && bytes.length > 0);
  }

  async put(k: string, value: unknown): Promise<void> {
    await this.stub.putState(k, toBytes(value));
  }

  async del(k: string): Promise<void> {
    await this.stub.deleteState(k);
  }

  /** Every value whose key starts with the prefix parts, in key order (re-validated at commit). */
  async scan<T>(...prefix: readonly string[]): Promise<{ key: string; value: T }[]> {
    const start = key(...prefix, '');
    return this.collect<T>(await this.stub.getStateByRange(start, start + END));
  }

  /** Values with keys in [start, end), in key order (re-validated at commit). */
  async range<T>(start: string, end: string): Promise<{ key: string; value: T }[]> {
    return this.collect<T>(await this.stub.getStateByRange(start, end));
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
    const { iterator, metadata } = await this.stub.getStateByRangeWithPagination(start, start + END, size, bookmark);
    const items = (await this.collect<T>(iterator)).map((r) => r.value);
    const next = items.length === size ? metadata.bookmark : '';
    return { items, bookmark: next ?? '' };
  }

  private async collect<T>(iterator: Iterators.StateQueryIterator): Promise<{ key: string; value: T }[]> {
    const out: { key: string; value: T }[] = [];
    try {
      for (;;) {
        const r = await iterator.next();
        if (r.value) out.push({ key: r.value.key, value: fromBytes<T>(r.value.value) });
        if (r.done) break;
      }
    } finally {
      await iterator.close();
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
