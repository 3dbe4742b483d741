// The detectors over a CSV of transfers, without a network: the same engine the monitor runs on committed blocks.
import { type Alert, Engine, Reorder } from './engine';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { type Input, openInput } from './formats';
import { DAY } from '@regchain/common';
import { type Condition, type Transfer, type Typology } from './transfer';

/** What `npm run detect` writes: the references tied to any alert, and the alerts. */
export interface Flagged {
  readonly transactions: string[];
  /** `key`: the instance (typology, anchor account, first transfer), as the alert raised on chain names it by transfer id. */
  readonly alerts: { typology: string; key: string; score: number; conditions: Condition[]; accounts: string[]; transfers: string[] }[];
}

export interface BacktestOptions {
  readonly parameters?: Parameters;
  /** How late a row may come after newer ones and still be put back in time order. */
  readonly lateness?: number;
  /** Called as the file is read: transfers so far. */
  readonly onProgress?: (transfers: number) => void;
  /**
   * The stream goes on after the file (as on a live network): what waits for a lookahead past the newest
   * transfer is not judged yet, as the monitor would not have judged it. By default the file is the whole story.
   */
  readonly openEnded?: boolean;
  /** Only these typologies' detectors. */
  readonly only?: readonly Typology[];
}

export interface BacktestResult extends Flagged {
  readonly transfers: number;
  readonly seconds: number;
  /** The most transfers the window held at once. */
  readonly peakWindow: number;
}

export function flaggedOf(alerts: readonly Alert[]): Flagged {
  const out = alerts.map((a) => ({
    typology: a.typology,
    key: a.key,
    score: a.score,
    conditions: a.conditions,
    accounts: a.accounts,
    transfers: a.transfers.map((t) => t.id),
  }));
  return { transactions: [...new Set(out.flatMap((a) => a.transfers))].sort(), alerts: out };
}

/** Back-tests a file of the project's CSV, or any labelled input (see `openInput`). */
export async function backtest(input: string | Input, options: BacktestOptions = {}): Promise<BacktestResult> {
  const source = typeof input === 'string' ? openInput(input) : input;
  const engine = new Engine(options.parameters ?? DEFAULT_PARAMETERS, options.only);
  const reorder = new Reorder(options.lateness ?? DAY);
  const started = process.hrtime.bigint();
  let peakWindow = 0;
  const feed = (ts: readonly Transfer[]): void => {
    for (const t of ts) {
      engine.observe(t);
      if (engine.observed % 1024 === 0) peakWindow = Math.max(peakWindow, engine.windowSize);
    }
  };
  for await (const t of source.transfers()) {
    feed(reorder.push(t));
    if (engine.observed % 2048 === 0) options.onProgress?.(engine.observed);
  }
  feed(reorder.drain());
  options.onProgress?.(engine.observed);
  // The file is the whole story, unless the stream goes on (then what waits for its lookahead waits).
  if (options.openEnded) engine.settle();
  else engine.flush();
  peakWindow = Math.max(peakWindow, engine.windowSize);
  return {
    ...flaggedOf(engine.alerts()),
    transfers: engine.observed,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    peakWindow,
  };
}
