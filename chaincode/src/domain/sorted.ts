// Binary search over sorted arrays: the ledger's pending keys, a window's execution times.

/** Position of the first element ≥ x in a sorted array. */
export function lowerBound<T extends string | number>(sorted: readonly T[], x: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
