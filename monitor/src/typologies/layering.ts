// Patterns through sets of intermediaries: scatter-gather, gather-scatter, bipartite sets and stacked layers.
import type { Parameters } from '../parameters';
import type { Hit, Transfer } from '../transfer';
import type { FlowWindow } from '../window';
import { conduit, type DetectorFactory, dispersal, hit, meanScore, passesOn, scoreOf, spanOf, sum, type Condition } from './detector';

const byTime = (a: Transfer, b: Transfer): number => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1);

/**
 * Scatter-gather: on a transfer m → D, the sources that funded m shortly before, and for each the accounts it
 * funded which paid about that on to D within `window`: `minIntermediaries` of them make the pattern S → {m} → D.
 * Walks out from m's few funders, never through D's inflows (a collector's may be thousands).
 */
export const scatterGather: DetectorFactory = (p) => ({
  typology: 'scatter-gather',
  observe(t, w): Hit[] {
    const q = p.scatterGather;
    const since = t.executedAt - q.window;
    const hits: Hit[] = [];
    const sources = new Set(w.into(t.from, since, t.executedAt).map((f) => f.from));
    sources.delete(t.to);
    for (const source of sources) {
      const intermediaries = new Map<string, Transfer[]>();
      for (const funded of w.outOf(source, since, t.executedAt)) {
        if (funded.to === t.to || intermediaries.has(funded.to)) continue;
        const paid = w
          .outOf(funded.to, funded.executedAt, t.executedAt)
          .find((o) => o.to === t.to && o.amount >= funded.amount * q.minHopRatio && o.amount <= funded.amount);
        if (paid) intermediaries.set(funded.to, [funded, paid]);
      }
      if (intermediaries.size < q.minIntermediaries || !intermediaries.has(t.from)) continue;
      const hops = [...intermediaries.values()].flat().sort(byTime);
      const total = sum([...intermediaries.values()].map((h) => h[0] as Transfer));
      if (total < q.minTotal) continue;
      hits.push(
        hit(
          'scatter-gather',
          `${source}>${t.to}`,
          hops[0] as Transfer,
          meanScore(scoreOf(intermediaries.size, q.minIntermediaries), scoreOf(total, q.minTotal)),
          hops,
          [
            { name: 'intermediaries', value: intermediaries.size, limit: q.minIntermediaries },
            { name: 'scattered', value: total, limit: q.minTotal },
            spanOf(hops, q.window),
          ],
        ),
      );
    }
    return hits;
  },
});

/**
 * Gather-scatter: on a transfer out of a hub, `minSources` payers paid it within `window` and it paid
 * `minDestinations` accounts (collectors aside) since the first of them, about what it gathered; the hub was a conduit.
 */
export const gatherScatter: DetectorFactory = (p) => ({
  typology: 'gather-scatter',
  observe(t, w): Hit[] {
    const q = p.gatherScatter;
    const ins = w.into(t.from, t.executedAt - q.window, t.executedAt);
    const first = ins[0];
    if (!first) return [];
    const outs = dispersal(w, w.outOf(t.from, first.executedAt, t.executedAt), t.executedAt, p);
    const sources = new Set(ins.map((i) => i.from));
    const destinations = new Set(outs.map((o) => o.to));
    const gathered = sum(ins);
    if (sources.size < q.minSources || destinations.size < q.minDestinations || gathered < q.minTotal) return [];
    if (!passesOn(sum(outs), gathered, q.minForwardRatio) || !conduit(w, t.from, first.executedAt, p)) return [];
    const score = meanScore(scoreOf(Math.min(sources.size, destinations.size), Math.min(q.minSources, q.minDestinations)), scoreOf(gathered, q.minTotal));
    const conditions: Condition[] = [
      { name: 'payers', value: sources.size, limit: q.minSources },
      { name: 'payees', value: destinations.size, limit: q.minDestinations },
      { name: 'gathered', value: gathered, limit: q.minTotal },
      spanOf([...ins, ...outs], q.window),
    ];
    return [hit('gather-scatter', t.from, first, score, [...ins, ...outs], conditions)];
  },
});

/** More distinct payers than any layer of a block has. */
const MAX_LAYER_PAYERS = 32;

/** A dense block of flows around a transfer x → y: payers that each paid at least `minPayees` of x's payees. */
interface Block {
  readonly payers: string[];
  readonly payees: string[];
  readonly edges: Transfer[];
}

