export type Cmp<T> = (a: T, b: T) => number;

/** The first index of sorted `items` whose item is not before `x` (where `x` goes to keep them sorted). */
export function lowerBound<T>(items: T[], x: T, cmp: Cmp<T>): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(items[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
