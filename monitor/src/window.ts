// The recent flows the detectors look at: each account's transfers out and in, in time order, kept for the
// parameters' horizon and no longer, so memory follows the window, not the history. Transfers mostly arrive in
// business-time order (a back-test puts them so with `Reorder`); one reported late is put in its place. A file of
// old transfers loaded into a live network (the batch upload of a back-test file) arrives weeks behind the rest:
// the horizon is kept behind the oldest transfer added lately, so its own past stays in the window as it would
// in the back-test, up to one horizon behind now: the window never holds more than two horizons, however far
// back a reporter dates a transfer. Each payer and payee pair's transfers are kept a relationship memory longer.
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

  /** How many items were executed in [from, to], without copying them. */
  count(from: number, to: number): number {
    return this.#lowerBound(to + 1) - this.#lowerBound(from);
  }

  /** Items executed in [from, to]. */
  between(from: number, to: number): Transfer[] {
    return this.items.slice(this.#lowerBound(from), this.#lowerBound(to + 1));
  }

  /** The first live item executed in [from, to] with at least `minAmount`. */
  firstBetween(from: number, to: number, minAmount: number): Transfer | undefined {
    for (let i = this.#lowerBound(from); i < this.items.length; i += 1) {
      const item = this.items[i] as Transfer;
      if (item.executedAt > to) return undefined;
      if (item.amount >= minAmount) return item;
    }
    return undefined;
  }

  /** The latest live item executed before `time` with at least `minAmount`. */
  lastBefore(time: number, minAmount: number): number | undefined {
    for (let i = this.#lowerBound(time) - 1; i >= this.start; i -= 1) {
      const item = this.items[i] as Transfer;
      if (item.amount >= minAmount) return item.executedAt;
    }
    return undefined;
  }

  /** Evicts the items executed before `time`; answers the latest of them with at least `minAmount`. */
  evictBefore(time: number, minAmount: number): number | undefined {
    const end = this.#lowerBound(time);
    let latest: number | undefined;
    for (let i = end - 1; i >= this.start && latest === undefined; i -= 1) {
      const item = this.items[i] as Transfer;
      if (item.amount >= minAmount) latest = item.executedAt;
    }
    this.start = end;
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return latest;
  }
}

const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

export class FlowWindow {
  readonly #out = new Map<string, Series>();
  readonly #in = new Map<string, Series>();
  /** Each payer and payee pair's transfers: whether a relationship recurs, without walking a hub's traffic. */
  readonly #pairs = new Map<string, Series>();
  /**
   * Each account's latest material activity older than the window (evicted, or remembered across a restart):
   * one number per account, so a long silence can be told after the transfers themselves are gone.
   */
  readonly #older = new Map<string, number>();
  /** When each account first moved money, any amount: its silence counts from then until it moves a material sum. */
  readonly #first = new Map<string, number>();
  readonly #horizon: number;
  /** How long the pairs' transfers are kept: a relationship is remembered longer than the flows are. */
  readonly #pairHorizon: number;
  /** The least amount that counts as activity: a trickle (1 fen back-dated a week) wakes no dormant account. */
  readonly #material: number;
  #now = 0;
  #added = 0;
  #revision = 0;
  /** The oldest business time added since the last eviction. */
  #oldestAdded = Number.POSITIVE_INFINITY;

  constructor(horizon: number, material = 1, pairHorizon = horizon) {
    this.#horizon = horizon;
    this.#pairHorizon = Math.max(horizon, pairHorizon);
    this.#material = material;
  }

  /** How many transfers came late (before the newest seen): what was read of the past may have changed since. */
  get revision(): number {
    return this.#revision;
  }

  /** The latest business time seen. */
  get now(): number {
    return this.#now;
  }

