// What the detectors see of a transfer, and what they say about a pattern they found.
import type { ConditionName, Typology } from '@regchain/common';

/** A transfer from a committed block or a row of a back-test CSV. */
export interface Transfer {
  /** The transfer id on chain; the reporter's reference in a CSV. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** Minor units (fen). */
  readonly amount: number;
  /** Business time, seconds since the epoch. */
  readonly executedAt: number;
  /** From the chain (a back-test's CSV has none). */
  readonly purpose?: string;
  readonly projectId?: string;
}

export { TYPOLOGIES, type Typology } from '@regchain/common';

/** Why a pattern was found: a measure of it and the published limit it reached (a count at least, a span at most). */
export interface Condition {
  readonly name: ConditionName;
  readonly value: number;
  readonly limit: number;
}

/** One instance of a pattern: the same instance keeps its key as more of its transfers arrive. */
export interface Hit {
  readonly typology: Typology;
  /** How strongly the instance exceeds its thresholds, in (0, 1]. */
  readonly score: number;
  /** What made it: the measures that reached their limits. */
  readonly conditions: readonly Condition[];
  /** Identifies the instance: an anchor account and the first transfer that made it. */
  readonly key: string;
  readonly accounts: readonly string[];
  readonly transfers: readonly Transfer[];
}
