// How well the alerts match labelled patterns: alert-level recall (an instance counts as found when at least half
// of its transfers are flagged), transaction-level precision (the flagged transfers that belong to some labelled
// pattern) and recall, and their F1 (the minority-class F1 published benchmarks report), per typology and overall.
import type { Label } from './synthetic';
import { TYPOLOGIES, type Typology } from './transfer';

export interface Score {
  readonly typology: Typology | 'all';
  /** Labelled instances, and those found. */
  readonly instances: number;
  readonly found: number;
  readonly recall: number;
  /** Transfers the typology's alerts flagged, and those that belong to a labelled pattern. */
  readonly flagged: number;
  readonly correct: number;
  readonly precision: number;
  /** The instances' transfers that some alert flagged. */
  readonly transactionRecall: number;
  /** Minority-class F1 at the transaction level: of `precision` and `transactionRecall`. */
  readonly f1: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);

export function evaluate(alerts: readonly { typology: Typology; transfers: readonly string[] }[], labels: readonly Label[]): Score[] {
  const labelled = new Set(labels.map((l) => l.reference));
  const flagged = new Set(alerts.flatMap((a) => a.transfers));
  const instances = new Map<string, { typology: Typology; references: string[] }>();
  for (const l of labels) {
    const i = instances.get(l.alertId) ?? { typology: l.typology, references: [] };
    i.references.push(l.reference);
    instances.set(l.alertId, i);
  }
  const isFound = (refs: readonly string[]): boolean => refs.filter((r) => flagged.has(r)).length * 2 >= refs.length;
  const score = (typology: Typology | 'all'): Score => {
    const mine = [...instances.values()].filter((i) => typology === 'all' || i.typology === typology);
    const found = mine.filter((i) => isFound(i.references)).length;
    const byAlerts = new Set(alerts.filter((a) => typology === 'all' || a.typology === typology).flatMap((a) => a.transfers));
    const correct = [...byAlerts].filter((r) => labelled.has(r)).length;
    const refs = mine.flatMap((i) => i.references);
    const transactionRecall = ratio(refs.filter((r) => flagged.has(r)).length, refs.length);
    const precision = ratio(correct, byAlerts.size);
    return {
      typology,
      instances: mine.length,
      found,
      recall: ratio(found, mine.length),
      flagged: byAlerts.size,
      correct,
      precision,
      transactionRecall,
      f1: precision + transactionRecall === 0 ? 0 : Math.round(((2 * precision * transactionRecall) / (precision + transactionRecall)) * 1000) / 1000,
    };
  };
  return [...TYPOLOGIES.map(score), score('all')];
}
