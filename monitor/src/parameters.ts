// The typologies' parameters: one versioned set, documented field by field, that the regulator tunes.
import { DAY, HOUR } from './transfer';

/** The PBoC's large-value reporting threshold for cash, 50,000 CNY, in fen. */
export const REPORTING_THRESHOLD = 5_000_000;

export interface Parameters {
  /** Raised with every change; alerts name the version they were found under. */
  readonly version: number;
  /** Amounts "just under" it are suspicious when split (structuring, smurfing); in fen. */
  readonly threshold: number;
  /** Share of the threshold above which an amount counts as just under it (0.8: 40,000 to 49,999.99 CNY). */
  readonly nearThresholdRatio: number;
  /**
   * A conduit (the account money fans out of, gathers in or passes through) had at most `maxTransfers` transfers
   * in the `window` before the pattern began: a business trading every day, whose inflows and outflows match
   * now and then, is not one.
   */
  readonly conduit: { readonly window: number; readonly maxTransfers: number };
  /**
   * An account paid by more than `maxPayers` distinct accounts in the `window` collects money (a biller, a
   * merchant): payments to it are not the dispersal of a fan-out or a gather-scatter.
   */
  readonly collector: { readonly window: number; readonly maxPayers: number };
  /** One account pays many new counterparties a sum it was just given by one or two others. */
  readonly fanOut: {
    readonly window: number;
    readonly minCounterparties: number;
    readonly minTotal: number;
    /** How far back the money paid out must have come in, and from how few payers. */
    readonly fundingWindow: number;
    readonly minFundedRatio: number;
    readonly maxFundingSources: number;
  };
  /** Many payers into one account, which passes most of it on to one or two others soon after. */
  readonly fanIn: {
    readonly window: number;
    readonly minCounterparties: number;
    readonly minTotal: number;
    readonly forwardWindow: number;
    readonly minForwardRatio: number;
    readonly maxDestinations: number;
  };
  /** Money that comes back to where it started through 2 to 6 accounts, each hop later than the one before. */
  readonly cycle: {
    readonly minLength: number;
    readonly maxLength: number;
    readonly window: number;
    /** Each hop carries at least this share of the one before (fees taken on the way). */
    readonly minHopRatio: number;
    readonly minAmount: number;
  };
  /** One source splits money over several accounts which all pay it on to one destination. */
  readonly scatterGather: { readonly window: number; readonly minIntermediaries: number; readonly minHopRatio: number; readonly minTotal: number };
  /** Several sources pay one hub, which pays several destinations soon after. */
  readonly gatherScatter: {
    readonly window: number;
    readonly minSources: number;
    readonly minDestinations: number;
    readonly minForwardRatio: number;
    readonly minTotal: number;
  };
  /** A set of payers each paying the same set of payees, large sums, payees paid by nobody else. */
  readonly bipartite: {
    readonly window: number;
    readonly minPayers: number;
    readonly minPayees: number;
    readonly minEdgeAmount: number;
    /** A payee paid by more distinct payers than the pattern holds, over `collectorWindow`, is a biller, not a layer. */
    readonly maxExtraPayers: number;
    readonly collectorWindow: number;
  };
  /** Layers of accounts, each paying the next layer what it just received (two bipartite steps). */
  readonly stackedLayering: { readonly window: number; readonly minLayerSize: number; readonly minEdgeAmount: number };
  /** One payer splits a sum into several amounts just under the threshold within a day. */
  readonly structuring: { readonly window: number; readonly minCount: number };
  /** Many payers each pay one payee an amount just under the threshold within a day. */
  readonly smurfing: { readonly window: number; readonly minPayers: number };
  /** Most of a large inflow leaves the account within a day. */
  readonly rapidPassThrough: { readonly window: number; readonly minInflow: number; readonly minOutRatio: number };
  /** An account quiet for months moves large sums within days of waking. */
  readonly dormantActivation: { readonly quietFor: number; readonly window: number; readonly minTotal: number };
}

const T = REPORTING_THRESHOLD;

export const DEFAULT_PARAMETERS: Parameters = {
  version: 1,
  threshold: T,
  nearThresholdRatio: 0.8,
  conduit: { window: 7 * DAY, maxTransfers: 1 },
  collector: { window: DAY, maxPayers: 3 },
  fanOut: { window: DAY, minCounterparties: 5, minTotal: T, fundingWindow: 3 * DAY, minFundedRatio: 0.8, maxFundingSources: 2 },
  fanIn: { window: DAY, minCounterparties: 5, minTotal: T, forwardWindow: 3 * DAY, minForwardRatio: 0.8, maxDestinations: 2 },
  cycle: { minLength: 2, maxLength: 6, window: 7 * DAY, minHopRatio: 0.8, minAmount: T },
  scatterGather: { window: 3 * DAY, minIntermediaries: 3, minHopRatio: 0.8, minTotal: T },
  gatherScatter: { window: 3 * DAY, minSources: 3, minDestinations: 3, minForwardRatio: 0.8, minTotal: T },
  bipartite: { window: DAY, minPayers: 3, minPayees: 3, minEdgeAmount: T / 10, maxExtraPayers: 2, collectorWindow: 7 * DAY },
  stackedLayering: { window: 2 * DAY, minLayerSize: 3, minEdgeAmount: T / 10 },
  structuring: { window: DAY, minCount: 3 },
  smurfing: { window: DAY, minPayers: 5 },
  rapidPassThrough: { window: DAY, minInflow: T, minOutRatio: 0.9 },
  dormantActivation: { quietFor: 90 * DAY, window: 7 * DAY, minTotal: T },
};

/** The longest any typology looks back: how long the window keeps a transfer. */
export function horizonOf(p: Parameters): number {
  return Math.max(
    p.fanOut.window + p.fanOut.fundingWindow + p.conduit.window,
    p.fanIn.window + p.fanIn.forwardWindow + p.conduit.window,
    p.gatherScatter.window + p.conduit.window,
    p.rapidPassThrough.window + p.conduit.window,
    p.cycle.window,
    p.scatterGather.window,
    p.gatherScatter.window,
    p.bipartite.collectorWindow,
    p.collector.window,
    2 * p.stackedLayering.window,
    p.structuring.window,
    p.smurfing.window,
    p.rapidPassThrough.window,
    p.dormantActivation.window,
    HOUR,
  );
}
