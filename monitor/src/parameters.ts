// The typologies' parameters: the defaults the monitor runs on until the regulator publishes a set on chain.
import type { TypologyParameters } from '@regchain/common';
import { DAY, HOUR } from './transfer';

/** The PBoC's large-value reporting threshold for cash, 50,000 CNY, in fen. */
export const REPORTING_THRESHOLD = 5_000_000;

/**
 * A set of typology parameters and its version: the schema (every figure documented) is `TypologyParameters` in
 * @regchain/common, which the regulator publishes on chain (rule:publishTypologies); the version is the chain's.
 */
export type Parameters = TypologyParameters & { readonly version: number };

const T = REPORTING_THRESHOLD;

/** Version 0: nothing published yet. */
export const DEFAULT_PARAMETERS: Parameters = {
  version: 0,
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
