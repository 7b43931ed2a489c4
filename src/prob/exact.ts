// The exact long-run (stationary) distribution of the stochastic succession on its sparse
// transition matrix.
//
// Space. Only the factors that can move in the long run span the solved space: succession-
// movable factors, plus unfixed factors with a probability shock. Exogenous factors without
// probability shocks and intervened (`fix`) factors are held at their start / fixed state, so
// an intervention divides the space (and the memory) by the held factors' state counts.
//
// Matrix. From scenario a the chain moves to a neighbour b (a with one movable factor j set to
// l ≠ a_j) with probability w/Σw, w = exp(β_j·(θ_{j,l}(a) − θ_{j,a_j}(a))), or stays (weight
// 1). Stored in "pull" (incoming) layout, Float64: for scenario b, entry r ↔ (factor j, rival
// state l of b_j), Pin[b·R + r] = P(a → b) with a = b[j := l]; R = Σ_movable (m_j − 1). The
// out-probability 1 − P_bb is stored separately, computed as Σw/total (not 1 − P_bb) so that
// it keeps its digits when staying is almost certain. θ is maintained incrementally along an
// odometer (one impact row in, one out per digit change). Float64 rather than Float32: the
// chain is nearly completely decomposable, so rounding the entries to 24 bits would move the
// basin weights far more than the residual shows.
//
// Solvers (‖πT − π‖₁ with T the move-then-shock operator is the stopping residual in all; each
// is described, with its references, at its function below):
// - "iad" (default without probability shocks): iterative aggregation–disaggregation over the
//   basins of attraction of the β → ∞ dynamics (solveIad);
// - "gmres" (default with probability shocks, whose two-factor jumps have no pull form):
//   restarted GMRES(m) preconditioned by a symmetric Gauss–Seidel sweep (solveGmres);
// - "gauss-seidel": the former solver, kept for comparison (solveGaussSeidel).
import type { ChainSpec } from "./spec.js";

export type ExactMethod = "iad" | "gmres" | "gauss-seidel";

export interface ExactOptions {
  /** Solver (default: iad, or gmres when there are probability shocks). */
  solver?: ExactMethod | "auto";
  /** Residual ‖πT − π‖₁ at which the solver stops (default 1e-10). */
  tolerance?: number;
  /** Most outer iterations (IAD steps, GMRES inner steps, or Gauss–Seidel sweeps). */
  maxIterations?: number;
  /** GMRES restart length m (default 20). */
  restart?: number;
  signal?: AbortSignal;
  /** Polled while the matrix is built (a stop then leaves the uniform start, 0 iterations). */
  shouldStop?: () => boolean;
  onProgress?: (p: { done: number; total: number; residual?: number }) => void;
}

export interface ExactSolution {
  /** π over the solved space (free factors only, first free factor most significant). */
  pi: Float64Array;
  /** Full-model factor indices of the solved space's factors. */
  free: number[];
  /** Per full-model factor: the state it is held at, or −1 when it is free. */
  held: Int32Array;
  solver: ExactMethod;
  /** Outer iterations (IAD steps, GMRES inner steps, or sweeps). */
  iterations: number;
  /** Passes over the matrix (sweeps, matrix–vector products, coupling passes). */
  passes: number;
  residual: number;
  converged: boolean;
  /** Bytes of the solver's typed arrays (matrix, vectors, aggregates, Krylov basis). */
  bytes: number;
  buildMs: number;
  solveMs: number;
  /** Aggregates (basins of the β → ∞ dynamics): attractor scenario index, size, probability. */
  basins?: { attractor: number; cycle: number; size: number; p: number }[];
}

interface Chain {
  S: number;
  R: number;
  nf: number;
  cf: Int32Array;
  st: Int32Array;
  mv: Uint8Array;
  base: Int32Array;
  Pin: Float64Array;
  out: Float64Array;
  self: Float64Array;
  succ: Int32Array;
  shocks: { k: number; state: number; p: number }[];
}

