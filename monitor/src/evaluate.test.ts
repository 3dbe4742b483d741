// The labelled evaluation: every typology planted in months of ordinary traffic full of look-alikes, on a seed the
// detectors were tuned on and on seeds they never saw. Thresholds from the issue: alert-level recall ≥ 0.95,
// transaction-level precision ≥ 0.8, per typology.
import { flaggedOf } from './backtest';
import { Engine } from './engine';
import { evaluate } from './evaluate';
import { DEFAULT_PARAMETERS } from './parameters';
import { labelledSet } from './synthetic';
import { TYPOLOGIES } from './transfer';

describe.each([
  ['tuned on', 1],
  ['never tuned on', 4242],
  ['never tuned on', 2027],
])('a labelled set (seed %s: %i)', (_what, seed) => {
  const set = labelledSet({ seed });
  const engine = new Engine(DEFAULT_PARAMETERS);
  for (const t of set.transfers) engine.observe(t);
  engine.flush();
  const flagged = flaggedOf(engine.alerts());
  const scores = evaluate(flagged.alerts as { typology: (typeof TYPOLOGIES)[number]; transfers: string[] }[], set.labels);

  it('plants every typology among look-alikes', () => {
    expect(new Set(set.labels.map((l) => l.typology))).toEqual(new Set(TYPOLOGIES));
    expect(set.transfers.length).toBeGreaterThan(30 * set.labels.length);
  });

  it.each(TYPOLOGIES)('finds %s: recall ≥ 0.95, precision ≥ 0.8', (typology) => {
    const s = scores.find((x) => x.typology === typology);
    expect(s?.recall).toBeGreaterThanOrEqual(0.95);
    expect(s?.precision).toBeGreaterThanOrEqual(0.8);
  });

  it('ties every flagged transfer to an alert', () => {
    expect(new Set(flagged.transactions)).toEqual(new Set(flagged.alerts.flatMap((a) => a.transfers)));
  });

  it('holds only the window in memory: the fast patterns about ten days of a 150-day history', () => {
    // The slow patterns remember relationships for a year (see oneOff.memory): their window is the history here.
    const fast = new Engine(DEFAULT_PARAMETERS, undefined, 'now');
    let peak = 0;
    for (const [i, t] of set.transfers.entries()) {
      fast.observe(t);
      if (i % 1000 === 0) peak = Math.max(peak, fast.windowSize);
    }
    expect(peak).toBeLessThan(set.transfers.length / 5);
  });
});
