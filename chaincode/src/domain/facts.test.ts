// Windows over a closed day answer as a pass over every entry would, in logarithmic time.
import { DAY, windowOf, type WindowEntry, WindowIndex } from './facts';

/** A small deterministic generator: the same entries on every run. */
function entries(n: number, seed: number): WindowEntry[] {
  let x = seed;
  const next = (m: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % m;
  };
  return Array.from({ length: n }, () => ({
    amount: 1 + next(1_000_000),
    executedAt: 1_700_000_000 + next(2 * DAY),
    from: `a${next(5)}`,
    to: `a${next(5)}`,
  }));
}

describe('WindowIndex', () => {
  const all = entries(2000, 7);
  const index = new WindowIndex(all);

  it('gives the sums and counts of windowOf for any time, edges included', () => {
    const times = [
      ...all.slice(0, 200).map((e) => e.executedAt),
      ...all.slice(0, 50).map((e) => e.executedAt + 3600),
      1_700_000_000 - 1,
      1_700_000_000 + 3 * DAY,
    ];
    for (const t of times) expect(index.window(t)).toEqual(windowOf(all, t));
  });

  it('knows who paid whom in an interval, inclusive at both ends', () => {
    for (const e of all.slice(0, 100)) {
      expect(index.paid(e.from, e.to, e.executedAt, e.executedAt)).toBe(true);
      const naive = (from: string, to: string, lo: number, hi: number): boolean =>
        all.some((x) => x.from === from && x.to === to && x.executedAt >= lo && x.executedAt <= hi);
      expect(index.paid(e.to, e.from, e.executedAt - 600, e.executedAt)).toBe(naive(e.to, e.from, e.executedAt - 600, e.executedAt));
    }
    expect(index.paid('a1', 'nobody', 0, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('is empty for no entries', () => {
    expect(new WindowIndex([]).window(1_700_000_000)).toEqual({ sum1h: 0, count1h: 0, sum24h: 0, count24h: 0 });
  });
});