function buildChain(
  spec: ChainSpec,
  free: number[],
  held: Int32Array,
  stop: () => boolean = () => false,
): Chain | undefined {
  const { nFactors: n, counts, offsets, size: m, matrix, movable, beta } = spec;
  const nf = free.length;
  const cf = Int32Array.from(free.map((f) => counts[f]));
  const st = new Int32Array(nf);
  let S = 1;
  for (let k = nf - 1; k >= 0; k--) {
    st[k] = S;
    S *= cf[k];
  }
  const mv = Uint8Array.from(free.map((f) => movable[f]));
  const base = new Int32Array(nf);
  let R = 0;
  for (let k = 0; k < nf; k++) {
    base[k] = R;
    if (mv[k]) R += cf[k] - 1;
  }
  const Pin = new Float64Array(S * R);
  const out = new Float64Array(S);
  const self = new Float64Array(S);
  const succ = new Int32Array(S);
  const theta = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const s = Math.max(held[i], 0);
    const row = (offsets[i] + s) * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[row + c];
  }
  const z = new Int32Array(nf);
  const g = new Float64Array(R);
  const addRow = (f: number, s: number, sign: number) => {
    const row = (offsets[f] + s) * m;
    for (let c = 0; c < m; c++) theta[c] += sign * matrix[row + c];
  };
  for (let a = 0; a < S; a++) {
    if ((a & 0x1fff) === 0 && a > 0 && stop()) return undefined;
    let best = 0;
    let arg = -1;
    for (let k = 0, r = 0; k < nf; k++) {
      if (!mv[k]) continue;
      const j = free[k];
      const o = offsets[j];
      const cur = theta[o + z[k]];
      const bj = beta[j];
      for (let l = 0; l < cf[k]; l++) {
        if (l === z[k]) continue;
        const x = bj * (theta[o + l] - cur);
        g[r] = x;
        if (x > best) {
          best = x;
          arg = r;
        }
        r++;
      }
    }
    const stay = Math.exp(-best);
    let sum = 0;
    for (let r = 0; r < R; r++) {
      g[r] = Math.exp(g[r] - best);
      sum += g[r];
    }
    const total = stay + sum;
    out[a] = sum / total;
    self[a] = stay / total;
    succ[a] = a;
    for (let k = 0, r = 0; k < nf; k++) {
      if (!mv[k]) continue;
      const zk = z[k];
      for (let l = 0; l < cf[k]; l++) {
        if (l === zk) continue;
        const b = a + (l - zk) * st[k];
        Pin[b * R + base[k] + (zk < l ? zk : zk - 1)] = g[r] / total;
        if (r === arg) succ[a] = b;
        r++;
      }
    }
    for (let k = nf - 1; k >= 0; k--) {
      const f = free[k];
      if (z[k] + 1 < cf[k]) {
        addRow(f, z[k], -1);
        z[k]++;
        addRow(f, z[k], 1);
        break;
      }
      addRow(f, z[k], -1);
      z[k] = 0;
      addRow(f, 0, 1);
    }
  }
  const pos = new Map(free.map((f, k) => [f, k]));
  const shocks = spec.shocks
    .filter((s) => s.probability !== undefined && pos.has(s.factor))
    .map((s) => ({ k: pos.get(s.factor) as number, state: s.state, p: s.probability as number }));
  return { S, R, nf, cf, st, mv, base, Pin, out, self, succ, shocks };
}

/** Σ_{a ≠ b} x_a P(a → b) for scenario b with digits zs. */
function inflow(c: Chain, x: Float64Array, b: number, zs: Int32Array): number {
  const { nf, mv, cf, st, Pin } = c;
  let s = 0;
  let r = b * c.R;
  for (let k = 0; k < nf; k++) {
    if (!mv[k]) continue;
    const bk = zs[k];
    const sk = st[k];
    const o = b - bk * sk;
    for (let l = 0; l < cf[k]; l++) {
      if (l === bk) continue;
      s += x[o + l * sk] * Pin[r++];
    }
  }
  return s;
}

function inc(zs: Int32Array, cf: Int32Array): void {
  for (let k = zs.length - 1; k >= 0; k--) {
    if (++zs[k] < cf[k]) return;
    zs[k] = 0;
  }
}
function dec(zs: Int32Array, cf: Int32Array): void {
  for (let k = zs.length - 1; k >= 0; k--) {
    if (--zs[k] >= 0) return;
    zs[k] = cf[k] - 1;
  }
}