  /**
   * Adds a transfer; returns when each of its accounts was last materially active before it, by business time
   * (undefined: never seen), whatever order the transfers came in.
   */
  add(t: Transfer): { from: number | undefined; to: number | undefined } {
    const before = this.activityBefore(t);
    for (const account of [t.from, t.to]) if ((this.#first.get(account) ?? Number.POSITIVE_INFINITY) > t.executedAt) this.#first.set(account, t.executedAt);
    this.#series(this.#out, t.from).push(t);
    this.#series(this.#in, t.to).push(t);
    this.#series(this.#pairs, pairKey(t.from, t.to)).push(t);
    if (t.executedAt < this.#now) this.#revision += 1;
    this.#now = Math.max(this.#now, t.executedAt);
    this.#oldestAdded = Math.min(this.#oldestAdded, t.executedAt);
    this.#added += 1;
    if (this.#added % 4096 === 0) this.#evict();
    return before;
  }

  /**
   * Remembers, from before the window (a restart rebuilding it), when an account was last materially active
   * (only ever later) and when it first moved money (only ever earlier).
   */
  remember(account: string, lastMaterial: number | undefined, first?: number): void {
    if (lastMaterial !== undefined && (this.#older.get(account) ?? Number.NEGATIVE_INFINITY) < lastMaterial) this.#older.set(account, lastMaterial);
    if (first !== undefined && (this.#first.get(account) ?? Number.POSITIVE_INFINITY) > first) this.#first.set(account, first);
  }

  /** The least amount that counts as an account's activity. */
  get material(): number {
    return this.#material;
  }

  /**
   * When an account was last materially active before `time`, by business time; an account that never moved a
   * material sum counts from when it first moved any (undefined: not seen before `time`).
   */
  lastActiveBefore(account: string, time: number): number | undefined {
    const candidates = [this.#out.get(account)?.lastBefore(time, this.#material), this.#in.get(account)?.lastBefore(time, this.#material)];
    const older = this.#older.get(account);
    if (older !== undefined && older < time) candidates.push(older);
    const known = candidates.filter((c): c is number => c !== undefined);
    if (known.length > 0) return Math.max(...known);
    const first = this.#first.get(account);
    return first !== undefined && first < time ? first : undefined;
  }

  /**
   * The account's waking in [from, to]: its first material movement there that followed `quietFor` or more of
   * silence before it, by business time. With `quietFor` longer than the span only the first movement can.
   */
  wakingBetween(account: string, from: number, to: number, quietFor: number): Transfer | undefined {
    const firsts = [this.#out.get(account)?.firstBetween(from, to, this.#material), this.#in.get(account)?.firstBetween(from, to, this.#material)];
    const candidates =
      quietFor > to - from
        ? firsts
            .filter((x): x is Transfer => x !== undefined)
            .sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1))
            .slice(0, 1)
        : [...this.outOf(account, from, to), ...this.into(account, from, to)]
            .filter((x) => x.amount >= this.#material)
            .sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
    for (const x of candidates) {
      const last = this.lastActiveBefore(account, x.executedAt);
      if (last !== undefined && x.executedAt - last >= quietFor) return x;
    }
    return undefined;
  }

  /** When each of a transfer's accounts was last materially active before it. */
  activityBefore(t: Transfer): { from: number | undefined; to: number | undefined } {
    return { from: this.lastActiveBefore(t.from, t.executedAt), to: this.lastActiveBefore(t.to, t.executedAt) };
  }

  /**
   * The transfers whose detectors a late transfer can change: executed after it within `span` (or, for detectors
   * that read `back` past a transfer too, from `back` before it), on its accounts or one hop from them (every
   * typology's pattern passes through an account of the late transfer or its counterparties within that time),
   * oldest first; at most `limit`.
   */
  affectedBy(t: Transfer, span: number, back = 0, limit = 5000): Transfer[] {
    const [from, to] = [t.executedAt - back, t.executedAt + span];
    const found = new Map<string, Transfer>();
    const touching = (account: string): Transfer[] => [...this.outOf(account, from, to), ...this.into(account, from, to)];
    const first = new Set([t.from, t.to]);
    const second = new Set<string>();
    for (const account of first) {
      for (const u of touching(account)) {
        found.set(u.id, u);
        second.add(u.from);
        second.add(u.to);
      }
    }
    for (const account of second) {
      if (first.has(account)) continue;
      for (const u of touching(account)) {
        if (found.size >= limit) break;
        found.set(u.id, u);
      }
    }
    found.delete(t.id);
    return [...found.values()]
      .filter((u) => back > 0 || u.executedAt > t.executedAt || (u.executedAt === t.executedAt && u.id > t.id))
      .sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
  }

  /** Transfers out of the account executed in [from, to], oldest first. */
  outOf(account: string, from: number, to: number): Transfer[] {
    return this.#out.get(account)?.between(from, to) ?? [];
  }

  /** Transfers into the account executed in [from, to], oldest first. */
  into(account: string, from: number, to: number): Transfer[] {
    return this.#in.get(account)?.between(from, to) ?? [];
  }

  /** How many transfers from `from` to `to` were executed in [since, until]. */
  paid(from: string, to: string, since: number, until: number): number {
    return this.#pairs.get(pairKey(from, to))?.count(since, until) ?? 0;
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
    // What any transfer added lately can look back to; transfers reported in time order make it now's. A late
    // transfer keeps its own past for at most one horizon behind now: however far back a reporter dates a
    // transfer, the window holds two horizons at most (a transfer later than that is judged on what is left).
    const latest = Math.max(Math.min(this.#now, this.#oldestAdded), this.#now - this.#horizon);
    const oldest = latest - this.#horizon;
    this.#oldestAdded = Number.POSITIVE_INFINITY;
    for (const map of [this.#out, this.#in]) {
      for (const [account, s] of map) {
        const latest = s.evictBefore(oldest, this.#material);
        if (latest !== undefined) this.remember(account, latest);
        if (s.size === 0) map.delete(account);
      }
    }
    for (const [pair, s] of this.#pairs) {
      s.evictBefore(latest - this.#pairHorizon, this.#material);
      if (s.size === 0) this.#pairs.delete(pair);
    }
  }
}
