// A transfer's facts for the rules, gathered through a small FactSource (as traces walk an EdgeSource), and
// only the groups the active rules read: a rule set's facts are known from its logic.
import { chinaHour, DAY, type Grade, HOUR } from '@regchain/common';
import type { Rule, TransferFacts } from './rules';
import { lowerBound, lowerBoundBy } from './sorted';

/** Groups of facts that each cost reads; the rest (amount, purpose, project, parties' ids) come with the transfer. */
export type FactGroup = 'filingStatus' | 'watchlist' | 'window' | 'roundTrip' | 'creditGrade';
export const ALL_FACT_GROUPS: readonly FactGroup[] = ['filingStatus', 'watchlist', 'window', 'roundTrip', 'creditGrade'];

/**
 * The payer entity's other transfers in the heaviest window of each length (1 h, 24 h) that contains this one,
 * by business time: those executed before it and after it count alike, so the order in which a reporter sends
 * the same payments changes nothing. Sums and counts are each the largest over such windows.
 */
export interface PayerWindow {
  readonly sum1h: number;
  readonly count1h: number;
  readonly sum24h: number;
  readonly count24h: number;
}

/** Where facts come from: the ledger in the chaincode, a fake in tests. */
export interface FactSource {
  filingStatus(entityId: string): Promise<string>;
  /** The entity's credit grade now, by the model in force (public to every member, so a dry run may show it). */
  creditGrade(entityId: string): Promise<Grade>;
  watchlisted(kind: 'entity' | 'account', value: string): Promise<boolean>;
  /** The payer entity's heaviest windows around executedAt among its transfers known so far; this one is not yet among them. */
  payerWindow(entityId: string, executedAt: number): Promise<PayerWindow>;
  /** Whether fromAccount (of fromEntity) paid toAccount with a transfer executed in [fromTime, toTime]. */
  paid(fromEntity: string, fromAccount: string, toAccount: string, fromTime: number, toTime: number): Promise<boolean>;
}

/** Every "var" path in a piece of JSON Logic. */
export function factPaths(logic: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(logic)) {
    for (const n of logic) factPaths(n, into);
  } else if (logic !== null && typeof logic === 'object') {
    for (const [op, args] of Object.entries(logic as Record<string, unknown>)) {
      if (op === 'var') {
        const [path, ...rest] = Array.isArray(args) ? (args as unknown[]) : [args];
        if (typeof path === 'string') into.add(path);
        for (const d of rest) factPaths(d, into);
      } else {
        factPaths(args, into);
      }
    }
  }
  return into;
}

/** The fact groups the rules read; a rule reading none of them costs no reads beyond the transfer's own. */
export function factsNeeded(rules: readonly Rule[]): Set<FactGroup> {
  const paths = new Set<string>();
  for (const r of rules) factPaths(r.logic, paths);
  const needed = new Set<FactGroup>();
  for (const p of paths) {
    if (p.endsWith('.filingStatus')) needed.add('filingStatus');
    else if (p.endsWith('.watchlisted') || p.endsWith('.accountWatchlisted')) needed.add('watchlist');
    else if (p.startsWith('window.')) needed.add('window');
    else if (p === 'pattern.roundTrip') needed.add('roundTrip');
    else if (p.endsWith('.creditGrade')) needed.add('creditGrade');
  }
  return needed;
}

/** What a transfer brings with it: the parties, the project line, the amounts and when it was executed. */
export interface TransferBasis {
  readonly amount: number;
  readonly currency: string;
  readonly purpose: string;
  /** Business time, seconds since the epoch. */
  readonly executedAt: number;
  readonly payer: { readonly entityId: string; readonly accountId: string };
  readonly payee: { readonly entityId: string; readonly accountId: string };
  readonly project: { readonly id: string; readonly type: string; readonly purposeApproved: boolean; readonly budget: number; readonly spent: number };
}

/**
 * The facts the rules see. Groups not needed are left at neutral values ("none", false, 0) and never read.
 */
