// The recent flows the detectors look at: each account's transfers out and in, in time order, kept for the
// parameters' horizon and no longer, so memory follows the window, not the history. Transfers mostly arrive in
// business-time order (a back-test puts them so with `Reorder`); one reported late is put in its place. A file of
// old transfers loaded into a live network (the batch upload of a back-test file) arrives weeks behind the rest:
// the horizon is kept behind the oldest transfer added lately, so its own past stays in the window as it would
// in the back-test.
import type { Transfer } from './transfer';

/** One account's transfers in one direction, oldest first; evicted from the front without copying each time. */
class Series {
  items: Transfer[] = [];
  start = 0;

  /** Appends, or inserts in time order a transfer reported late (business time before the newest). */
  push(t: Transfer): void {
    const last = this.items[this.items.length - 1];
    if (!last || last.executedAt <= t.executedAt) this.items.push(t);
    else this.items.splice(this.#lowerBound(t.executedAt + 1), 0, t);
  }

  get size(): number {
    return this.items.length - this.start;
  }

  /** Position of the first live item executed at or after `time`. */
  #lowerBound(time: number): number {
    let lo = this.start;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as Transfer).executedAt < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether items executed in [from, to] have more than `n` distinct values of `side`; stops as soon as they do. */
  moreThan(from: number, to: number, side: 'from' | 'to', n: number): boolean {
    const end = this.#lowerBound(to + 1);
    const start = this.#lowerBound(from);
    if (end - start <= n) return false;
    const seen = new Set<string>();
    for (let i = end - 1; i >= start; i -= 1) {
      seen.add((this.items[i] as Transfer)[side]);
      if (seen.size > n) return true;
    }
    return false;
  }

  /** Items executed in [from, to]. */
  between(from: number, to: number): Transfer[] {
    return this.items.slice(this.#lowerBound(from), this.#lowerBound(to + 1));
  }

  evictBefore(time: number): void {
    this.start = this.#lowerBound(time);
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
  }
}

export class FlowWindow {
  readonly #out = new Map<string, Series>();
  readonly #in = new Map<string, Series>();
  /** When each account last moved money: one number per account, so a long silence can be told. */
  readonly #lastActive = new Map<string, number>();
  readonly #horizon: number;
  #now = 0;
  #added = 0;
  /** The oldest business time added since the last eviction. */
  #oldestAdded = Number.POSITIVE_INFINITY;

  constructor(horizon: number) {
    this.#horizon = horizon;
  }

  /** The latest business time seen. */
  get now(): number {
    return this.#now;
  }

  /** Adds a transfer; returns when each of its accounts was last active before it (undefined: never seen). */
  add(t: Transfer): { from: number | undefined; to: number | undefined } {
    const before = { from: this.#lastActive.get(t.from), to: this.#lastActive.get(t.to) };
    this.#series(this.#out, t.from).push(t);
    this.#series(this.#in, t.to).push(t);
    this.#lastActive.set(t.from, t.executedAt);
    this.#lastActive.set(t.to, t.executedAt);
    this.#now = Math.max(this.#now, t.executedAt);
    this.#oldestAdded = Math.min(this.#oldestAdded, t.executedAt);
    this.#added += 1;
    if (this.#added % 4096 === 0) this.#evict();
    return before;
  }

  /** Remembers when an account was last active, from before the window (a restart rebuilding it). */
  remember(account: string, time: number): void {
    if ((this.#lastActive.get(account) ?? Number.NEGATIVE_INFINITY) < time) this.#lastActive.set(account, time);
  }

  /** Transfers out of the account executed in [from, to], oldest first. */
  outOf(account: string, from: number, to: number): Transfer[] {
    return this.#out.get(account)?.between(from, to) ?? [];
  }

  /** Transfers into the account executed in [from, to], oldest first. */
  into(account: string, from: number, to: number): Transfer[] {
    return this.#in.get(account)?.between(from, to) ?? [];
  }

  /** Whether more than `n` distinct accounts paid the account in [from, to], without copying its inflows. */
  payersExceed(account: string, from: number, to: number, n: number): boolean {
    return this.#in.get(account)?.moreThan(from, to, 'from', n) ?? false;
  }

  /** How many transfers the window holds (each counted once). */
  get size(): number {
    let n = 0;
    for (const s of this.#out.values()) n += s.size;
    return n;
  }

  #series(map: Map<string, Series>, account: string): Series {
    let s = map.get(account);
    if (!s) {
      s = new Series();
      map.set(account, s);
    }
    return s;
  }

  #evict(): void {
    // What any transfer added lately can look back to; transfers reported in time order make it now's.
    const oldest = Math.min(this.#now, this.#oldestAdded) - this.#horizon;
    this.#oldestAdded = Number.POSITIVE_INFINITY;
    for (const map of [this.#out, this.#in]) {
      for (const [account, s] of map) {
        s.evictBefore(oldest);
        if (s.size === 0) map.delete(account);
      }
    }
  }
}