/** One Gauss–Seidel sweep on (I − Pᵀ)x = rhs (rhs null: 0), in place. */
function gsSweep(
  c: Chain,
  x: Float64Array,
  rhs: Float64Array | null,
  forward: boolean,
  zs: Int32Array,
): void {
  const { S, out, cf } = c;
  if (forward) zs.fill(0);
  else for (let k = 0; k < c.nf; k++) zs[k] = cf[k] - 1;
  for (let s = 0; s < S; s++) {
    const b = forward ? s : S - 1 - s;
    const o = out[b];
    if (o > 0) x[b] = ((rhs ? rhs[b] : 0) + inflow(c, x, b, zs)) / o;
    if (forward) inc(zs, cf);
    else dec(zs, cf);
  }
}

/** y = xT (move, then each probability shock in order). */
function applyT(c: Chain, x: Float64Array, y: Float64Array, zs: Int32Array, tmp: Float64Array): void {
  const { S, self, cf, st } = c;
  zs.fill(0);
  for (let b = 0; b < S; b++) {
    y[b] = x[b] * self[b] + inflow(c, x, b, zs);
    inc(zs, cf);
  }
  for (const sh of c.shocks) {
    tmp.fill(0);
    zs.fill(0);
    const sk = st[sh.k];
    for (let a = 0; a < S; a++) {
      const d = zs[sh.k];
      if (d !== sh.state && y[a] !== 0) {
        tmp[a + (sh.state - d) * sk] += sh.p * y[a];
        y[a] *= 1 - sh.p;
      }
      inc(zs, cf);
    }
    for (let a = 0; a < S; a++) y[a] += tmp[a];
  }
}

function normalise(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  for (let i = 0; i < x.length; i++) x[i] /= s;
}

/**
 * Stationary vector of a small irreducible row-stochastic matrix given by its off-diagonal
 * entries (row-major K×K; the diagonal is ignored), by GTH elimination. Overwrites C.
 */
export function gth(C: Float64Array, K: number): Float64Array {
  for (let n = K - 1; n > 0; n--) {
    let s = 0;
    for (let j = 0; j < n; j++) s += C[n * K + j];
    if (!(s > 0)) s = Number.MIN_VALUE;
    for (let i = 0; i < n; i++) C[i * K + n] /= s;
    for (let i = 0; i < n; i++) {
      const f = C[i * K + n];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) if (j !== i) C[i * K + j] += f * C[n * K + j];
    }
  }
  const x = new Float64Array(K);
  x[0] = 1;
  for (let j = 1; j < K; j++) {
    let s = 0;
    for (let i = 0; i < j; i++) s += x[i] * C[i * K + j];
    x[j] = s;
  }
  normalise(x);
  return x;
}

/** Basins of attraction of the successor map: aggregate per scenario, attractor per aggregate. */
function basinsOf(succ: Int32Array): { agg: Int32Array; attractor: number[]; cycle: number[] } {
  const S = succ.length;
  const agg = new Int32Array(S).fill(-1);
  const stamp = new Int32Array(S).fill(-1);
  const attractor: number[] = [];
  const cycle: number[] = [];
  const path: number[] = [];
  for (let a0 = 0; a0 < S; a0++) {
    if (agg[a0] >= 0) continue;
    path.length = 0;
    let a = a0;
    while (agg[a] < 0 && stamp[a] !== a0) {
      stamp[a] = a0;
      path.push(a);
      a = succ[a];
    }
    let label: number;
    if (agg[a] >= 0) label = agg[a];
    else {
      // a is on the current path: a new attractor (fixed point or cycle) starting at a.
      label = attractor.length;
      let len = 1;
      let least = a;
      for (let b = succ[a]; b !== a; b = succ[b]) {
        len++;
        if (b < least) least = b;
      }
      attractor.push(least);
      cycle.push(len);
    }
    for (const b of path) agg[b] = label;
  }
  return { agg, attractor, cycle };
}

