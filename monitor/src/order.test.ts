// Order does not matter to the detectors: the same transfers, reported late, newest first within a day or in
// any order within days, give the same patterns as in business-time order.
import { Engine } from './engine';
import { DEFAULT_PARAMETERS } from './parameters';
import { labelledSet } from './synthetic';
import { DAY } from '@regchain/common';
import { type Transfer } from './transfer';

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Each typology with the transfers it flags: what a regulator is shown. */
function flagged(order: readonly Transfer[]): Record<string, string[]> {
  const engine = new Engine(DEFAULT_PARAMETERS);
  for (const t of order) engine.observe(t);
  engine.flush();
  const out: Record<string, Set<string>> = {};
  for (const a of engine.alerts()) for (const t of a.transfers) (out[a.typology] ??= new Set()).add(t.id);
  return Object.fromEntries(
    Object.entries(out)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, [...v].sort()]),
  );
}

describe('detectors over shuffled orders', () => {
  const set = labelledSet({ seed: 77, days: 110, people: 60, instances: 1 });
  const inOrder = set.transfers;
  const expected = flagged(inOrder);

  it('finds patterns at all in business-time order (the property is not vacuous)', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(6);
  });

  it.each([
    [
      'newest first within each day',
      (ts: readonly Transfer[]) => [...ts].sort((a, b) => Math.floor(a.executedAt / DAY) - Math.floor(b.executedAt / DAY) || b.executedAt - a.executedAt),
    ],
    [
      'each reported up to three days late, at random',
      (ts: readonly Transfer[]) => {
        const next = random(7);
        return ts
          .map((t) => ({ t, arrives: t.executedAt + Math.floor(next() * 3 * DAY) }))
          .sort((a, b) => a.arrives - b.arrives)
          .map((x) => x.t);
      },
    ],
    [
      'in blocks of a day, each block shuffled',
      (ts: readonly Transfer[]) => {
        const next = random(11);
        const days = new Map<number, Transfer[]>();
        for (const t of ts) days.set(Math.floor(t.executedAt / DAY), [...(days.get(Math.floor(t.executedAt / DAY)) ?? []), t]);
        return [...days.values()].flatMap((day) =>
          day
            .map((t) => ({ t, k: next() }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.t),
        );
      },
    ],
  ])('gives the same patterns with the transfers %s', (_how, reorder) => {
    expect(flagged(reorder(inOrder))).toEqual(expected);
  });
});

describe('memory with back-dated transfers', () => {
  it('keeps the window to the horizon although some transfers come months late', () => {
    const DAYS = 240;
    const set = labelledSet({ seed: 9, days: DAYS, people: 150, instances: 1 });
    // Slow patterns over weeks, not months, so that the horizon is a small part of the history.
    const p = {
      ...DEFAULT_PARAMETERS,
      oneOff: { ...DEFAULT_PARAMETERS.oneOff, memory: 10 * DAY, repeatWindow: 3 * DAY, habitWindow: 5 * DAY },
      fanIn: { ...DEFAULT_PARAMETERS.fanIn, oneOffWindow: 5 * DAY },
      fanOut: { ...DEFAULT_PARAMETERS.fanOut, oneOffWindow: 5 * DAY },
      cycle: { ...DEFAULT_PARAMETERS.cycle, oneOffWindow: 2 * DAY },
    };
    const peakOf = (late: boolean): number => {
      const engine = new Engine(p);
      let peak = 0;
      set.transfers.forEach((t, i) => {
        engine.observe(t);
        // Every 300th transfer is followed by a copy of an earlier one, dated 90 days back (six horizons).
        const old = set.transfers[i - 300];
        if (late && i % 300 === 0 && old) engine.observe({ ...old, id: `late-${old.id}`, executedAt: t.executedAt - 90 * DAY });
        if (i % 500 === 0) peak = Math.max(peak, engine.windowSize);
      });
      return peak;
    };
    expect(set.transfers.length).toBeGreaterThan(15_000);
    const inOrder = peakOf(false);
    expect(inOrder).toBeLessThan(set.transfers.length / 2);
    // A late transfer keeps at most one more horizon of the past, never the 90 days it claims: about what the
    // window holds in order (eviction runs every 4,096 transfers, so the peak is mostly that).
    expect(peakOf(true)).toBeLessThan(1.25 * inOrder);
  });
});
