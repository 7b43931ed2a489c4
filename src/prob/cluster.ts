// Per-cluster sums for cluster-robust intervals (see clusterInterval in stats.ts). A cluster is
// the runs that share one draw of the uncertain inputs (judgments, rates, β); within a chunk the
// counts of the cluster being run are kept apart, and folded into Σy², Σy·n when it ends.
import type { ClusterSums } from "./stats.js";

/** Sums of squares and cross-products per tallied quantity, plus the cluster sizes. */
export interface ClusterChunkSums {
  clusters: number;
  n: number;
  n2: number;
  /** Per state count ((K+1)·M): Σ y², Σ y·n. */
  stateY2: Float64Array;
  stateYN: Float64Array;
  /** Per condition, P(reached by grid point k): Σ y², Σ y·n. */
  reachY2: Float64Array[];
  reachYN: Float64Array[];
  /** Per condition, P(holds at grid point k). */
  holdsY2: Float64Array[];
  holdsYN: Float64Array[];
}

export function emptyClusterSums(K: number, m: number, nq: number): ClusterChunkSums {
  const arr = (len: number) => new Float64Array(len);
  return {
    clusters: 0,
    n: 0,
    n2: 0,
    stateY2: arr((K + 1) * m),
    stateYN: arr((K + 1) * m),
    reachY2: Array.from({ length: nq }, () => arr(K + 1)),
    reachYN: Array.from({ length: nq }, () => arr(K + 1)),
    holdsY2: Array.from({ length: nq }, () => arr(K + 1)),
    holdsYN: Array.from({ length: nq }, () => arr(K + 1)),
  };
}

/** Adds b into a (chunk results merged in chunk order). */
export function addClusterSums(a: ClusterChunkSums, b: ClusterChunkSums): void {
  a.clusters += b.clusters;
  a.n += b.n;
  a.n2 += b.n2;
  const add = (x: Float64Array, y: Float64Array) => {
    for (let i = 0; i < x.length; i++) x[i] += y[i];
  };
  add(a.stateY2, b.stateY2);
  add(a.stateYN, b.stateYN);
  b.reachY2.forEach((y, q) => add(a.reachY2[q], y));
  b.reachYN.forEach((y, q) => add(a.reachYN[q], y));
  b.holdsY2.forEach((y, q) => add(a.holdsY2[q], y));
  b.holdsYN.forEach((y, q) => add(a.holdsYN[q], y));
}

/** The ClusterSums of one quantity: its total count y and its Σy², Σy·n at index i. */
export function sumsAt(y: number, y2: Float64Array, yn: Float64Array, i: number): ClusterSums {
  return { y, y2: y2[i], yn: yn[i] };
}

/** The counts of the cluster being run, and the sums of the finished ones. */
export class ClusterTally {
  readonly state: Float64Array;
  readonly first: Float64Array[];
  readonly holds: Float64Array[];
  runs = 0;
  readonly #sums: ClusterChunkSums;

  constructor(
    readonly K: number,
    readonly m: number,
    readonly nq: number,
  ) {
    this.state = new Float64Array((K + 1) * m);
    this.first = Array.from({ length: nq }, () => new Float64Array(K + 1));
    this.holds = Array.from({ length: nq }, () => new Float64Array(K + 1));
    this.#sums = emptyClusterSums(K, m, nq);
  }

  /** Ends the current cluster: folds its counts into the sums and clears them. */
  flush(): void {
    const ng = this.runs;
    if (ng === 0) return;
    const s = this.#sums;
    s.clusters++;
    s.n += ng;
    s.n2 += ng * ng;
    for (let i = 0; i < this.state.length; i++) {
      const y = this.state[i];
      s.stateY2[i] += y * y;
      s.stateYN[i] += y * ng;
    }
    for (let q = 0; q < this.nq; q++) {
      let c = 0;
      for (let k = 0; k <= this.K; k++) {
        c += this.first[q][k];
        s.reachY2[q][k] += c * c;
        s.reachYN[q][k] += c * ng;
        const h = this.holds[q][k];
        s.holdsY2[q][k] += h * h;
        s.holdsYN[q][k] += h * ng;
      }
      this.first[q].fill(0);
      this.holds[q].fill(0);
    }
    this.state.fill(0);
    this.runs = 0;
  }

  sums(): ClusterChunkSums {
    return this.#sums;
  }
}
