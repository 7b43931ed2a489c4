// Cross-Impact Balance (CIB) — shared core: the effective matrix, scenario indexing and the
// score formulas of Weimer-Jehle (2006), "Cross-impact balances: a system-theoretical approach
// to cross-impact analysis", TFSC 73:334–361, as written in /shared/design/cib-method.md.
//
//   θ_{j,l}(z) = Σ_i C[(i,z_i),(j,l)]                   impact balance (impact score)
//   IC_j(z)    = max_l θ_{j,l}(z) − θ_{j,z_j}(z)         factor inconsistency
//   IC(z)      = max_j IC_j(z)                           scenario inconsistency (0 ⇔ consistent)
//   CV(z)      = min_j [θ_{j,z_j} − max_{l≠z_j} θ_{j,l}]  consistency value (≥ 0 ⇔ consistent)
//   TIS(z)     = Σ_j θ_{j,z_j}(z)                        total impact score
//
// Self-impacts (same-factor blocks) are summed by default, as ScenarioWizard does; the option
// `ignoreSelfImpacts` zeroes them. A factor with a single state has no rival: its CV term is
// skipped (CV of a scenario where every factor has one state is reported as 0).

import type { CompiledModel } from "../model/compiled.js";

/** Options shared by every CIB engine function. */
export interface CibOptions {
  /** Zero the same-factor (self-impact) blocks before scoring. Default false (sum them). */
  ignoreSelfImpacts?: boolean;
  /** Use this M×M matrix instead of model.matrix (ensembles, sensitivity). */
  matrix?: Int32Array;
}

/** A scenario: the 0-based state index within each factor, length N. */
export type Scenario = ArrayLike<number>;

/** The dense view an engine works on: counts, offsets and the effective matrix. */
export interface Prepared {
  n: number;
  m: number;
  counts: Int32Array;
  offsets: Int32Array;
  factorOf: Int32Array;
  /** Effective M×M matrix (self-impact blocks zeroed when asked). */
  matrix: Int32Array;
  scale: { min: number; max: number };
}

/** Builds the effective matrix for the options (copies only when self-impacts are zeroed). */
export function prepare(model: CompiledModel, opts: CibOptions = {}): Prepared {
  const m = model.size;
  const src = opts.matrix ?? model.matrix;
  if (src.length !== m * m) throw new Error(`matrix has ${src.length} cells, expected ${m * m}`);
  let matrix = src;
  if (opts.ignoreSelfImpacts) {
    matrix = Int32Array.from(src);
    for (let f = 0; f < model.nFactors; f++) {
      const a = model.offsets[f];
      const b = model.offsets[f + 1];
      for (let r = a; r < b; r++) for (let c = a; c < b; c++) matrix[r * m + c] = 0;
    }
  }
  return {
    n: model.nFactors,
    m,
    counts: model.counts,
    offsets: model.offsets,
    factorOf: model.factorOf,
    matrix,
    scale: model.scale,
  };
}

/** What a part carries of the prepared model to another thread or machine (factorOf is rebuilt). */
export type PreparedFields = Omit<Prepared, "factorOf">;

/** The fields a part carries (preparedFields) and the prepared form back from them (preparedFrom). */
export const preparedFields = (p: Prepared): PreparedFields => ({
  n: p.n,
  m: p.m,
  counts: p.counts,
  offsets: p.offsets,
  matrix: p.matrix,
  scale: p.scale,
});

export function preparedFrom(t: PreparedFields): Prepared {
  const factorOf = new Int32Array(t.m);
  for (let f = 0; f < t.n; f++) factorOf.fill(f, t.offsets[f], t.offsets[f + 1]);
  return { n: t.n, m: t.m, counts: t.counts, offsets: t.offsets, factorOf, matrix: t.matrix, scale: t.scale };
}

/** Throws a clear error when a scenario does not fit the model. */
export function checkScenario(p: Prepared, z: Scenario): void {
  if (z.length !== p.n) throw new Error(`scenario has ${z.length} states, expected ${p.n} (one per factor)`);
  for (let i = 0; i < p.n; i++) {
    const s = z[i];
    if (!Number.isInteger(s) || s < 0 || s >= p.counts[i])
      throw new Error(`scenario factor ${i}: state ${s} is out of range 0..${p.counts[i] - 1}`);
  }
}

/** θ for every state (length M) into `out`: the sum of the rows the scenario selects. */
export function balanceInto(p: Prepared, z: Scenario, out: Int32Array): Int32Array {
  const { m, matrix, offsets, n } = p;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const row = (offsets[i] + z[i]) * m;
    for (let c = 0; c < m; c++) out[c] += matrix[row + c];
  }
  return out;
}

