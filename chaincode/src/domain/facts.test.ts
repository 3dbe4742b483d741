// Windows are the heaviest that contain the transfer, on either side of it in business time, and a closed day's
// entries are found by binary search.
import { DAY } from '@regchain/common';
import { windowOf, type WindowEntry, WindowIndex } from './facts';

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

/** Every window [s, s + length] holding `at`, tried one second apart: the definition, by brute force. */
function bruteForce(all: readonly WindowEntry[], at: number, length: number): { sum: number; count: number } {
  let best = { sum: 0, count: 0 };
  for (let s = at - length; s <= at; s += 1) {
    const inside = all.filter((e) => e.executedAt >= s && e.executedAt <= s + length);
    best = {
      sum: Math.max(
        best.sum,
        inside.reduce((n, e) => n + e.amount, 0),
      ),
      count: Math.max(best.count, inside.length),
    };
  }
  return best;
}

describe('windowOf', () => {
  it('takes the heaviest window holding the transfer, later entries included', () => {
    const t = 1_700_000_000;
    const around = [
      { amount: 600, executedAt: t - 20 * 3600, from: 'a', to: 'b' },
      { amount: 600, executedAt: t + 20 * 3600, from: 'a', to: 'b' },
      { amount: 50, executedAt: t + 1800, from: 'a', to: 'b' },
    ];
    // [t - 20 h, t + 4 h] holds 650; [t, t + 24 h] holds 650 too; no window holds both 600s and t.
    expect(windowOf(around, t)).toEqual({ sum1h: 50, count1h: 1, sum24h: 650, count24h: 2 });
    expect(windowOf([...around].reverse(), t)).toEqual(windowOf(around, t));
  });

  it('agrees with trying every window, second by second', () => {
    const small = entries(40, 3).map((e) => ({ ...e, executedAt: 1_700_000_000 + ((e.executedAt - 1_700_000_000) % 7200) }));
    for (const at of [1_700_000_000, 1_700_001_800, 1_700_003_600, ...small.slice(0, 5).map((e) => e.executedAt)]) {
      const hour = bruteForce(small, at, 3600);
      expect(windowOf(small, at)).toMatchObject({ sum1h: hour.sum, count1h: hour.count });
    }
  });
});

describe('WindowIndex', () => {
  const all = entries(2000, 7);
  const index = new WindowIndex(all);

  it('finds the entries of any interval, edges included', () => {
    for (const e of all.slice(0, 100)) {
      const [lo, hi] = [e.executedAt - 3600, e.executedAt + 600];
      const naive = all.filter((x) => x.executedAt >= lo && x.executedAt <= hi).map((x) => x.executedAt);
      expect(
        index
          .between(lo, hi)
          .map((x) => x.executedAt)
          .sort(),
      ).toEqual(naive.sort());
    }
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
    expect(new WindowIndex([]).between(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });
});
