// The labelled evaluation on data the monitor was not built on: IBM AMLSim's sets in ../shared/aml (fan-in,
// fan-out and cycle alerts among AMLSim's own benign fans, forwards and mutual payments), read from the
// simulator's output folders with the defaults in the repository. The defaults were fitted on the two 1K sets
// and a generator set (`npm run detect -- --fit`); the 10K set was kept out of every choice and scored once,
// at the end. The targets, per typology: alert-level recall ≥ 0.9, transaction-level precision ≥ 0.7.
// They hold on the 1K sets but for seed 1's cycles (0.8: two partial rings run through recurring
// relationships), and not on the 10K set, whose accounts are sparse (a median of 6 transfers in two years
// against 107 in the 1K sets: new one-off relationships are the norm there, see the README): its figures
// below are the ones measured when it was first scored, kept as a floor, not as the goal.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backtest } from './backtest';
import { evaluate, type Score } from './evaluate';
import { openInput } from './formats';
import type { Typology } from './transfer';

const AML = path.resolve(__dirname, '../../../shared/aml');

/** Per set and typology: the least alert-level recall and transaction-level precision it must keep. */
const FLOORS: Record<string, Partial<Record<Typology, readonly [number, number]>>> = {
  'amlsim-1k-seed1': { 'fan-in': [0.9, 0.7], 'fan-out': [0.9, 0.7], cycle: [0.8, 0.7] },
  'amlsim-1k-seed2': { 'fan-in': [0.9, 0.7], 'fan-out': [0.9, 0.7], cycle: [0.9, 0.7] },
  // Kept out: below the targets (measured 0.700/0.132, 0.433/0.062, 0.925/0.176; before this work, no alert).
  'amlsim-10k-seed3': { 'fan-in': [0.7, 0.12], 'fan-out': [0.4, 0.05], cycle: [0.9, 0.15] },
};

describe.each(Object.keys(FLOORS))('AMLSim set %s', (name) => {
  let scores: Score[] = [];

  beforeAll(async () => {
    const input = openInput(path.join(AML, name), { format: 'amlsim' });
    const result = await backtest(input);
    scores = evaluate(result.alerts as { typology: Typology; transfers: string[] }[], await input.labels());
  }, 120_000);

  it('is there to be scored (../shared/aml beside the repository)', () => {
    expect(fs.existsSync(path.join(AML, name, 'transactions.csv.gz'))).toBe(true);
    expect(scores.find((s) => s.typology === 'all')?.instances).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(FLOORS[name] ?? {}))('finds %s at least as well as measured', (typology, floor) => {
    const s = scores.find((x) => x.typology === typology);
    expect(s?.recall).toBeGreaterThanOrEqual(floor[0]);
    expect(s?.precision).toBeGreaterThanOrEqual(floor[1]);
  });
});
