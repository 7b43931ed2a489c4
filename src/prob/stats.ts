// Interval estimates for Monte Carlo proportions and a convergence diagnostic for chains.

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  lo: number;
  hi: number;
}

/**
 * Wilson score interval for a binomial proportion k/n (Wilson 1927, JASA 22:209–212). Unlike
 * the Wald interval it stays inside [0, 1] and is sensible at k = 0 or k = n. n = 0 → [0, 1].
 */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (n <= 0) return { lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** Half-width of the Wilson interval (what `--precision` compares against). */
export function wilsonHalfWidth(k: number, n: number, z = Z95): number {
  const { lo, hi } = wilson(k, n, z);
  return (hi - lo) / 2;
}

/**
 * Potential scale reduction factor R-hat (Gelman & Rubin 1992) of one scalar quantity over
 * several chains of equal length (each chain: the quantity's values, e.g. an indicator per
 * sample). Values near 1 (< 1.01–1.05) say the chains agree. Returns 1 when every chain is
 * constant and equal, +∞ when the chains are constant but differ.
 */
export function rhat(chains: ArrayLike<number>[]): number {
  const m = chains.length;
  const n = chains[0]?.length ?? 0;
  if (m < 2 || n < 2) return Number.NaN;
  const means = chains.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    return s / n;
  });
  const grand = means.reduce((a, b) => a + b, 0) / m;
  let b = 0;
  for (const mu of means) b += (mu - grand) ** 2;
  b = (b * n) / (m - 1);
  let w = 0;
  chains.forEach((c, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (c[i] - means[j]) ** 2;
    w += s / (n - 1);
  });
  w /= m;
  if (w === 0) return b === 0 ? 1 : Number.POSITIVE_INFINITY;
  const v = ((n - 1) / n) * w + b / n;
  return Math.sqrt(v / w);
}

/** R-hat from per-chain sums: chain j saw `hits[j]` of `n` samples with the indicator at 1. */
export function rhatFromCounts(hits: ArrayLike<number>, n: number): number {
  const m = hits.length;
  if (m < 2 || n < 2) return Number.NaN;
  const means = Array.from(hits, (h) => h / n);
  const grand = means.reduce((a, b) => a + b, 0) / m;
  let b = 0;
  for (const mu of means) b += (mu - grand) ** 2;
  b = (b * n) / (m - 1);
  // Variance of a 0/1 sequence with mean p: n p (1−p) / (n−1).
  let w = 0;
  for (const p of means) w += (n * p * (1 - p)) / (n - 1);
  w /= m;
  if (w === 0) return b === 0 ? 1 : Number.POSITIVE_INFINITY;
  const v = ((n - 1) / n) * w + b / n;
  return Math.sqrt(v / w);
}