function denseBlock(w: FlowWindow, t: Transfer, window: number, minPayers: number, minPayees: number, minEdgeAmount: number): Block | undefined {
  if (t.amount < minEdgeAmount) return undefined;
  const since = t.executedAt - window;
  const large = (ts: Transfer[]): Transfer[] => ts.filter((e) => e.amount >= minEdgeAmount);
  // A payee that many paid is a collector, not a layer: its inflows are not walked.
  const payees = new Set(
    large(w.outOf(t.from, since, t.executedAt))
      .map((e) => e.to)
      .filter((y) => !w.payersExceed(y, since, t.executedAt, MAX_LAYER_PAYERS)),
  );
  if (payees.size < minPayees) return undefined;
  // Payers sharing at least minPayees of x's payees, and the edges between them.
  const shared = new Map<string, Transfer[]>();
  for (const y of payees) {
    for (const e of large(w.into(y, since, t.executedAt))) {
      const list = shared.get(e.from) ?? [];
      list.push(e);
      shared.set(e.from, list);
    }
  }
  const payers = [...shared.entries()].filter(([, es]) => new Set(es.map((e) => e.to)).size >= minPayees);
  if (payers.length < minPayers) return undefined;
  const edges = payers.flatMap(([, es]) => es);
  const inBlock = new Set([...new Set(edges.map((e) => e.to))].filter((y) => new Set(edges.filter((e) => e.to === y).map((e) => e.from)).size >= minPayers));
  if (inBlock.size < minPayees) return undefined;
  return { payers: payers.map(([x]) => x).sort(), payees: [...inBlock].sort(), edges: edges.filter((e) => inBlock.has(e.to)).sort(byTime) };
}

/** Bipartite: `minPayers` payers each pay the same `minPayees` payees large sums, and those payees are paid by few others. */
export const bipartite: DetectorFactory = (p) => ({
  typology: 'bipartite',
  observe(t, w): Hit[] {
    const q = p.bipartite;
    const block = denseBlock(w, t, q.window, q.minPayers, q.minPayees, q.minEdgeAmount);
    if (!block) return [];
    const since = t.executedAt - q.collectorWindow;
    for (const y of block.payees) {
      if (new Set(w.into(y, since, t.executedAt).map((e) => e.from)).size > block.payers.length + q.maxExtraPayers) return [];
    }
    const score = meanScore(scoreOf(block.payers.length, q.minPayers), scoreOf(block.payees.length, q.minPayees));
    const conditions: Condition[] = [
      { name: 'payers', value: block.payers.length, limit: q.minPayers },
      { name: 'payees', value: block.payees.length, limit: q.minPayees },
      spanOf(block.edges, q.window),
    ];
    return [hit('bipartite', 'block', block.edges[0] as Transfer, score, block.edges, conditions)];
  },
});

/** Stacked layering: a dense block Y → Z whose payers Y were themselves paid, as a block, by a layer X shortly before. */
export const stackedLayering: DetectorFactory = (p: Parameters) => ({
  typology: 'stacked-layering',
  observe(t, w): Hit[] {
    const q = p.stackedLayering;
    const second = denseBlock(w, t, q.window, q.minLayerSize, q.minLayerSize, q.minEdgeAmount);
    if (!second) return [];
    const first = second.edges[0] as Transfer;
    // Payers of the middle layer, before its first onward payment, each paying at least half of it.
    const into = new Map<string, Transfer[]>();
    for (const y of second.payers) {
      for (const e of w.into(y, first.executedAt - q.window, first.executedAt)) {
        if (e.amount < q.minEdgeAmount) continue;
        const list = into.get(e.from) ?? [];
        list.push(e);
        into.set(e.from, list);
      }
    }
    const layer = [...into.entries()].filter(([, es]) => new Set(es.map((e) => e.to)).size * 2 >= second.payers.length);
    if (layer.length < q.minLayerSize) return [];
    const edges = [...layer.flatMap(([, es]) => es), ...second.edges].sort(byTime);
    return [
      hit('stacked-layering', 'layers', edges[0] as Transfer, scoreOf(layer.length + second.payers.length + second.payees.length, 3 * q.minLayerSize), edges, [
        { name: 'layer-accounts', value: Math.min(layer.length, second.payers.length, second.payees.length), limit: q.minLayerSize },
        spanOf(edges, 2 * q.window),
      ]),
    ];
  },
});