export async function gatherFacts(t: TransferBasis, needed: ReadonlySet<FactGroup>, source: FactSource): Promise<TransferFacts> {
  const party = async (p: { entityId: string; accountId: string }) => ({
    entityId: p.entityId,
    accountId: p.accountId,
    filingStatus: needed.has('filingStatus') ? await source.filingStatus(p.entityId) : 'none',
    watchlisted: needed.has('watchlist') ? await source.watchlisted('entity', p.entityId) : false,
    accountWatchlisted: needed.has('watchlist') ? await source.watchlisted('account', p.accountId) : false,
    creditGrade: needed.has('creditGrade') ? await source.creditGrade(p.entityId) : ('M' as Grade),
  });
  const window = needed.has('window') ? await source.payerWindow(t.payer.entityId, t.executedAt) : { sum1h: 0, count1h: 0, sum24h: 0, count24h: 0 };
  return {
    amount: t.amount,
    currency: t.currency,
    purpose: t.purpose,
    hourOfDay: chinaHour(t.executedAt),
    payer: await party(t.payer),
    payee: await party(t.payee),
    project: { ...t.project, remaining: Math.max(0, t.project.budget - t.project.spent) },
    window: { payerSum1h: window.sum1h, payerCount1h: window.count1h, payerSum24h: window.sum24h, payerCount24h: window.count24h },
    pattern: {
      // Either way round in business time: the return reported first is found when the payment out arrives.
      roundTrip: needed.has('roundTrip')
        ? await source.paid(t.payee.entityId, t.payee.accountId, t.payer.accountId, t.executedAt - DAY, t.executedAt + DAY)
        : false,
    },
  };
}

/** One of the payer's earlier transfers as a window sees it: enough for sums and for round trips (who paid whom). */
export interface WindowEntry {
  readonly amount: number;
  readonly executedAt: number;
  readonly from: string;
  readonly to: string;
}

type Timed = { readonly amount: number; readonly executedAt: number };
const byTime = (e: Timed): number => e.executedAt;

/**
 * The heaviest window [s, s + length] with s ≤ at ≤ s + length, over entries sorted by time: its largest sum and
 * largest count. Sliding a window later loses nothing until its start passes an entry, so the heaviest starts at
 * an entry's time up to `at`, or at `at` itself; two pointers make it one pass.
 */
function heaviest(sorted: readonly Timed[], at: number, length: number): { sum: number; count: number } {
  let lo = lowerBoundBy(sorted, at - length, byTime);
  let hi = lo;
  let sum = 0;
  let best = { sum: 0, count: 0 };
  const starts = [...sorted.slice(lo, lowerBoundBy(sorted, at + 1, byTime)).map((e) => e.executedAt), at];
  for (const start of starts) {
    while (lo < sorted.length && (sorted[lo] as Timed).executedAt < start) sum -= (sorted[lo++] as Timed).amount;
    if (hi < lo) {
      hi = lo;
      sum = 0;
    }
    while (hi < sorted.length && (sorted[hi] as Timed).executedAt <= start + length) sum += (sorted[hi++] as Timed).amount;
    best = { sum: Math.max(best.sum, sum), count: Math.max(best.count, hi - lo) };
  }
  return best;
}

/** The heaviest 1 h and 24 h windows containing executedAt among the entries (any order), by business time. */
export function windowOf(entries: readonly Timed[], executedAt: number): PayerWindow {
  const sorted = entries.filter((e) => Math.abs(e.executedAt - executedAt) <= DAY).sort((a, b) => a.executedAt - b.executedAt);
  const hour = heaviest(sorted, executedAt, HOUR);
  const day = heaviest(sorted, executedAt, DAY);
  return { sum1h: hour.sum, count1h: hour.count, sum24h: day.sum, count24h: day.count };
}

/**
 * Entries that do not change during a transaction (a closed business day of one payer), sorted once: a window's
 * entries and round-trip look-ups cost a binary search to find, whatever the day's volume.
 */
export class WindowIndex {
  readonly #times: number[];
  readonly #sorted: Timed[];
  /** Execution times of the payments from one account to another, sorted. */
  readonly #pairs = new Map<string, number[]>();

  constructor(entries: readonly WindowEntry[]) {
    const sorted = [...entries].sort((a, b) => a.executedAt - b.executedAt);
    this.#times = sorted.map((e) => e.executedAt);
    this.#sorted = sorted.map((e) => ({ amount: e.amount, executedAt: e.executedAt }));
    for (const e of sorted) {
      const pair = `${e.from}\u0000${e.to}`;
      const times = this.#pairs.get(pair);
      if (times) times.push(e.executedAt);
      else this.#pairs.set(pair, [e.executedAt]);
    }
  }

  /** The entries executed in [from, to], by time. */
  between(from: number, to: number): Timed[] {
    const lo = lowerBound(this.#times, from);
    const hi = lowerBound(this.#times, to + 1);
    return this.#sorted.slice(lo, hi);
  }

  /** Whether account `from` paid account `to` with an entry executed in [fromTime, toTime]. */
  paid(from: string, to: string, fromTime: number, toTime: number): boolean {
    const times = this.#pairs.get(`${from}\u0000${to}`);
    return times !== undefined && lowerBound(times, toTime + 1) > lowerBound(times, fromTime);
  }
}
