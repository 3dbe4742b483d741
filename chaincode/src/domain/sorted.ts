// Binary search over sorted arrays: the ledger's pending keys, a window's execution times and entries.

/** Position of the first element whose key is ≥ x, in an array sorted by that key. */
export function lowerBoundBy<T, K extends string | number>(sorted: readonly T[], x: K, key: (item: T) => K): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(sorted[mid] as T) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position of the first element ≥ x in a sorted array. */
export function lowerBound<T extends string | number>(sorted: readonly T[], x: T): number {
  return lowerBoundBy(sorted, x, (item) => item);
}
