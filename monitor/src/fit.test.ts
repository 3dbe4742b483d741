// Fitting the published parameters to labelled data: from a set that finds nothing slow, the fit moves the
// parameters to where the planted patterns are found, and cross-validation scores each fold with parameters
// fitted on the others (a single set is split in two by time).
import { crossValidate, fit, type LabelledTransfers, run, asFlagged } from './fit';
import { evaluate } from './evaluate';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { DAY } from '@regchain/common';
import { type Transfer } from './transfer';
import type { Label } from './synthetic';

/** Ten slow fan-ins of one-off payments spread over months, among accounts of weekly habits. */
function slowFans(seed: number): LabelledTransfers {
  const transfers: Transfer[] = [];
  const labels: Label[] = [];
  const T0 = Date.UTC(2025, 0, 1) / 1000;
  let n = 0;
  const pay = (from: string, to: string, amount: number, day: number, label?: string): void => {
    n += 1;
    const id = `${seed}-${String(n).padStart(6, '0')}`;
    transfers.push({ id, from, to, amount, executedAt: T0 + Math.round(day * DAY) });
    if (label) labels.push({ reference: id, alertId: label, typology: 'fan-in' });
  };
  for (let h = 0; h < 10; h += 1) {
    const hub = `s${seed}-hub${h}`;
    for (let w = 0; w < 70; w += 1) {
      pay(`${hub}-customer`, hub, 500_000, w * 7 + 1);
      pay(hub, `${hub}-supplier`, 300_000, w * 7 + 3);
    }
    for (let i = 0; i < 4; i += 1) pay(`s${seed}-payer${h}-${i}`, hub, 40_000 + i * 1000, 200 + h * 5 + i * 30, `s${seed}-alert${h}`);
  }
  transfers.sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
  return { name: `fans-${seed}`, transfers, labels };
}

const blind: Parameters = { ...DEFAULT_PARAMETERS, fanIn: { ...DEFAULT_PARAMETERS.fanIn, oneOffMinCounterparties: 50 } };
const recallOf = (set: LabelledTransfers, p: Parameters): number =>
  evaluate(asFlagged(run(set, p)), set.labels).find((s) => s.typology === 'fan-in')?.recall ?? 0;

describe('fitting the parameters', () => {
  const sets = [slowFans(1), slowFans(2)];

  it('moves a set that finds nothing to one that finds the planted fans', () => {
    expect(recallOf(sets[0] as LabelledTransfers, blind)).toBe(0);
    const { parameters, score } = fit(sets, blind, { rounds: 1 });
    expect(parameters.fanIn.oneOffMinCounterparties).toBeLessThanOrEqual(4);
    expect(score).toBeGreaterThan(0.5);
    for (const set of sets) expect(recallOf(set, parameters)).toBe(1);
  });

  it('scores each set with the parameters fitted on the other, and splits a single set in two by time', () => {
    const folds = crossValidate(sets, blind, { rounds: 1 });
    expect(folds.map((f) => f.heldOut)).toEqual(['fans-1', 'fans-2']);
    for (const f of folds) expect(f.scores.find((s) => s.typology === 'fan-in')?.recall).toBe(1);
    expect(crossValidate([sets[0] as LabelledTransfers], blind, { rounds: 1 }).map((f) => f.heldOut)).toEqual(['fans-1 (first half)', 'fans-1 (second half)']);
  });
});
