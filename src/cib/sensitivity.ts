// CIB judgment sensitivity — which single judgments the kernel hangs on.
//
// Method: for each judgment cell (by default the non-zero ones; optionally every cell in an
// active judgment group, i.e. a source state's row within a target factor holding a non-zero
// cell), change it by +step and −step (skipped when that leaves the judgment scale) and
// compare the kernel with the original one. Not in the reference (Weimer-Jehle 2006); a
// local robustness analysis in the spirit of his sensitivity discussions.
//
// Fast and exact: a change to cell (i,a)→(j,b) by δ alters only θ_{j,b}, and only in scenarios
// with z_i = a, so it moves IC_j by at most |δ| and leaves every other IC_j' unchanged. Hence
// every scenario consistent after the change has IC ≤ |δ| before it, and every scenario that
// vanishes was consistent. One exact search with tolerance |δ| gives all candidates; each
// change is then decided by re-scoring factor j of the candidates with z_i = a. (The "rerun"
// method re-runs the kernel search per change; tests check both agree.)

import type { CompiledModel } from "../model/compiled.js";
import {
  balanceInto,
  type CibOptions,
  compareScenarios,
  nowMs,
  prepare,
  type RunControl,
  stopRequested,
} from "./core.js";
import { findKernel } from "./kernel.js";

export interface SensitivityChange {
  /** Global state indices of the cell (row = source, column = target). */
  source: number;
  target: number;
  sourceFactor: number;
  sourceState: number;
  targetFactor: number;
  targetState: number;
  from: number;
  to: number;
  delta: number;
  /** Scenarios consistent after the change that were not before. */
  appear: number[][];
  /** Scenarios consistent before that are not after. */
  vanish: number[][];
  /** Model impacts behind the cell (CompiledModel.cellImpacts). */
  impacts: number[];
}

export interface SensitivityResult {
  kind: "cib.sensitivity";
  step: number;
  method: "candidates" | "rerun";
  /** The original kernel (consistent scenarios). */
  kernel: number[][];
  /** Cells whose changes were tested (all of them unless stopped; then the first ones, in order). */
  cellsTested: number;
  changesTested: number;
  /** Changes skipped because the new value would leave the judgment scale. */
  changesClipped: number;
  /** Only the changes that alter the kernel, in row-major cell order, −step before +step. */
  changes: SensitivityChange[];
  /** For each kernel scenario (same order as `kernel`), how many tested changes remove it. */
  fragility: number[];
  /** Candidate scenarios re-scored (IC ≤ step), method "candidates". */
  candidates: number;
  /**
   * False when stopped: `kernel` is what the base search found, and `changes`, `fragility` and
   * the counts cover the first `cellsTested` cells only.
   */
  complete: boolean;
  elapsedMs: number;
}

export interface SensitivityOptions extends CibOptions, RunControl {
  /** Size of the change (default 1). */
  step?: number;
  /** Also test zero cells inside active judgment groups (default false). */
  includeActiveGroups?: boolean;
  /** "candidates" (default, exact and fast) or "rerun" (a full kernel search per change). */
  method?: "candidates" | "rerun";
}