/** Solves πT = π exactly on the sparse matrix (see the file comment). */
export function solveExact(spec: ChainSpec, opts: ExactOptions = {}): ExactSolution {
  const t0 = performance.now();
  const { free, held } = solvedSpace(spec);
  const c = buildChain(spec, free, held, () => opts.shouldStop?.() === true || opts.signal?.aborted === true);
  const buildMs = performance.now() - t0;
  if (!c) {
    // Stopped while building: the solver's start (uniform), not an iterate.
    const S = free.reduce((n, f) => n * spec.counts[f], 1);
    return {
      pi: new Float64Array(S).fill(1 / S),
      free,
      held,
      solver: opts.solver && opts.solver !== "auto" ? opts.solver : "iad",
      iterations: 0,
      passes: 0,
      residual: Number.POSITIVE_INFINITY,
      converged: false,
      bytes: S * 8,
      buildMs,
      solveMs: 0,
      basins: [],
    };
  }
  const t1 = performance.now();
  const s = startSolve(c, opts);
  let solver: ExactMethod =
    opts.solver && opts.solver !== "auto" ? opts.solver : s.hasShocks ? "gmres" : "iad";
  if (solver === "iad" && s.hasShocks) solver = "gmres";
  const { agg, attractor, cycle } = basinsOf(c.succ);
  s.bytes += agg.byteLength;
  if (solver === "iad") solveIad(s, agg, attractor.length, opts.maxIterations ?? 500);
  else if (solver === "gmres") solveGmres(s, Math.max(2, opts.restart ?? 20), opts.maxIterations ?? 2000);
  else solveGaussSeidel(s, opts.maxIterations ?? 3000);
  clipNegatives(s);
  const { pi } = s;
  const K = attractor.length;
  const mass = new Float64Array(K);
  const size = new Float64Array(K);
  for (let b = 0; b < c.S; b++) {
    mass[agg[b]] += pi[b];
    size[agg[b]]++;
  }
  const basins = attractor
    .map((a, I) => ({ attractor: a, cycle: cycle[I], size: size[I], p: mass[I] }))
    .sort((p, q) => q.p - p.p || p.attractor - q.attractor);
  return {
    pi,
    free,
    held,
    solver,
    iterations: s.iterations,
    passes: s.passes,
    residual: s.residual,
    converged: s.residual < s.tol,
    bytes: s.bytes,
    buildMs,
    solveMs: performance.now() - t1,
    basins,
  };
}

/**
 * The solved space (see the file comment): the free factors (several states, and succession-
 * movable or, unless fixed, probability-shocked); every other factor held at its fixed state,
 * else its start state.
 */
function solvedSpace(spec: ChainSpec): { free: number[]; held: Int32Array } {
  const n = spec.nFactors;
  const held = new Int32Array(n).fill(-1);
  const free: number[] = [];
  for (let f = 0; f < n; f++) {
    const shocked = spec.shocks.some((s) => s.factor === f && s.probability !== undefined);
    if (spec.counts[f] > 1 && (spec.movable[f] || (shocked && spec.fixed[f] < 0))) free.push(f);
    else held[f] = spec.fixed[f] >= 0 ? spec.fixed[f] : spec.start[f];
  }
  return { free, held };
}

/** A solve in progress: the chain, the iterate and its scratch vectors, the counters. */
interface Solve {
  c: Chain;
  /** The iterate π (uniform at the start), updated in place. */
  pi: Float64Array;
  /** Odometer digits of the passes over the matrix. */
  zs: Int32Array;
  /** πT after residual() when there are probability shocks. */
  y: Float64Array;
  /** Scratch of the probability shocks in applyT (y itself when there are none). */
  tmp: Float64Array;
  hasShocks: boolean;
  tol: number;
  signal?: AbortSignal;
  onProgress?: ExactOptions["onProgress"];
  /** Outer iterations, passes over the matrix, last residual, bytes (see ExactSolution). */
  iterations: number;
  passes: number;
  residual: number;
  bytes: number;
}