/** Scores of one scenario. */
export interface ScenarioScores {
  /** states[i] = 0-based state of factor i. */
  states: number[];
  /** balance[i][l] = θ_{i,l}: the impact balance of every state of every factor. */
  balance: number[][];
  /** IC_i per factor. */
  factorInconsistency: number[];
  /** IC(z) = max_i IC_i. */
  inconsistency: number;
  consistent: boolean;
  /** CV(z) = min_i (θ chosen − best rival). */
  cv: number;
  /** TIS(z) = Σ_i θ chosen. */
  tis: number;
}

/** All the scores of one scenario (θ, IC_j, IC, CV, TIS). */
export function scoreScenario(model: CompiledModel, z: Scenario, opts: CibOptions = {}): ScenarioScores {
  const p = prepare(model, opts);
  checkScenario(p, z);
  const theta = balanceInto(p, z, new Int32Array(p.m));
  const balance: number[][] = [];
  const factorInconsistency: number[] = [];
  let ic = 0;
  let tis = 0;
  let cv = Number.POSITIVE_INFINITY;
  for (let i = 0; i < p.n; i++) {
    const a = p.offsets[i];
    const k = z[i];
    const chosen = theta[a + k];
    let best = Number.NEGATIVE_INFINITY;
    let rival = Number.NEGATIVE_INFINITY;
    const row: number[] = [];
    for (let l = 0; l < p.counts[i]; l++) {
      const t = theta[a + l];
      row.push(t);
      if (t > best) best = t;
      if (l !== k && t > rival) rival = t;
    }
    balance.push(row);
    factorInconsistency.push(best - chosen);
    if (best - chosen > ic) ic = best - chosen;
    tis += chosen;
    if (p.counts[i] > 1 && chosen - rival < cv) cv = chosen - rival;
  }
  if (cv === Number.POSITIVE_INFINITY) cv = 0;
  return {
    states: Array.from(z),
    balance,
    factorInconsistency,
    inconsistency: ic,
    consistent: ic === 0,
    cv,
    tis,
  };
}

/** Short scores (IC, CV, TIS) from a θ vector already computed for z. */
export function summarize(
  p: Prepared,
  z: ArrayLike<number>,
  theta: Int32Array,
): { inconsistency: number; cv: number; tis: number } {
  let ic = 0;
  let tis = 0;
  let cv = Number.POSITIVE_INFINITY;
  for (let i = 0; i < p.n; i++) {
    const a = p.offsets[i];
    const k = z[i];
    const chosen = theta[a + k];
    let best = Number.NEGATIVE_INFINITY;
    let rival = Number.NEGATIVE_INFINITY;
    for (let l = 0; l < p.counts[i]; l++) {
      const t = theta[a + l];
      if (t > best) best = t;
      if (l !== k && t > rival) rival = t;
    }
    if (best - chosen > ic) ic = best - chosen;
    tis += chosen;
    if (p.counts[i] > 1 && chosen - rival < cv) cv = chosen - rival;
  }
  if (cv === Number.POSITIVE_INFINITY) cv = 0;
  return { inconsistency: ic, cv, tis };
}

/** Space size Π m_i as a BigInt. */
export function spaceSizeOf(counts: ArrayLike<number>): bigint {
  let s = 1n;
  for (let i = 0; i < counts.length; i++) s *= BigInt(counts[i]);
  return s;
}

/** Mixed-radix index of a scenario, factor 0 most significant (odometer order). */
export function scenarioIndex(counts: ArrayLike<number>, z: ArrayLike<number>): number {
  let idx = 0;
  for (let i = 0; i < counts.length; i++) idx = idx * counts[i] + z[i];
  return idx;
}

/** Inverse of scenarioIndex. */
export function scenarioAt(counts: ArrayLike<number>, idx: number, out?: Int32Array): Int32Array {
  const n = counts.length;
  const z = out ?? new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    z[i] = idx % counts[i];
    idx = Math.floor(idx / counts[i]);
  }
  return z;
}

/** A stable text key for a scenario ("0,2,1"), for sets and maps. */
export function scenarioKey(z: ArrayLike<number>): string {
  return Array.prototype.join.call(z, ",");
}

/** Lexicographic comparison of two scenarios. */
export function compareScenarios(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Cancellation and progress, shared by the long-running functions. */
export interface RunControl {
  /** Polled every few thousand steps; return true to stop (the result says complete: false). */
  shouldStop?: () => boolean;
  signal?: AbortSignal;
  /**
   * Called every few hundred thousand steps with the work done so far. Kernel searches add
   * `covered`: the share (0..1) of the search space already settled (searched or pruned) by the
   * basic bound, a basis for a percentage and a rough time estimate.
   */
  onProgress?: (p: { done: number; total?: number; elapsedMs: number; covered?: number }) => void;
}

export function stopRequested(c: RunControl): boolean {
  return (c.signal?.aborted ?? false) || (c.shouldStop ? c.shouldStop() : false);
}

/** Monotonic milliseconds. */
export function nowMs(): number {
  return performance.now();
}
