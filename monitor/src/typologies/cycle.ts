// Cycles: money that comes back to where it started through 2 to 6 accounts, each hop after the one before.
import type { Hit, Transfer } from '../transfer';
import { type DetectorFactory, hit, scoreOf, spanOf, type Condition } from './detector';

/** A hop may carry a little more than the one before it (rounding, a top-up) but no more than this. */
const MAX_GROWTH = 1.05;
/** Hops examined per transfer at most: a hub with many similar inflows must not stall the stream. */
const BUDGET = 5000;

/**
 * On each transfer u → v, looks back for a path v → … → u of earlier transfers, each later than the one
 * before, each carrying between `minHopRatio` and a little over the amount of the previous hop, all within
 * `window`, the first at least `minAmount`. Two companies settling invoices pay each other too, but not the
 * same sum back within days.
 */
export const cycle: DetectorFactory = (p) => ({
  typology: 'cycle',
  observe(t, w): Hit[] {
    const q = p.cycle;
    // The last hop of a cycle whose first carried minAmount carries at least this much.
    if (t.amount < q.minAmount * q.minHopRatio ** (q.maxLength - 1) || t.from === t.to) return [];
    const start = t.to;
    let budget = BUDGET;
    const since = t.executedAt - q.window;
    // Walks backward from t.from: `next` is the hop the path continues with, `path` the hops after it.
    const found: Transfer[][] = [];
    const visit = (account: string, next: Transfer, path: Transfer[], visited: Set<string>): void => {
      if (found.length > 0 || path.length >= q.maxLength) return;
      for (const prev of w.into(account, since, next.executedAt)) {
        if ((budget -= 1) < 0) return;
        if (prev.id === next.id || prev.executedAt > next.executedAt) continue;
        if (next.amount < prev.amount * q.minHopRatio || next.amount > prev.amount * MAX_GROWTH) continue;
        const hops = [prev, ...path];
        if (prev.from === start) {
          if (hops.length >= q.minLength && prev.amount >= q.minAmount) found.push(hops);
          continue;
        }
        if (visited.has(prev.from)) continue;
        visited.add(prev.from);
        visit(prev.from, prev, hops, visited);
        visited.delete(prev.from);
      }
    };
    visit(t.from, t, [t], new Set([t.from, start]));
    const hops = found[0];
    if (!hops) return [];
    const first = hops[0] as Transfer;
    const accounts = hops.map((h) => h.from).sort();
    const conditions: Condition[] = [
      { name: 'ring-accounts', value: hops.length, limit: q.minLength },
      { name: 'first-hop', value: first.amount, limit: q.minAmount },
      spanOf(hops, q.window),
    ];
    return [hit('cycle', accounts.join('>'), first, scoreOf(first.amount, q.minAmount), hops, conditions)];
  },
});
