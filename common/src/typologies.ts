// The monitor's typology parameters: the schema the regulator publishes on chain (rule:publishTypologies), the
// monitor runs under, and the back-test reads from a file. Every figure is documented here, once.
import { type Static, Type } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;
const Seconds = (description: string) => Type.Integer({ minimum: 60, maximum: 400 * 86400, description: `${description}, seconds` });
const Count = (minimum: number, description: string) => Type.Integer({ minimum, maximum: 10_000, description });
const Ratio = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 1, description });
const Fen = (description: string) => Type.Integer({ minimum: 1, maximum: 1e15, description: `${description}, fen` });

export const TypologyParameters = Type.Object(
  {
    threshold: Fen('amounts just under it are suspicious when split (structuring, smurfing): the PBoC large-value threshold'),
    nearThresholdRatio: Ratio('share of the threshold from which an amount counts as just under it (0.8: 40,000 to 49,999.99 CNY)'),
    conduit: Type.Object(
      {
        window: Seconds('how far back a conduit is looked at'),
        maxTransfers: Type.Integer({
          minimum: 0,
          maximum: 10_000,
          description: 'a conduit (money fans out of, gathers in or passes through it) had at most this many transfers in the window before the pattern',
        }),
      },
      strict,
    ),
    collector: Type.Object(
      {
        window: Seconds('how far back a collector is looked at'),
        maxPayers: Count(1, 'an account paid by more distinct accounts collects money (a biller, a merchant): not a recipient of dispersal'),
      },
      strict,
    ),
    fanOut: Type.Object(
      {
        window: Seconds('the payments out'),
        minCounterparties: Count(2, 'accounts paid'),
        minTotal: Fen('paid out in all'),
        fundingWindow: Seconds('how long before the money paid out came in'),
        minFundedRatio: Ratio('the one or two payers gave at least this share of the sum paid out (and not more than sum / ratio)'),
        maxFundingSources: Count(1, 'the payers that funded it'),
      },
      strict,
    ),
    fanIn: Type.Object(
      {
        window: Seconds('the payments in'),
        minCounterparties: Count(2, 'payers'),
        minTotal: Fen('gathered'),
        forwardWindow: Seconds('how soon it is paid on'),
        minForwardRatio: Ratio('share of what was gathered paid on (and not more than gathered / ratio)'),
        maxDestinations: Count(1, 'accounts it is paid on to'),
      },
      strict,
    ),
    cycle: Type.Object(
      {
        minLength: Count(2, 'fewest accounts in the cycle'),
        maxLength: Type.Integer({ minimum: 2, maximum: 8, description: 'most accounts in the cycle' }),
        window: Seconds('from the first hop to the last'),
        minHopRatio: Ratio('each hop carries at least this share of the one before'),
        minAmount: Fen('the first hop at least'),
      },
      strict,
    ),
    scatterGather: Type.Object(
      {
        window: Seconds('the whole pattern'),
        minIntermediaries: Count(2, 'accounts between source and destination'),
        minHopRatio: Ratio('each intermediary pays on at least this share of what it got'),
        minTotal: Fen('scattered'),
      },
      strict,
    ),
    gatherScatter: Type.Object(
      {
        window: Seconds('the whole pattern'),
        minSources: Count(2, 'payers of the hub'),
        minDestinations: Count(2, 'accounts the hub pays'),
        minForwardRatio: Ratio('share of what was gathered paid on (and not more than gathered / ratio)'),
        minTotal: Fen('gathered'),
      },
      strict,
    ),
    bipartite: Type.Object(
      {
        window: Seconds('the block of payments'),
        minPayers: Count(2, 'payers'),
        minPayees: Count(2, 'payees each payer pays'),
        minEdgeAmount: Fen('each payment at least'),
        maxExtraPayers: Type.Integer({ minimum: 0, maximum: 10_000, description: 'payers of a payee outside the block it may have' }),
        collectorWindow: Seconds('how far back a payee’s other payers are counted'),
      },
      strict,
    ),
    stackedLayering: Type.Object(
      {
        window: Seconds('each layer'),
        minLayerSize: Count(2, 'accounts per layer'),
        minEdgeAmount: Fen('each payment at least'),
      },
      strict,
    ),
    structuring: Type.Object({ window: Seconds('the payments'), minCount: Count(2, 'payments just under the threshold by one payer') }, strict),
    smurfing: Type.Object({ window: Seconds('the payments'), minPayers: Count(2, 'payers each paying one payee just under the threshold') }, strict),
    rapidPassThrough: Type.Object(
      {
        window: Seconds('how soon it leaves'),
        minInflow: Fen('the inflow at least'),
        minOutRatio: Ratio('share of the inflow that leaves (and not more than inflow / ratio)'),
      },
      strict,
    ),
    dormantActivation: Type.Object(
      {
        quietFor: Seconds('silence before waking'),
        window: Seconds('after waking'),
        minTotal: Fen('moved in and out after waking'),
      },
      strict,
    ),
  },
  { ...strict, description: "The typologies' parameters; the chain numbers each published set" },
);
export type TypologyParameters = Static<typeof TypologyParameters>;

/** The PBoC's large-value reporting threshold for cash, 50,000 CNY, in fen. */
export const REPORTING_THRESHOLD = 5_000_000;

const DAY = 86_400;
const T = REPORTING_THRESHOLD;

/** The set the monitor runs on until the regulator publishes one (the figures the README's table gives). */
export const DEFAULT_TYPOLOGY_PARAMETERS: TypologyParameters = {
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

/**
 * The monitor's precision in practice, per typology: of the pattern alerts the regulator decided, the share
 * resolved as real (false positives being the rest), to three places; null before any is decided.
 */
export function patternPrecision(resolved: number, falsePositives: number): number | null {
  const decided = resolved + falsePositives;
  return decided === 0 ? null : Math.round((resolved / decided) * 1000) / 1000;
}