/** A solve from the uniform distribution, with the matrix's and the vectors' bytes counted. */
function startSolve(c: Chain, opts: ExactOptions): Solve {
  const { S } = c;
  const hasShocks = c.shocks.length > 0;
  const pi = new Float64Array(S).fill(1 / S);
  const y = new Float64Array(S);
  const tmp = hasShocks ? new Float64Array(S) : y;
  let bytes = c.Pin.byteLength + c.out.byteLength + c.self.byteLength + c.succ.byteLength + pi.byteLength;
  bytes += y.byteLength + (hasShocks ? tmp.byteLength : 0);
  return {
    c,
    pi,
    zs: new Int32Array(c.nf),
    y,
    tmp,
    hasShocks,
    tol: opts.tolerance ?? 1e-10,
    signal: opts.signal,
    onProgress: opts.onProgress,
    iterations: 0,
    passes: 0,
    residual: Number.POSITIVE_INFINITY,
    bytes,
  };
}

/** Reports progress: iterations done of `total`, and the last residual. */
function progress(s: Solve, total: number): void {
  s.onProgress?.({ done: s.iterations, total, residual: s.residual });
}

/** ‖xT − x‖₁, one pass over the matrix (with probability shocks, s.y = xT). */
function residualOf(s: Solve, x: Float64Array): number {
  const { c, zs, y } = s;
  const { S } = c;
  s.passes++;
  if (!s.hasShocks) {
    // Σ_b |inflow_b − out_b x_b|: no cancellation against the large self-loop term.
    let d = 0;
    zs.fill(0);
    for (let b = 0; b < S; b++) {
      d += Math.abs(inflow(c, x, b, zs) - c.out[b] * x[b]);
      inc(zs, c.cf);
    }
    return d;
  }
  applyT(c, x, y, zs, s.tmp);
  let d = 0;
  for (let b = 0; b < S; b++) d += Math.abs(y[b] - x[b]);
  return d;
}

/** One forward and one backward Gauss–Seidel sweep on (I − Pᵀ)π = 0, then renormalise. */
function smooth(s: Solve): void {
  gsSweep(s.c, s.pi, null, true, s.zs);
  gsSweep(s.c, s.pi, null, false, s.zs);
  s.passes += 2;
  normalise(s.pi);
}

/**
 * Iterative aggregation–disaggregation in the Koury–McAllister–Stewart form (Koury, McAllister
 * & Stewart 1984, SIAM J. Alg. Disc. Meth. 5:164–186; Stewart 1994, "Introduction to the
 * Numerical Solution of Markov Chains", ch. 6); the default without probability shocks.
 * Aggregates are the basins of attraction of the β → ∞ dynamics (agg, K of them; basinsOf: each
 * scenario's best single change, ties to the first in factor/state order; a scenario with no
 * positive gain is its own attractor; a cycle is one attractor): these are the metastable sets
 * that make point iterations stall. Each outer step: the coupling matrix
 * C_IJ = Σ_{a∈I} π_a P(a, J) / π_I is built from the cross-aggregate flows only (its diagonal
 * is never formed) and solved exactly by GTH (Grassmann, Taksar & Heyman 1985), π is rescaled
 * block-wise to the aggregate solution, then smoothed by forward + backward Gauss–Seidel
 * sweeps. Deliberately different from KMS: point Gauss–Seidel sweeps instead of exact block
 * solves (basins hold up to ~10^5 scenarios), and the residual and the coupling matrix are
 * computed in the same pass over the matrix (couplingPass).
 */
function solveIad(s: Solve, agg: Int32Array, K: number, maxIt: number): void {
  const Cm = new Float64Array(K * K);
  const piI = new Float64Array(K);
  s.bytes += Cm.byteLength * 2 + piI.byteLength;
  const { pi } = s;
  const { S } = s.c;
  while (!s.signal?.aborted) {
    s.residual = couplingPass(s, agg, K, Cm, piI);
    s.passes++;
    progress(s, maxIt);
    if (s.residual < s.tol || s.iterations >= maxIt) break;
    s.iterations++;
    for (let I = 0; I < K; I++) {
      const p = piI[I];
      for (let J = 0; J < K; J++) Cm[I * K + J] = p > 0 ? Cm[I * K + J] / p : 0;
    }
    const xi = K > 1 ? gth(Cm, K) : Float64Array.of(1);
    for (let b = 0; b < S; b++) {
      const I = agg[b];
      pi[b] *= piI[I] > 0 ? xi[I] / piI[I] : 0;
    }
    smooth(s);
  }
}

