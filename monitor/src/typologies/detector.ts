// What every typology is: a detector fed each transfer in business-time order, with the window of recent flows,
// answering the pattern instances this transfer completes or extends.
import type { Parameters } from '../parameters';
import type { Condition, Hit, Transfer, Typology } from '../transfer';

export type { Condition } from '../transfer';
import type { FlowWindow } from '../window';

export interface Detector {
  readonly typology: Typology;
  /** How far past a transfer the detector reads: the engine judges the transfer once that much business time has passed. */
  readonly lookahead?: number;
  /** `seen`: when the transfer's accounts were last active before it. */
  observe(t: Transfer, window: FlowWindow, seen: { from: number | undefined; to: number | undefined }): Hit[];
}

export type DetectorFactory = (p: Parameters) => Detector;

export const sum = (ts: readonly Transfer[]): number => ts.reduce((s, t) => s + t.amount, 0);

/** How far a measure goes past its threshold, as a score in (0, 1]: 0.5 at the threshold, 1 at twice it. */
export const scoreOf = (measured: number, threshold: number): number => Math.round(Math.min(1, 0.5 * (measured / threshold)) * 1000) / 1000;

/** Seconds as days, to a tenth. */
export const days = (seconds: number): number => Math.round((seconds / 86_400) * 10) / 10;

/** How long a pattern's transfers took, in hours, against the window it had. */
export function spanOf(ts: readonly Transfer[], window: number): Condition {
  const times = ts.map((t) => t.executedAt);
  const hours = (s: number): number => Math.round((s / 3600) * 10) / 10;
  return { name: 'span-hours', value: hours(Math.max(...times) - Math.min(...times)), limit: hours(window) };
}

/** The mean of several scores. */
export const meanScore = (...scores: number[]): number => Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 1000) / 1000;

/** Whether `out` passes on about what came `in`: at least `ratio` of it, and not more than in / ratio. */
export const passesOn = (out: number, inflow: number, ratio: number): boolean => inflow > 0 && out >= inflow * ratio && out * ratio <= inflow;

/** Just under the reporting threshold. */
export const nearThreshold = (amount: number, p: Parameters): boolean => amount < p.threshold && amount >= p.threshold * p.nearThresholdRatio;

/** Whether an account was quiet enough before `since` to be a conduit (see `Parameters.conduit`). */
export function conduit(w: FlowWindow, account: string, since: number, p: Parameters): boolean {
  const before = w.outOf(account, since - p.conduit.window, since - 1).length + w.into(account, since - p.conduit.window, since - 1).length;
  return before <= p.conduit.maxTransfers;
}

/** Transfers whose payee is not a collector (see `Parameters.collector`) as of `now`. */
export function dispersal(w: FlowWindow, outs: readonly Transfer[], now: number, p: Parameters): Transfer[] {
  const collects = new Map<string, boolean>();
  return outs.filter((o) => {
    let c = collects.get(o.to);
    if (c === undefined) {
      c = w.payersExceed(o.to, now - p.collector.window, now, p.collector.maxPayers);
      collects.set(o.to, c);
    }
    return !c;
  });
}

/** Totals by counterparty, largest first. */
export function byCounterparty(ts: readonly Transfer[], side: 'from' | 'to'): [string, number][] {
  const totals = new Map<string, number>();
  for (const t of ts) totals.set(t[side], (totals.get(t[side]) ?? 0) + t.amount);
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export function hit(
  typology: Typology,
  anchor: string,
  first: Transfer,
  score: number,
  transfers: readonly Transfer[],
  conditions: readonly Condition[] = [],
): Hit {
  const accounts = new Set<string>();
  for (const t of transfers) {
    accounts.add(t.from);
    accounts.add(t.to);
  }
  return {
    typology,
    key: `${typology}:${anchor}:${first.id}`,
    score,
    conditions,
    accounts: [...accounts].sort(),
    transfers: [...transfers].sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1)),
  };
}
