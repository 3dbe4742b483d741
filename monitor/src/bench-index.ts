// npm run bench:index -- [--transfers N]: how fast the index answers history-wide questions. Loads a labelled set
// (seed 4242, as large as asked) into an in-memory PGlite index block by block, then times traces, counterparties
// and statistics over it, and prints the figures. A script that prints, not a timed test.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { traceFromIndex } from './queries';
import { Store } from './store';
import { labelledSet } from './synthetic';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { transfers: { type: 'string' } }, strict: true });
  const wanted = values.transfers === undefined ? 100_000 : Number(values.transfers);
  if (!Number.isInteger(wanted) || wanted < 1000) throw new Error('--transfers: a whole number from 1000');
  const people = Math.max(100, Math.round(wanted / 77));
  const set = labelledSet({ seed: 4242, days: 150, people, instances: 20 });
  const store = await Store.open({});
  const started = performance.now();
  for (let i = 0, block = 1n; i < set.transfers.length; i += 500, block += 1n) {
    const chunk = set.transfers.slice(i, i + 500).map((t) => ({ ...t, purpose: 'goods', projectId: '' }));
    await store.record({ block, txId: `tx${block}` }, chunk, []);
  }
  const loaded = (performance.now() - started) / 1000;
  console.log(`indexed ${set.transfers.length} transfers in ${loaded.toFixed(1)} s (${Math.round(set.transfers.length / loaded)}/s)`);

  // The busiest payers: where a trace has the most to walk.
  const out = new Map<string, number>();
  for (const t of set.transfers) out.set(t.from, (out.get(t.from) ?? 0) + 1);
  const starts = [...out.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([a]) => a);
  const time = async (label: string, fn: (account: string) => Promise<number>): Promise<void> => {
    const ms: number[] = [];
    let size = 0;
    for (const a of starts) {
      const t0 = performance.now();
      size += await fn(a);
      ms.push(performance.now() - t0);
    }
    ms.sort((x, y) => x - y);
    const at = (p: number): string => (ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] as number).toFixed(1);
    console.log(`${label}: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms (${Math.round(size / starts.length)} rows each on average)`);
  };
  const limits = { fromTime: 0, toTime: 253402300799, maxNodes: 10_000, maxEdges: 100_000 };
  const chaincodeLimits = { fromTime: 0, toTime: 253402300799, maxNodes: 200, maxEdges: 1000 };
  await time(
    '6-hop forward trace, the chaincode trace’s default limits',
    async (a) => (await traceFromIndex(store, { start: a, direction: 'forward', depth: 6, ...chaincodeLimits })).edges.length,
  );
  await time(
    '6-hop forward trace, unbounded (10,000 nodes, 100,000 edges)',
    async (a) => (await traceFromIndex(store, { start: a, direction: 'forward', depth: 6, ...limits })).edges.length,
  );
  await time('3-hop backward trace', async (a) => (await traceFromIndex(store, { start: a, direction: 'backward', depth: 3, ...limits })).edges.length);
  await time('counterparties', async (a) => (await store.counterparties(a, 0, 253402300799, 100)).length);
  const t0 = performance.now();
  const stats = await store.statistics(90);
  console.log(`statistics over the whole index (90-day series): ${(performance.now() - t0).toFixed(0)} ms (${stats.daily.length} days)`);
  await store.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:index: ${(err as Error).message}\n`);
  process.exit(1);
});