/**
 * One pass over the matrix for IAD: returns the residual Σ_b |inflow_b − out_b π_b| and fills
 * piI (π_I, the aggregates' masses) and Cm (the flows Σ_{a∈I} π_a P(a, b∈J) for I ≠ J).
 */
function couplingPass(s: Solve, agg: Int32Array, K: number, Cm: Float64Array, piI: Float64Array): number {
  const { pi, zs } = s;
  const { S, cf, nf, mv, st, Pin, R, out } = s.c;
  Cm.fill(0);
  piI.fill(0);
  zs.fill(0);
  let d = 0;
  for (let b = 0; b < S; b++) {
    const J = agg[b];
    piI[J] += pi[b];
    let sum = 0;
    let r = b * R;
    for (let k = 0; k < nf; k++) {
      if (!mv[k]) continue;
      const bk = zs[k];
      const sk = st[k];
      const o = b - bk * sk;
      for (let l = 0; l < cf[k]; l++) {
        if (l === bk) continue;
        const a = o + l * sk;
        const f = pi[a] * Pin[r++];
        sum += f;
        const I = agg[a];
        if (I !== J) Cm[I * K + J] += f;
      }
    }
    d += Math.abs(sum - out[b] * pi[b]);
    inc(zs, cf);
  }
  return d;
}

/**
 * Restarted GMRES(m) (Saad & Schultz 1986, SIAM J. Sci. Stat. Comput. 7:856–869) on
 * (I − Tᵀ)d = r with right preconditioning by a symmetric Gauss–Seidel sweep of the succession
 * part (I − Pᵀ); x ← x + d and renormalise after each cycle. The default with probability
 * shocks, whose two-factor jumps have no pull form. The singular system is consistent and
 * GMRES only needs the few metastable eigenvalues resolved by the Krylov space.
 */
function solveGmres(s: Solve, m: number, maxIt: number): void {
  const { c, pi, zs, y, tmp } = s;
  const { S } = c;
  const V = Array.from({ length: m + 1 }, () => new Float64Array(S));
  const z = new Float64Array(S);
  const w = new Float64Array(S);
  s.bytes += (m + 3) * S * 8;
  const H = new Float64Array((m + 1) * m);
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const gv = new Float64Array(m + 1);
  // A v = v − vT; M⁻¹ v = one symmetric Gauss–Seidel sweep on (I − Pᵀ)z = v from z = 0.
  const applyA = (v: Float64Array, outv: Float64Array) => {
    applyT(c, v, outv, zs, tmp);
    s.passes++;
    for (let b = 0; b < S; b++) outv[b] = v[b] - outv[b];
  };
  const precond = (v: Float64Array, outv: Float64Array) => {
    outv.fill(0);
    gsSweep(c, outv, v, true, zs);
    gsSweep(c, outv, v, false, zs);
    s.passes += 2;
  };
  // Start from a few Gauss–Seidel sweeps (cheap, removes the fast modes).
  smooth(s);
  while (!s.signal?.aborted) {
    // r = πT − π = −Aπ.
    s.residual = residualOf(s, pi);
    progress(s, maxIt);
    if (s.residual < s.tol || s.iterations >= maxIt) break;
    const r0 = V[0];
    if (s.hasShocks) for (let b = 0; b < S; b++) r0[b] = y[b] - pi[b];
    else {
      applyT(c, pi, r0, zs, tmp);
      s.passes++;
      for (let b = 0; b < S; b++) r0[b] -= pi[b];
    }
    const beta0 = Math.sqrt(dot(r0, r0, S));
    for (let b = 0; b < S; b++) r0[b] /= beta0;
    gv.fill(0);
    gv[0] = beta0;
    // Arnoldi steps with Givens rotations, until the restart, the budget or convergence.
    let j = 0;
    for (; j < m && s.iterations < maxIt && !s.signal?.aborted; j++) {
      s.iterations++;
      precond(V[j], z);
      applyA(z, w);
      for (let i = 0; i <= j; i++) {
        const h = dot(w, V[i], S);
        H[i * m + j] = h;
        const vi = V[i];
        for (let b = 0; b < S; b++) w[b] -= h * vi[b];
      }
      const hn = Math.sqrt(dot(w, w, S));
      H[(j + 1) * m + j] = hn;
      if (hn > 0) for (let b = 0; b < S; b++) V[j + 1][b] = w[b] / hn;
      givens(H, m, j, cs, sn, gv);
      if (hn === 0 || Math.abs(gv[j + 1]) < 1e-3 * s.tol) {
        j++;
        break;
      }
    }
    // y = H⁻¹g (upper triangular j×j); d = M⁻¹ V y.
    const yv = backSubstitute(H, m, j, gv);
    w.fill(0);
    for (let i = 0; i < j; i++) {
      const vi = V[i];
      const yi = yv[i];
      for (let b = 0; b < S; b++) w[b] += yi * vi[b];
    }
    precond(w, z);
    for (let b = 0; b < S; b++) pi[b] += z[b];
    normalise(pi);
  }
}

