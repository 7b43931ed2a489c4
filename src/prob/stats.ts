// Interval estimates for Monte Carlo proportions and a convergence diagnostic for chains.
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

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
 * Sums over clusters of runs (runs that share one draw of the judgments, rates and β) that a
 * cluster-robust interval needs: Σ y_g, Σ y_g², Σ y_g·n_g (y_g: runs of cluster g where the
 * event happens, n_g: its runs), with Σ n_g, Σ n_g² and the number of clusters kept once.
 */
export interface ClusterSums {
  y: number;
  y2: number;
  yn: number;
}

export interface ClusterSizes {
  clusters: number;
  n: number;
  n2: number;
}

/**
 * Interval for a proportion estimated from clustered Monte Carlo runs: runs that share a draw
 * of the uncertain inputs are not independent, so the variance of p̂ = Σy/Σn is the
 * cluster-robust (linearisation) estimate V = G/(G−1) · Σ_g (y_g − p̂ n_g)² / N² (Cochran 1977,
 * Sampling Techniques, §6.11), and the interval is Wilson's with the effective sample size
 * N/deff (deff = V / (p̂(1−p̂)/N), at least 1) and Student's t with G − 1 degrees of freedom in
 * place of z: the Korn–Graubard construction for proportions from clustered samples (Korn &
 * Graubard 1998, Survey Methodology 24:193–201). With p̂ = 0 or 1 the design effect is not
 * estimable and is taken as that of the cluster count (N/G runs per cluster); with fewer than
 * two clusters it is Wilson's interval with n = N.
 */
export function clusterInterval(s: ClusterSums, c: ClusterSizes, level = 0.95): Interval & { nEff: number } {
  const N = c.n;
  if (N <= 0) return { lo: 0, hi: 1, nEff: 0 };
  const p = s.y / N;
  const G = c.clusters;
  if (G < 2) {
    const w = wilson(s.y, N);
    return { ...w, nEff: N };
  }
  const v = ((G / (G - 1)) * Math.max(0, s.y2 - 2 * p * s.yn + p * p * c.n2)) / (N * N);
  const binomial = (p * (1 - p)) / N;
  const deff = binomial > 0 ? Math.max(1, v / binomial) : N / G;
  const nEff = N / deff;
  const t = tQuantile(1 - (1 - level) / 2, G - 1);
  const w = wilson(p * nEff, nEff, t);
  return { ...w, nEff };
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