/** Which single ±step judgment changes alter the kernel. */
export function judgmentSensitivity(model: CompiledModel, opts: SensitivityOptions = {}): SensitivityResult {
  const start = nowMs();
  const step = opts.step ?? 1;
  if (!Number.isInteger(step) || step < 1) throw new Error(`step must be a positive integer, got ${step}`);
  const method = opts.method ?? "candidates";
  const p = prepare(model, opts);
  const { n, m, counts, offsets, factorOf, matrix } = p;
  const self = !opts.ignoreSelfImpacts;
  const base = findKernel(model, { ...opts, tolerance: 0, matrix, ignoreSelfImpacts: false });
  const kernel = base.scenarios.map((s) => s.states);
  const kernelKeys = new Map(kernel.map((s, i) => [s.join(","), i]));
  // cells to test
  const cells: number[] = [];
  for (let r = 0; r < m; r++) {
    const i = factorOf[r];
    for (let j = 0; j < n; j++) {
      if (i === j && !self) continue;
      let active = false;
      for (let c = offsets[j]; c < offsets[j + 1]; c++) if (matrix[r * m + c] !== 0) active = true;
      if (!active) continue;
      for (let c = offsets[j]; c < offsets[j + 1]; c++)
        if (matrix[r * m + c] !== 0 || opts.includeActiveGroups) cells.push(r * m + c);
    }
  }
  // candidates: every scenario with IC ≤ step, with its θ and factor ICs
  let candidatesStopped = false;
  let cand: { states: Int32Array; theta: Int32Array; ic: Int32Array; offCount: number }[] = [];
  if (method === "candidates") {
    const tol = findKernel(model, {
      ...opts,
      tolerance: step,
      matrix,
      ignoreSelfImpacts: false,
      maxScenarios: 5_000_000,
    });
    // A stopped candidate search leaves candidates out: no change can be decided.
    if (!tol.complete) candidatesStopped = true;
    else if (tol.truncated)
      throw new Error(`sensitivity: ${tol.count} candidate scenarios; use method "rerun"`);
    cand = tol.scenarios.map((s) => {
      const z = Int32Array.from(s.states);
      const theta = balanceInto(p, z, new Int32Array(m));
      const ic = new Int32Array(n);
      let offCount = 0;
      for (let f = 0; f < n; f++) {
        let best = theta[offsets[f]];
        for (let l = 1; l < counts[f]; l++) best = Math.max(best, theta[offsets[f] + l]);
        ic[f] = best - theta[offsets[f] + z[f]];
        if (ic[f] > 0) offCount++;
      }
      return { states: z, theta, ic, offCount };
    });
  }
  // candidates by row: byRow[r] = candidates with z_{factorOf r} = r − offset
  const byRow: number[][] = Array.from({ length: m }, () => []);
  cand.forEach((c, idx) => {
    for (let f = 0; f < n; f++) byRow[offsets[f] + c.states[f]].push(idx);
  });
  const changes: SensitivityChange[] = [];
  const fragility = new Array(kernel.length).fill(0);
  let tested = 0;
  let clipped = 0;
  let stopped = !base.complete || candidatesStopped;
  let cellsDone = 0;
  const work = Int32Array.from(matrix);
  for (const cell of cells) {
    if (stopped || stopRequested(opts)) {
      stopped = true;
      break;
    }
    const r = Math.floor(cell / m);
    const c = cell % m;
    const i = factorOf[r];
    const j = factorOf[c];
    const b = c - offsets[j];
    // A cell's outcome is kept only once both its changes are decided.
    const mark = { changes: changes.length, tested, clipped, fragility: fragility.slice() };
    for (const delta of [-step, step]) {
      const from = matrix[cell];
      const to = from + delta;
      if (to < p.scale.min || to > p.scale.max) {
        clipped++;
        continue;
      }
      tested++;
      let appear: number[][] = [];
      let vanish: number[][] = [];
      if (method === "rerun") {
        work[cell] = to;
        const k2 = findKernel(model, { ...opts, matrix: work, ignoreSelfImpacts: false });
        work[cell] = from;
        if (!k2.complete) {
          // stopped inside this change's search: the cell is left out (not half-decided)
          stopped = true;
          break;
        }
        const keys2 = new Set(k2.scenarios.map((s) => s.states.join(",")));
        appear = k2.scenarios.filter((s) => !kernelKeys.has(s.states.join(","))).map((s) => s.states);
        vanish = kernel.filter((s) => !keys2.has(s.join(",")));
      } else {
        for (const idx of byRow[r]) {
          const cd = cand[idx];
          // new IC_j with θ_{j,b} shifted by delta
          const a = offsets[j];
          let best = Number.NEGATIVE_INFINITY;
          for (let l = 0; l < counts[j]; l++) {
            const t = cd.theta[a + l] + (l === b ? delta : 0);
            if (t > best) best = t;
          }
          const newIc = best - (cd.theta[a + cd.states[j]] + (cd.states[j] === b ? delta : 0));
          const wasOk = cd.offCount === 0;
          const nowOk = cd.offCount - (cd.ic[j] > 0 ? 1 : 0) === 0 && newIc === 0;
          if (nowOk && !wasOk) appear.push(Array.from(cd.states));
          if (wasOk && !nowOk) vanish.push(Array.from(cd.states));
        }
        appear.sort(compareScenarios);
        vanish.sort(compareScenarios);
      }
      for (const v of vanish) fragility[kernelKeys.get(v.join(","))!]++;
      if (appear.length || vanish.length)
        changes.push({
          source: r,
          target: c,
          sourceFactor: i,
          sourceState: r - offsets[i],
          targetFactor: j,
          targetState: b,
          from,
          to,
          delta,
          appear,
          vanish,
          impacts: model.cellImpacts.get(cell)?.slice() ?? [],
        });
    }
    if (stopped) {
      changes.length = mark.changes;
      tested = mark.tested;
      clipped = mark.clipped;
      fragility.splice(0, fragility.length, ...mark.fragility);
    } else cellsDone++;
  }
  return {
    kind: "cib.sensitivity",
    step,
    method,
    kernel,
    cellsTested: cellsDone,
    changesTested: tested,
    changesClipped: clipped,
    changes,
    fragility,
    candidates: cand.length,
    complete: !stopped && base.complete,
    elapsedMs: nowMs() - start,
  };
}
