// The dense form of a model that every engine reads: state indices, offsets per factor and
// an M×M integer impact matrix. Engines never look up strings in hot loops; they work on
// these typed arrays and map indices back to ids and names only when rendering results.
import { resolveTempo } from "./tempo.js";
import { DEFAULT_BETA, type DynamicsMode } from "./types.js";

/** One analyst's (or one workshop group's) matrix, for ensemble analysis. */
export interface CompiledMember {
  id: string;
  /** M×M row-major, same layout as CompiledModel.matrix. */
  matrix: Int32Array;
}

export interface CompiledModel {
  /** sha256 (hex) of the model's canonical JSON form; identifies the model in every result. */
  hash: string;
  /** Number of factors N. */
  nFactors: number;
  /** Number of states per factor (m_i), length N. */
  counts: Int32Array;
  /** Index of each factor's first state, length N + 1 (offsets[N] = M). */
  offsets: Int32Array;
  /** Total number of states M = Σ m_i. */
  size: number;
  /** Factor index of each state, length M. */
  factorOf: Int32Array;
  /**
   * The cross-impact matrix C, M×M row-major: matrix[src * M + dst] is the judged effect of
   * state `src` (a factor being in that state) on state `dst`. Same-factor blocks are kept as
   * given (normally zero).
   */
  matrix: Int32Array;
  /** Whether any same-factor (self-impact) block holds a non-zero cell. */
  hasSelfImpacts: boolean;
  /** Declared scale of the judgments (default −3..+3). */
  scale: { min: number; max: number };
  factorIds: string[];
  factorNames: string[];
  factorShort: string[];
  /** stateIds[i][k]: id of state k of factor i. */
  stateIds: string[][];
  stateLabels: string[][];
  stateShort: string[][];
  /** Whether each factor is exogenous (driven from outside the system). */
  exogenous: boolean[];
  /**
   * For each non-zero cell, the indices of the model's impacts that produced it (several when
   * judgments by several authors, or several entries, sum into one cell). Key: src * M + dst.
   */
  cellImpacts: Map<number, number[]>;
  /** Per-author matrices when the model's impacts carry an `author`; empty otherwise. */
  members: CompiledMember[];
  /** Each factor's `current` state index as of asOf, −1 where the model gives none. */
  current?: Int32Array;
  /** Responsiveness β per factor (the model's overrides, else its β, else the default). */
  beta?: Float64Array;
  /** Exogenous shocks, resolved to factor and state indices. */
  shocks?: CompiledShock[];
  /**
   * Judgment uncertainty: standard deviation of each cell (M×M, same layout as `matrix`), from
   * the confidence codes of the impacts that give it (variances add when several do); 0 for
   * cells that no impact gives.
   */
  spread?: Float64Array;
  /**
   * How the probability engine moves: `continuous` (default; every factor at its rate, in
   * calendar time) or `succession` (the stepwise CIB succession, one change per step).
   */
  mode: DynamicsMode;
  /** Revisit rate of each factor, per day (the model's tempo, else DEFAULT_RATE per unit). */
  rates: Float64Array;
  /** 90 % prior range of each factor's rate, per day: [low₀, high₀, low₁, high₁, …]. */
  rateRange: Float64Array;
  /** 90 % prior range of the model's β (its 5 % and 95 % quantiles). */
  betaRange: [number, number];
}

/** An exogenous shock: factor `factor` switches to `state` with `probability` per step, or at step `at`. */
export interface CompiledShock {
  factor: number;
  state: number;
  probability?: number;
  at?: number;
}

export interface Descriptor {
  name: string;
  variants: string[];
}

/** Space size Π m_i as a BigInt (real models exceed 2^53). */
export function spaceSize(counts: ArrayLike<number>): bigint {
  let s = 1n;
  for (let i = 0; i < counts.length; i++) s *= BigInt(counts[i]);
  return s;
}

/**
 * Builds a CompiledModel straight from descriptors and a square matrix (rows = source states,
 * columns = target states, states ordered factor by factor). Used by importers and tests that
 * start from a bare matrix rather than a model file.
 */
export function compileMatrix(
  descriptors: Descriptor[],
  rows: ArrayLike<ArrayLike<number>>,
  opts: { hash?: string; scale?: { min: number; max: number } } = {},
): CompiledModel {
  const n = descriptors.length;
  const counts = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    counts[i] = descriptors[i].variants.length;
    offsets[i + 1] = offsets[i] + counts[i];
  }
  const size = offsets[n];
  if (rows.length !== size) throw new Error(`matrix has ${rows.length} rows, expected ${size}`);
  const factorOf = new Int32Array(size);
  for (let i = 0; i < n; i++) for (let k = offsets[i]; k < offsets[i + 1]; k++) factorOf[k] = i;
  const matrix = new Int32Array(size * size);
  let hasSelfImpacts = false;
  let lo = 0;
  let hi = 0;
  for (let r = 0; r < size; r++) {
    const row = rows[r];
    if (row.length !== size) throw new Error(`matrix row ${r + 1} has ${row.length} cells, expected ${size}`);
    for (let c = 0; c < size; c++) {
      const v = row[c];
      if (!Number.isInteger(v)) throw new Error(`matrix cell (${r + 1}, ${c + 1}) is not an integer: ${v}`);
      matrix[r * size + c] = v;
      if (v !== 0 && factorOf[r] === factorOf[c]) hasSelfImpacts = true;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const bound = Math.max(3, -lo, hi);
  const ids = descriptors.map((d, i) => d.name || `f${i + 1}`);
  const scale = opts.scale ?? { min: -bound, max: bound };
  const tempo = resolveTempo(
    { factors: ids.map((id) => ({ id })) },
    (DEFAULT_BETA * 3) / Math.max(-scale.min, scale.max),
  );
  return {
    hash: opts.hash ?? "",
    nFactors: n,
    counts,
    offsets,
    size,
    factorOf,
    matrix,
    hasSelfImpacts,
    scale,
    factorIds: ids,
    factorNames: ids.slice(),
    factorShort: ids.slice(),
    stateIds: descriptors.map((d) => d.variants.map((v, k) => v || `s${k + 1}`)),
    stateLabels: descriptors.map((d) => d.variants.slice()),
    stateShort: descriptors.map((d) => d.variants.slice()),
    exogenous: descriptors.map(() => false),
    cellImpacts: new Map(),
    members: [],
    ...tempo,
  };
}
