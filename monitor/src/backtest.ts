// The detectors over a CSV of transfers, without a network: the same engine the monitor runs on committed blocks.
import { readTransfers } from './csv';
import { type Alert, Engine, Reorder } from './engine';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { DAY, type Transfer } from './transfer';

/** What `npm run detect` writes: the references tied to any alert, and the alerts. */
export interface Flagged {
  readonly transactions: string[];
  /** `key`: the instance (typology, anchor account, first transfer), as the alert raised on chain names it by transfer id. */
  readonly alerts: { typology: string; key: string; score: number; accounts: string[]; transfers: string[] }[];
}

export interface BacktestOptions {
  readonly parameters?: Parameters;
  /** How late a row may come after newer ones and still be put back in time order. */
  readonly lateness?: number;
  /** Called as the file is read: bytes so far, transfers so far. */
  readonly onProgress?: (bytes: number, transfers: number) => void;
}

export interface BacktestResult extends Flagged {
  readonly transfers: number;
  readonly seconds: number;
  /** The most transfers the window held at once. */
  readonly peakWindow: number;
}

export function flaggedOf(alerts: readonly Alert[]): Flagged {
  const out = alerts.map((a) => ({ typology: a.typology, key: a.key, score: a.score, accounts: a.accounts, transfers: a.transfers.map((t) => t.id) }));
  return { transactions: [...new Set(out.flatMap((a) => a.transfers))].sort(), alerts: out };
}

export async function backtest(file: string, options: BacktestOptions = {}): Promise<BacktestResult> {
  const engine = new Engine(options.parameters ?? DEFAULT_PARAMETERS);
  const reorder = new Reorder(options.lateness ?? DAY);
  const started = process.hrtime.bigint();
  let bytes = 0;
  let peakWindow = 0;
  const feed = (ts: readonly Transfer[]): void => {
    for (const t of ts) {
      engine.observe(t);
      if (engine.observed % 1024 === 0) peakWindow = Math.max(peakWindow, engine.windowSize);
    }
  };
  for await (const t of readTransfers(file, (read) => (bytes = read))) {
    feed(reorder.push(t));
    if (engine.observed % 2048 === 0) options.onProgress?.(bytes, engine.observed);
  }
  feed(reorder.drain());
  options.onProgress?.(bytes, engine.observed);
  peakWindow = Math.max(peakWindow, engine.windowSize);
  return {
    ...flaggedOf(engine.alerts()),
    transfers: engine.observed,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    peakWindow,
  };
}
