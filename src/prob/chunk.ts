// One chunk of stochastic-succession runs, from its own random stream: the unit of work that
// the orchestrator hands to a worker thread (or runs in-process). Pure and deterministic:
// the same spec, chunk index and stream state give the same bytes.
//
// Hot loop (per step): a scenario is identified by a 53-bit Zobrist hash (updated in O(1) when
// a factor changes; works for spaces beyond 2^53). Each visited scenario's move distribution
// (stay, or change one factor to a rival state, with weight exp(β_j · gain)) is computed once
// — θ by summing the selected rows, weights from a per-factor table indexed by the integer
// gain — and cached as a cumulative table; a step is then one map look-up, one uniform draw
// and a short scan. Cached and fresh tables are bit-identical (same arithmetic, same order),
// so the cache never changes a result. Trajectories from one start visit few scenarios (on
// the seed model about 2,000 in 10^5 runs), so the cache stays small; it is cleared past a
// size limit.
import { fromState, makeRng, type Rng, type StreamState, uniform32 } from "../random.js";
import type { ClusterChunkSums } from "./cluster.js";
import { ClusterTally } from "./cluster.js";
import type { Path } from "./path.js";
import type { ChainSpec } from "./spec.js";

export interface ChunkTask {
  spec: ChainSpec;
  chunk: number;
  runs: number;
  stream: StreamState;
}

export interface ChunkResult {
  chunk: number;
  runs: number;
  /** stateCounts[k·M + s]: runs in (global) state s at step k, k = 0..K. */
  stateCounts: Float64Array;
  /** Per condition: firstHit[q][k] = runs whose first step satisfying the condition is k. */
  firstHit: Float64Array[];
  /** Per condition: holds[q][k] = runs satisfying the condition at step k. */
  holds: Float64Array[];
  /** Per condition: loop-erased change sequences to the first hit ("f:s>f:s"), with counts. */
  paths: [string, number][][];
  /** Scenario at step K ("s0,s1,…"), with counts. */
  ends: [string, number][];
  /** Number of matrices drawn (judgment uncertainty), 0 when none. */
  matrices: number;
  /** Every run's states per step, run-major then step then factor (only with spec.record). */
  records?: Int8Array;
  /** Total factor changes made by succession (not shocks), for diagnostics. */
  moves: number;
  /** With draws of the uncertain inputs: the per-cluster sums for cluster-robust intervals. */
  cluster?: ClusterChunkSums;
  /** Every run's path in continuous time (only with spec.recordPaths). */
  pathRecords?: Path[];
}

/** Zobrist keys (two 32-bit words per state), fixed: they identify scenarios, not randomness. */
function zobrist(size: number): { z1: Int32Array; z2: Int32Array } {
  const g = makeRng(0x5eed1e55);
  const z1 = new Int32Array(size);
  const z2 = new Int32Array(size);
  for (let s = 0; s < size; s++) {
    z1[s] = g.int32();
    z2[s] = g.int32();
  }
  return { z1, z2 };
}

/** Draws a matrix around the judged one: round(C + σ·Z), clipped to the scale (cells with σ = 0 unchanged). */
export function sampleMatrix(
  base: Int32Array,
  spread: Float64Array,
  scale: { min: number; max: number },
  g: Rng,
  out: Int32Array = new Int32Array(base.length),
): Int32Array {
  for (let c = 0; c < base.length; c++) {
    const sd = spread[c];
    if (sd > 0) {
      let v = Math.round(base[c] + sd * g.normal());
      if (v < scale.min) v = scale.min;
      else if (v > scale.max) v = scale.max;
      out[c] = v;
    } else out[c] = base[c];
  }
  return out;
}

/**
 * How far the impact balances of factor j's states can spread under `matrix`: Σ_i of the
 * range (max − min) of i's rows into j's block; without factor j's own rows when `skipSelf`.
 */
export function factorSpread(spec: ChainSpec, matrix: Int32Array, j: number, skipSelf = false): number {
  const { nFactors: n, offsets, size: m } = spec;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (skipSelf && i === j) continue;
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    for (let v = offsets[i]; v < offsets[i + 1]; v++)
      for (let c = offsets[j]; c < offsets[j + 1]; c++) {
        const x = matrix[v * m + c];
        if (x > hi) hi = x;
        if (x < lo) lo = x;
      }
    b += hi - lo;
  }
  return b;
}

