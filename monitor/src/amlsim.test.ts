// The labelled evaluation on data the monitor was not built on: IBM AMLSim's sets in ../shared/aml (fan-in,
// fan-out and cycle alerts among AMLSim's own benign fans, forwards and mutual payments), read from the
// simulator's output folders with the defaults in the repository. The defaults were fitted on the two 1K sets
// and a generator set (`npm run detect -- --fit`); the 10K set was kept out of every choice and is scored here
// as it came. Targets from the issue: per typology, alert-level recall ≥ 0.9, transaction-level precision ≥ 0.7.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backtest } from './backtest';
import { evaluate, type Score } from './evaluate';
import { openInput } from './formats';
import type { Typology } from './transfer';

const AML = path.resolve(__dirname, '../../../shared/aml');
const SETS = [
  ['amlsim-1k-seed1', 'fitted on'],
  ['amlsim-1k-seed2', 'fitted on'],
  ['amlsim-10k-seed3', 'kept out'],
] as const;
const LABELLED: readonly Typology[] = ['fan-in', 'fan-out', 'cycle'];

describe.each(SETS)('AMLSim set %s (%s)', (name) => {
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

  it.each(LABELLED)('finds %s: alert-level recall ≥ 0.9, transaction-level precision ≥ 0.7', (typology) => {
    const s = scores.find((x) => x.typology === typology);
    expect(s?.recall).toBeGreaterThanOrEqual(0.9);
    expect(s?.precision).toBeGreaterThanOrEqual(0.7);
  });
});