/** Σ_{i<S} a_i b_i. */
function dot(a: Float64Array, b: Float64Array, S: number): number {
  let s = 0;
  for (let i = 0; i < S; i++) s += a[i] * b[i];
  return s;
}

/**
 * GMRES: applies the previous Givens rotations to column j of the Hessenberg matrix H (row-
 * major, m columns), then the new one that zeroes H[j+1][j], rotating the residual vector gv.
 */
function givens(
  H: Float64Array,
  m: number,
  j: number,
  cs: Float64Array,
  sn: Float64Array,
  gv: Float64Array,
): void {
  for (let i = 0; i < j; i++) {
    const a = H[i * m + j];
    const b2 = H[(i + 1) * m + j];
    H[i * m + j] = cs[i] * a + sn[i] * b2;
    H[(i + 1) * m + j] = -sn[i] * a + cs[i] * b2;
  }
  const a = H[j * m + j];
  const b2 = H[(j + 1) * m + j];
  const rr = Math.hypot(a, b2);
  cs[j] = rr > 0 ? a / rr : 1;
  sn[j] = rr > 0 ? b2 / rr : 0;
  H[j * m + j] = rr;
  H[(j + 1) * m + j] = 0;
  gv[j + 1] = -sn[j] * gv[j];
  gv[j] = cs[j] * gv[j];
}

/** GMRES: y = H⁻¹g for the leading upper-triangular j×j block of H (a zero pivot gives 0). */
function backSubstitute(H: Float64Array, m: number, j: number, gv: Float64Array): Float64Array {
  const yv = new Float64Array(j);
  for (let i = j - 1; i >= 0; i--) {
    let s = gv[i];
    for (let k = i + 1; k < j; k++) s -= H[i * m + k] * yv[k];
    yv[i] = H[i * m + i] !== 0 ? s / H[i * m + i] : 0;
  }
  return yv;
}

/**
 * The former solver, kept for comparison: forward + backward Gauss–Seidel sweeps in pull form
 * with renormalisation, the residual every 10 sweeps (its slowest-mode extrapolation compared a
 * snapshot with itself and never fired, so it is gone); with probability shocks, power
 * iteration of T.
 */
function solveGaussSeidel(s: Solve, maxIt: number): void {
  if (s.hasShocks) {
    while (!s.signal?.aborted) {
      s.residual = residualOf(s, s.pi);
      progress(s, maxIt);
      if (s.residual < s.tol || s.iterations >= maxIt) break;
      s.pi.set(s.y);
      s.iterations++;
    }
    return;
  }
  while (!s.signal?.aborted) {
    if (s.iterations % 10 === 0) {
      s.residual = residualOf(s, s.pi);
      progress(s, maxIt);
      if (s.residual < s.tol || s.iterations >= maxIt) break;
    }
    smooth(s);
    s.iterations += 2;
  }
}

/** Clips round-off negatives (GMRES) and renormalises; the residual is then of the result. */
function clipNegatives(s: Solve): void {
  const { pi } = s;
  let clipped = false;
  for (let b = 0; b < pi.length; b++)
    if (pi[b] < 0) {
      pi[b] = 0;
      clipped = true;
    }
  if (clipped) {
    normalise(pi);
    s.residual = residualOf(s, pi);
  }
}