/** Largest |gain| any move into a factor can have under `matrix` (the largest spread). */
function gainBound(spec: ChainSpec, matrix: Int32Array): number {
  let bound = 0;
  for (let j = 0; j < spec.nFactors; j++) bound = Math.max(bound, factorSpread(spec, matrix, j));
  return bound;
}

/** One visited scenario's move distribution. */
export interface MoveTable {
  /** Weight of staying put. */
  stay: number;
  /** Cumulative weights (starting after `stay`) of the possible changes. */
  cum: Float64Array;
  factor: Int32Array;
  to: Int32Array;
}

const CACHE_LIMIT = 400_000;

/** What building a move table needs: the matrix, the weight tables and scratch arrays. */
export interface TableContext {
  spec: ChainSpec;
  matrix: Int32Array;
  tab: Float64Array;
  G: number;
  W: number;
  fast: boolean;
  theta: Int32Array;
  weights: Float64Array;
  gains: Int32Array;
}

/** Weight tables for a matrix: exp(β_j g) for |g| ≤ G, or the exact slow path when β·G could overflow. */
export function weightTables(
  spec: ChainSpec,
  matrix: Int32Array,
): Pick<TableContext, "tab" | "G" | "W" | "fast"> {
  const n = spec.nFactors;
  const G = gainBound(spec, matrix);
  const W = 2 * G + 1;
  let fast = true;
  for (let j = 0; j < n; j++) if (spec.beta[j] * G > 600) fast = false;
  const tab = new Float64Array(fast ? n * W : 0);
  if (fast)
    for (let j = 0; j < n; j++) for (let x = -G; x <= G; x++) tab[j * W + x + G] = Math.exp(spec.beta[j] * x);
  return { tab, G, W, fast };
}

/** The move table of scenario z (θ summed afresh from the matrix). */
export function moveTable(ctx: TableContext, z: Int32Array): MoveTable {
  const { spec, matrix, tab, G, W, fast, theta, weights, gains } = ctx;
  const { nFactors: n, counts, offsets, size: m, movable, beta } = spec;
  theta.fill(0);
  for (let i = 0; i < n; i++) {
    const row = (offsets[i] + z[i]) * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[row + c];
  }
  let stay = 1;
  let count = 0;
  if (fast) {
    for (let j = 0; j < n; j++) {
      if (!movable[j]) continue;
      const a = offsets[j];
      const cur = theta[a + z[j]] - G;
      const t = j * W;
      for (let l = 0; l < counts[j]; l++) {
        if (l === z[j]) continue;
        weights[a + l] = tab[t + theta[a + l] - cur];
        count++;
      }
    }
  } else {
    // Exact for any β: weights relative to the largest β·gain (staying counts as gain 0).
    let best = 0;
    for (let j = 0; j < n; j++) {
      if (!movable[j]) continue;
      const a = offsets[j];
      for (let l = 0; l < counts[j]; l++) {
        if (l === z[j]) continue;
        const gn = theta[a + l] - theta[a + z[j]];
        gains[a + l] = gn;
        if (beta[j] * gn > best) best = beta[j] * gn;
        count++;
      }
    }
    stay = Math.exp(-best);
    for (let j = 0; j < n; j++) {
      if (!movable[j]) continue;
      const a = offsets[j];
      for (let l = 0; l < counts[j]; l++)
        if (l !== z[j]) weights[a + l] = Math.exp(beta[j] * gains[a + l] - best);
    }
  }
  const cum = new Float64Array(count);
  const factor = new Int32Array(count);
  const to = new Int32Array(count);
  let q = 0;
  let acc = stay;
  for (let j = 0; j < n; j++) {
    if (!movable[j]) continue;
    const a = offsets[j];
    for (let l = 0; l < counts[j]; l++) {
      if (l === z[j]) continue;
      acc += weights[a + l];
      cum[q] = acc;
      factor[q] = j;
      to[q] = l;
      q++;
    }
  }
  return { stay, cum, factor, to };
}
let sharedCache: { key: string; map: Map<number, MoveTable> } | null = null;

function fingerprint(spec: ChainSpec): string {
  return `${spec.counts.join(",")}|${spec.matrix.join(",")}|${spec.beta.join(",")}|${spec.movable.join(",")}`;
}

