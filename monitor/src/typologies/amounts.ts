// Patterns in amounts and timing: sums split under the reporting threshold, money that only passes through, and
// accounts that wake after months.
import type { Hit, Transfer } from '../transfer';
import { conduit, days, type Detector, type DetectorFactory, hit, meanScore, nearThreshold, scoreOf, spanOf, sum, type Condition } from './detector';

/** Structuring: one payer makes `minCount` or more payments just under the threshold within `window`. */
export const structuring: DetectorFactory = (p) => ({
  typology: 'structuring',
  observe(t, w): Hit[] {
    const q = p.structuring;
    if (!nearThreshold(t.amount, p)) return [];
    const split = w.outOf(t.from, t.executedAt - q.window, t.executedAt).filter((o) => nearThreshold(o.amount, p));
    if (split.length < q.minCount) return [];
    const conditions: Condition[] = [{ name: 'payments-near-threshold', value: split.length, limit: q.minCount }, spanOf(split, q.window)];
    return [
      hit('structuring', t.from, split[0] as Transfer, meanScore(scoreOf(split.length, q.minCount), scoreOf(sum(split), p.threshold)), split, conditions),
    ];
  },
});

/** Smurfing: `minPayers` or more payers each pay one payee an amount just under the threshold within `window`. */
export const smurfing: DetectorFactory = (p) => ({
  typology: 'smurfing',
  observe(t, w): Hit[] {
    const q = p.smurfing;
    if (!nearThreshold(t.amount, p)) return [];
    const deposits = w.into(t.to, t.executedAt - q.window, t.executedAt).filter((i) => nearThreshold(i.amount, p));
    const payers = new Set(deposits.map((d) => d.from));
    if (payers.size < q.minPayers) return [];
    const conditions: Condition[] = [{ name: 'payers-near-threshold', value: payers.size, limit: q.minPayers }, spanOf(deposits, q.window)];
    return [
      hit('smurfing', t.to, deposits[0] as Transfer, meanScore(scoreOf(payers.size, q.minPayers), scoreOf(sum(deposits), p.threshold)), deposits, conditions),
    ];
  },
});

/**
 * Rapid pass-through: on a payment out, an inflow of at least `minInflow` in the `window` before it of which at
 * least `minOutRatio` (and not much more) has left since, through a conduit. Onward payments spread over weeks
 * do not make it.
 */
export const rapidPassThrough: DetectorFactory = (p) => ({
  typology: 'rapid-pass-through',
  observe(t, w): Hit[] {
    const q = p.rapidPassThrough;
    for (const inflow of w.into(t.from, t.executedAt - q.window, t.executedAt)) {
      if (inflow.amount < q.minInflow) continue;
      const outs = w.outOf(t.from, inflow.executedAt, Math.min(t.executedAt, inflow.executedAt + q.window));
      const out = sum(outs);
      if (out >= inflow.amount * q.minOutRatio && out * q.minOutRatio <= inflow.amount && conduit(w, t.from, inflow.executedAt, p)) {
        const conditions: Condition[] = [
          { name: 'inflow', value: inflow.amount, limit: q.minInflow },
          { name: 'share-passed-on', value: Math.round((out / inflow.amount) * 1000) / 1000, limit: q.minOutRatio },
          spanOf([inflow, ...outs], q.window),
        ];
        return [hit('rapid-pass-through', t.from, inflow, scoreOf(out / inflow.amount, q.minOutRatio / 2), [inflow, ...outs], conditions)];
      }
    }
    return [];
  },
});

/**
 * Dormant activation: an account silent for `quietFor` that moves `minTotal` or more within `window` of waking.
 * Silence and waking are told from material movements only (see `FlowWindow`'s material amount), by business
 * time: a trickle reported back-dated wakes nothing, and a late report is judged where it belongs. Stateless:
 * the window answers when the account woke.
 */
export const dormantActivation: DetectorFactory = (p): Detector => {
  const q = p.dormantActivation;
  return {
    typology: 'dormant-activation',
    observe(t, w): Hit[] {
      const hits: Hit[] = [];
      for (const account of new Set([t.from, t.to])) {
        const wake = w.wakingBetween(account, t.executedAt - q.window, t.executedAt, q.quietFor);
        if (!wake) continue;
        const moved = [...w.outOf(account, wake.executedAt, t.executedAt), ...w.into(account, wake.executedAt, t.executedAt)];
        const total = sum(moved);
        if (total < q.minTotal) continue;
        const silence = wake.executedAt - (w.lastActiveBefore(account, wake.executedAt) ?? wake.executedAt);
        const conditions: Condition[] = [
          { name: 'quiet-days', value: days(silence), limit: days(q.quietFor) },
          { name: 'moved-after-waking', value: total, limit: q.minTotal },
        ];
        hits.push(hit('dormant-activation', account, wake, scoreOf(total, q.minTotal), moved, conditions));
      }
      return hits;
    },
  };
};
