// The typologies' parameters: the defaults the monitor runs on until the regulator publishes a set on chain.
import { DEFAULT_TYPOLOGY_PARAMETERS, overDefaults, TypologyParameters } from '@regchain/common';
import { Value } from '@sinclair/typebox/value';
import { HOUR } from '@regchain/common';

export { REPORTING_THRESHOLD } from '@regchain/common';

/**
 * A set of typology parameters and its version: the schema (every figure documented) is `TypologyParameters` in
 * @regchain/common, which the regulator publishes on chain (typology:publish); the version is the chain's.
 */
export type Parameters = TypologyParameters & { readonly version: number };

/** Version 0: nothing published yet. */
export const DEFAULT_PARAMETERS: Parameters = { version: 0, ...DEFAULT_TYPOLOGY_PARAMETERS };

/**
 * A set as given (a file, or a set published on chain by an older version that lacks groups or figures added
 * since) over the defaults: what it names, it sets; the rest keeps its default. Checked against the schema.
 */
export function withDefaults(given: Record<string, unknown>, version: number): Parameters {
  const merged = overDefaults(given);
  const problems = [...Value.Errors(TypologyParameters, merged)].slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
  if (problems.length > 0) throw new Error(`typology parameters: ${problems.join('; ')}`);
  return { ...(merged as TypologyParameters), version };
}

/**
 * The longest any typology looks back: how long the window keeps a transfer; with `pace`, only for the detectors
 * that judge as transfers come (`now`) or the slow ones that wait (`later`).
 */
export function horizonOf(p: Parameters, pace?: 'now' | 'later'): number {
  const slow = [
    // The slow patterns are judged a repeat window late, look back their own window, and read habits and
    // one-off relationships before that.
    p.fanOut.oneOffWindow + 2 * p.oneOff.repeatWindow + p.oneOff.habitWindow,
    p.fanIn.oneOffWindow + 2 * p.oneOff.repeatWindow + p.oneOff.habitWindow,
    2 * p.cycle.oneOffWindow + 2 * p.oneOff.repeatWindow + p.oneOff.habitWindow,
  ];
  const fast = [
    p.fanOut.window + p.fanOut.fundingWindow + p.conduit.window,
    p.fanIn.window + p.fanIn.forwardWindow + p.conduit.window,
    p.gatherScatter.window + p.conduit.window,
    p.rapidPassThrough.window + p.conduit.window,
    p.cycle.window,
    p.scatterGather.window,
    p.bipartite.collectorWindow,
    p.collector.window,
    2 * p.stackedLayering.window,
    p.structuring.window,
    p.smurfing.window,
    p.dormantActivation.window,
    HOUR,
  ];
  return Math.max(...(pace === 'later' ? slow : pace === 'now' ? fast : [...slow, ...fast]));
}