export function runChunk(task: ChunkTask): ChunkResult {
  const { spec, runs } = task;
  const g = fromState(task.stream);
  const { nFactors: n, offsets, size: m, steps: K, fixed, start, beta } = spec;
  const conds = spec.conditions;
  const nq = conds.length;
  const { z1, z2 } = zobrist(m);

  const diff = new Float64Array((K + 1) * m);
  const firstHit = conds.map(() => new Float64Array(K + 1));
  const holds = conds.map(() => new Float64Array(K + 1));
  const pathMaps = conds.map(() => new Map<string, number>());
  const endMap = new Map<number, number>();
  const endStates = new Map<number, string>();
  const records = spec.record ? new Int8Array(runs * (K + 1) * n) : undefined;

  let matrix = spec.matrix;
  const drawn = spec.spread ? new Int32Array(spec.matrix.length) : null;
  // Runs that share a drawn matrix form a cluster: its counts are kept apart for the
  // cluster-robust intervals (state counts through their own change log, as `diff`).
  const cl = drawn ? new ClusterTally(K, m, nq) : null;
  const cdiff = cl ? new Float64Array((K + 1) * m) : null;
  const endCluster = () => {
    if (!cl || !cdiff || cl.runs === 0) return;
    for (let i = 0; i < n; i++) cl.state[offsets[i] + start[i]] = cl.runs;
    for (let k = 1; k <= K; k++)
      for (let s = 0; s < m; s++) cl.state[k * m + s] = cl.state[(k - 1) * m + s] + cdiff[k * m + s];
    cl.flush();
    cdiff.fill(0);
  };
  let matrices = 0;
  let moves = 0;

  // Weight tables: tab[j·W + g + G] = exp(β_j g); when β·G could overflow, an exact slow path.
  let G = 0;
  let W = 1;
  let tab = new Float64Array(0);
  let fast = true;
  let cache = new Map<number, MoveTable>();
  const setMatrix = () => {
    G = gainBound(spec, matrix);
    W = 2 * G + 1;
    fast = true;
    for (let j = 0; j < n; j++) if (beta[j] * G > 600) fast = false;
    tab = new Float64Array(fast ? n * W : 0);
    if (fast)
      for (let j = 0; j < n; j++) for (let x = -G; x <= G; x++) tab[j * W + x + G] = Math.exp(beta[j] * x);
  };
  if (!drawn) {
    setMatrix();
    const key = fingerprint(spec);
    if (sharedCache?.key !== key) sharedCache = { key, map: new Map() };
    cache = sharedCache.map;
  }

  const z = new Int32Array(n);
  const theta = new Int32Array(m);
  const weights = new Float64Array(m);
  const gains = new Int32Array(m);

  const ctx: TableContext = { spec, matrix, tab, G, W, fast, theta, weights, gains };
  const buildTable = (): MoveTable => {
    ctx.matrix = matrix;
    ctx.tab = tab;
    ctx.G = G;
    ctx.W = W;
    ctx.fast = fast;
    return moveTable(ctx, z);
  };

  // Loop-erased path stack: change (factor, state) leading to the scenario with hash (h1, h2).
  const cap = K + 2;
  const stF = new Int32Array(cap);
  const stS = new Int32Array(cap);
  const stH1 = new Int32Array(cap);
  const stH2 = new Int32Array(cap);
  let depth = 0;
  const hitAt = new Int32Array(nq);
  let h1 = 0;
  let h2 = 0;

  const change = (f: number, to: number) => {
    const from = z[f];
    z[f] = to;
    h1 ^= z1[offsets[f] + from] ^ z1[offsets[f] + to];
    h2 ^= z2[offsets[f] + from] ^ z2[offsets[f] + to];
  };
  const pathKey = () => {
    let s = "";
    for (let d = 1; d <= depth; d++) s += `${d > 1 ? ">" : ""}${stF[d]}:${stS[d]}`;
    return s;
  };
  const pushPath = (f: number, s: number) => {
    for (let d = depth; d >= 0; d--)
      if (stH1[d] === h1 && stH2[d] === h2) {
        depth = d;
        return;
      }
    depth++;
    stF[depth] = f;
    stS[depth] = s;
    stH1[depth] = h1;
    stH2[depth] = h2;
  };
  const checkConditions = (k: number) => {
    for (let q = 0; q < nq; q++) {
      const c = conds[q];
      let ok = true;
      for (let p = 0; p < c.factors.length; p++)
        if (z[c.factors[p]] !== c.states[p]) {
          ok = false;
          break;
        }
      if (!ok) continue;
      holds[q][k]++;
      if (cl) cl.holds[q][k]++;
      if (hitAt[q] < 0) {
        hitAt[q] = k;
        firstHit[q][k]++;
        if (cl) cl.first[q][k]++;
        if (spec.paths) {
          const key = pathKey();
          const map = pathMaps[q];
          map.set(key, (map.get(key) ?? 0) + 1);
        }
      }
    }
  };
  const shocks = spec.shocks;
  const ns = shocks.length;

  for (let r = 0; r < runs; r++) {
    if (drawn && r % spec.runsPerMatrix === 0) {
      endCluster();
      matrix = sampleMatrix(spec.matrix, spec.spread as Float64Array, spec.scale, g, drawn);
      matrices++;
      setMatrix();
      cache = new Map();
    }
    h1 = 0;
    h2 = 0;
    for (let i = 0; i < n; i++) {
      z[i] = start[i];
      h1 ^= z1[offsets[i] + start[i]];
      h2 ^= z2[offsets[i] + start[i]];
    }
    depth = 0;
    stH1[0] = h1;
    stH2[0] = h2;
    if (nq > 0) {
      hitAt.fill(-1);
      checkConditions(0);
    }
    if (records) records.set(z, r * (K + 1) * n);

    for (let k = 1; k <= K; k++) {
      // Succession: stay, or change one factor to a rival state with weight exp(β_j gain).
      const key = (h1 >>> 0) * 2097152 + (h2 & 0x1fffff);
      let e = cache.get(key);
      if (e === undefined) {
        e = buildTable();
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(key, e);
      }
      const cum = e.cum;
      const last = cum.length - 1;
      const u = uniform32(g) * (last >= 0 ? cum[last] : e.stay);
      if (u >= e.stay && last >= 0) {
        let q = 0;
        while (q < last && cum[q] <= u) q++;
        const f = e.factor[q];
        const to = e.to[q];
        diff[k * m + offsets[f] + z[f]]--;
        diff[k * m + offsets[f] + to]++;
        if (cdiff) {
          cdiff[k * m + offsets[f] + z[f]]--;
          cdiff[k * m + offsets[f] + to]++;
        }
        change(f, to);
        moves++;
        if (spec.paths && nq > 0) pushPath(f, to);
      }
      // Exogenous shocks, in model order (an intervention holds its factor: no shock there).
      for (let q = 0; q < ns; q++) {
        const sh = shocks[q];
        const fire = sh.at !== undefined ? sh.at === k : uniform32(g) < (sh.probability ?? 0);
        if (!fire || fixed[sh.factor] >= 0 || z[sh.factor] === sh.state) continue;
        const f = sh.factor;
        diff[k * m + offsets[f] + z[f]]--;
        diff[k * m + offsets[f] + sh.state]++;
        if (cdiff) {
          cdiff[k * m + offsets[f] + z[f]]--;
          cdiff[k * m + offsets[f] + sh.state]++;
        }
        change(f, sh.state);
        if (spec.paths && nq > 0) pushPath(f, sh.state);
      }
      if (nq > 0) checkConditions(k);
      if (records) records.set(z, (r * (K + 1) + k) * n);
    }
    if (cl) cl.runs++;
    const key = (h1 >>> 0) * 2097152 + (h2 & 0x1fffff);
    const prev = endMap.get(key);
    if (prev === undefined) {
      endMap.set(key, 1);
      endStates.set(key, z.join(","));
    } else endMap.set(key, prev + 1);
  }

  endCluster();
  // State counts per step: start counts, then the running sum of the recorded changes.
  const stateCounts = new Float64Array((K + 1) * m);
  for (let i = 0; i < n; i++) stateCounts[offsets[i] + start[i]] = runs;
  for (let k = 1; k <= K; k++)
    for (let s = 0; s < m; s++) stateCounts[k * m + s] = stateCounts[(k - 1) * m + s] + diff[k * m + s];

  const ends: [string, number][] = [];
  for (const [key, c] of endMap) ends.push([endStates.get(key) as string, c]);
  return {
    chunk: task.chunk,
    runs,
    stateCounts,
    firstHit,
    holds,
    paths: pathMaps.map((mp) => [...mp.entries()]),
    ends,
    matrices,
    records,
    moves,
    cluster: cl?.sums(),
  };
}
