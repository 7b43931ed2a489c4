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
//
// On several threads or machines (judgmentSensitivityAsync with a pool: worker threads, or the
// Redis queue): the searches of "candidates" go to the pool as prefix boxes (parallel.ts); the
// cells of "rerun" go to it in chunks, one task per chunk (runSensitivityPart), and their
// outcomes are merged in cell order, so the result is the single-thread one.

import type { CompiledModel } from "../model/compiled.js";
import { partsControl } from "../workers/parts-control.js";
import type { Pool } from "../workers/pool.js";
import {
  balanceInto,
  type CibOptions,
  compareScenarios,
  nowMs,
  type Prepared,
  type PreparedFields,
  prepare,
  preparedFields,
  preparedFrom,
  type RunControl,
  stopRequested,
} from "./core.js";
import { buildSpec, findKernel, type KernelResult, runKernel } from "./kernel.js";
import { findKernelParallel } from "./parallel.js";

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

/** What one cell's −step and +step changes do (a change that alters nothing is left out). */
export interface CellOutcome {
  tested: number;
  clipped: number;
  changes: { from: number; to: number; delta: number; appear: number[][]; vanish: number[][] }[];
}

interface Plan {
  p: Prepared;
  step: number;
  method: "candidates" | "rerun";
  /** Cells to test, row-major (r·M + c). */
  cells: number[];
}

function plan(model: CompiledModel, opts: SensitivityOptions): Plan {
  const step = opts.step ?? 1;
  if (!Number.isInteger(step) || step < 1) throw new Error(`step must be a positive integer, got ${step}`);
  const p = prepare(model, opts);
  const { n, m, offsets, factorOf, matrix } = p;
  const self = !opts.ignoreSelfImpacts;
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
  return { p, step, method: opts.method ?? "candidates", cells };
}

/** The changes of a cell that stay on the judgment scale: −step first. */
function deltas(p: Prepared, cell: number, step: number): { delta: number; from: number; to: number }[] {
  const from = p.matrix[cell];
  return [-step, step]
    .map((delta) => ({ delta, from, to: from + delta }))
    .filter((d) => d.to >= p.scale.min && d.to <= p.scale.max);
}

/** Every scenario with IC ≤ step, with its θ and factor ICs, indexed by the rows it selects. */
interface Candidates {
  list: { states: Int32Array; theta: Int32Array; ic: Int32Array; offCount: number }[];
  /** byRow[r]: the candidates with z_{factorOf r} = r − offset. */
  byRow: number[][];
}

function candidatesOf(p: Prepared, found: KernelResult): Candidates {
  const { n, m, counts, offsets } = p;
  const list = found.scenarios.map((s) => {
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
  const byRow: number[][] = Array.from({ length: m }, () => []);
  list.forEach((c, idx) => {
    for (let f = 0; f < n; f++) byRow[offsets[f] + c.states[f]].push(idx);
  });
  return { list, byRow };
}

/** A cell decided by re-scoring its candidates: θ_{j,b} shifted by δ moves IC_j only. */
function candidateCell(p: Prepared, cand: Candidates, cell: number, step: number): CellOutcome {
  const { m, counts, offsets, factorOf } = p;
  const r = Math.floor(cell / m);
  const c = cell % m;
  const j = factorOf[c];
  const b = c - offsets[j];
  const ds = deltas(p, cell, step);
  const out: CellOutcome = { tested: ds.length, clipped: 2 - ds.length, changes: [] };
  for (const { delta, from, to } of ds) {
    const appear: number[][] = [];
    const vanish: number[][] = [];
    for (const idx of cand.byRow[r]) {
      const cd = cand.list[idx];
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
    if (appear.length || vanish.length) out.changes.push({ from, to, delta, appear, vanish });
  }
  return out;
}

/**
 * The "rerun" decision of a cell: a full kernel search per change, on one scratch copy of the
 * matrix (the cell is set, searched, restored) against the original kernel's keys, both made
 * once per run or part. Undefined when stopped inside a search.
 */
function makeRerun(
  p: Prepared,
  kernel: number[][],
  step: number,
): (cell: number, stop: () => boolean) => CellOutcome | undefined {
  const before = new Set(kernel.map((s) => s.join(",")));
  const matrix = Int32Array.from(p.matrix);
  const q = { ...p, matrix };
  return (cell, stop) => {
    const ds = deltas(p, cell, step);
    const out: CellOutcome = { tested: ds.length, clipped: 2 - ds.length, changes: [] };
    for (const { delta, from, to } of ds) {
      matrix[cell] = to;
      const k2 = runKernel(q, buildSpec(q, { tolerance: 0 }), { shouldStop: stop });
      matrix[cell] = from;
      if (!k2.complete) return undefined;
      const after = new Set(k2.scenarios.map((s) => s.states.join(",")));
      const appear = k2.scenarios.filter((s) => !before.has(s.states.join(","))).map((s) => s.states);
      const vanish = kernel.filter((s) => !after.has(s.join(",")));
      if (appear.length || vanish.length) out.changes.push({ from, to, delta, appear, vanish });
    }
    return out;
  };
}

/** One task of the "rerun" method: a chunk of cells, on a worker thread or a queue worker. */
export interface SensitivityPartTask extends PreparedFields {
  step: number;
  kernel: number[][];
  cells: number[];
  /** Shared Int32Array(1): 1 = stop. */
  stop: SharedArrayBuffer;
  /** Shared BigInt64Array(1): cells decided so far by all tasks. */
  progress: SharedArrayBuffer;
}

/** The outcomes of the chunk's first cells, in order (all of them unless stopped). */
export function runSensitivityPart(task: SensitivityPartTask): { outcomes: CellOutcome[] } {
  const stopFlag = new Int32Array(task.stop);
  const progress = new BigInt64Array(task.progress);
  const p = preparedFrom(task);
  const stop = () => Atomics.load(stopFlag, 0) === 1;
  const outcomes: CellOutcome[] = [];
  const rerun = makeRerun(p, task.kernel, task.step);
  for (const cell of task.cells) {
    if (stop()) break;
    const o = rerun(cell, stop);
    if (!o) break;
    outcomes.push(o);
    Atomics.add(progress, 0, 1n);
  }
  return { outcomes };
}

/** The result from the outcomes of the first cells (all of them when complete). */
function assemble(
  model: CompiledModel,
  pl: Plan,
  kernel: number[][],
  outcomes: CellOutcome[],
  o: { complete: boolean; candidates: number; start: number },
): SensitivityResult {
  const { m, offsets, factorOf } = pl.p;
  const keys = new Map(kernel.map((s, i) => [s.join(","), i]));
  const changes: SensitivityChange[] = [];
  const fragility = new Array(kernel.length).fill(0);
  let tested = 0;
  let clipped = 0;
  outcomes.forEach((out, k) => {
    const cell = pl.cells[k];
    const r = Math.floor(cell / m);
    const c = cell % m;
    const i = factorOf[r];
    const j = factorOf[c];
    tested += out.tested;
    clipped += out.clipped;
    for (const ch of out.changes) {
      for (const v of ch.vanish) fragility[keys.get(v.join(","))!]++;
      changes.push({
        source: r,
        target: c,
        sourceFactor: i,
        sourceState: r - offsets[i],
        targetFactor: j,
        targetState: c - offsets[j],
        ...ch,
        impacts: model.cellImpacts.get(cell)?.slice() ?? [],
      });
    }
  });
  return {
    kind: "cib.sensitivity",
    step: pl.step,
    method: pl.method,
    kernel,
    cellsTested: outcomes.length,
    changesTested: tested,
    changesClipped: clipped,
    changes,
    fragility,
    candidates: o.candidates,
    complete: o.complete && outcomes.length === pl.cells.length,
    elapsedMs: nowMs() - o.start,
  };
}

const searchOptions = (opts: SensitivityOptions, p: Prepared, tolerance: number) => ({
  ...opts,
  tolerance,
  matrix: p.matrix,
  ignoreSelfImpacts: false,
  onProgress: undefined,
  ...(tolerance > 0 ? { maxScenarios: 5_000_000 } : {}),
});

/** The candidates, or undefined when their search was stopped (no change can be decided). */
function checkedCandidates(p: Prepared, tol: KernelResult): Candidates | undefined {
  if (!tol.complete) return undefined;
  if (tol.truncated) throw new Error(`sensitivity: ${tol.count} candidate scenarios; use method "rerun"`);
  return candidatesOf(p, tol);
}

/** Which single ±step judgment changes alter the kernel (on this thread). */
export function judgmentSensitivity(model: CompiledModel, opts: SensitivityOptions = {}): SensitivityResult {
  const start = nowMs();
  const pl = plan(model, opts);
  const { p, step, cells } = pl;
  const base = findKernel(model, searchOptions(opts, p, 0));
  const kernel = base.scenarios.map((s) => s.states);
  const cand =
    pl.method === "candidates" && base.complete
      ? checkedCandidates(p, findKernel(model, searchOptions(opts, p, step)))
      : undefined;
  const outcomes: CellOutcome[] = [];
  const stop = () => stopRequested(opts);
  const rerun = makeRerun(p, kernel, step);
  if (base.complete && (cand || pl.method === "rerun"))
    for (const cell of cells) {
      if (stop()) break;
      const o = cand ? candidateCell(p, cand, cell, step) : rerun(cell, stop);
      if (!o) break;
      outcomes.push(o);
      opts.onProgress?.({ done: outcomes.length, total: cells.length, elapsedMs: nowMs() - start });
    }
  return assemble(model, pl, kernel, outcomes, {
    complete: base.complete && (pl.method === "rerun" || cand !== undefined),
    candidates: cand?.list.length ?? 0,
    start,
  });
}

/** The outcomes of the first cells, in order, up to the first one a stopped chunk left undecided. */
async function rerunOnPool(
  pool: Pool,
  pl: Plan,
  kernel: number[][],
  cells: number[],
  opts: SensitivityOptions,
  start: number,
): Promise<CellOutcome[]> {
  const { p, step } = pl;
  const done = pl.cells.length - cells.length;
  const ctl = partsControl(
    () => stopRequested(opts),
    (n) => opts.onProgress?.({ done: done + n, total: pl.cells.length, elapsedMs: nowMs() - start }),
  );
  try {
    const size = chunkSize(cells.length, pool.threads);
    const chunks: number[][] = [];
    for (let k = 0; k < cells.length; k += size) chunks.push(cells.slice(k, k + size));
    const parts = await Promise.all(
      chunks.map((chunk) =>
        pool.run<{ outcomes: CellOutcome[] }>({
          kind: "cib-sens",
          ...preparedFields(p),
          step,
          kernel,
          cells: chunk,
          stop: ctl.stop,
          progress: ctl.progress,
        } satisfies SensitivityPartTask & { kind: string }),
      ),
    );
    let outcomes: CellOutcome[] = [];
    for (const [k, part] of parts.entries()) {
      outcomes = outcomes.concat(part.outcomes);
      if (part.outcomes.length < chunks[k].length) break;
    }
    return outcomes;
  } finally {
    ctl.close();
  }
}

/** Cells per task of the "rerun" method on a pool: about 8 tasks per thread. */
const chunkSize = (cells: number, threads: number) =>
  Math.max(1, Math.ceil(cells / (8 * Math.max(1, threads))));

/**
 * judgmentSensitivity with its work on a pool (worker threads or the Redis queue): the same
 * result, byte for byte, except `elapsedMs`. Without a pool it is judgmentSensitivity.
 */
export async function judgmentSensitivityAsync(
  model: CompiledModel,
  opts: SensitivityOptions & {
    pool?: Pool;
    /** "rerun": decide cells on this thread for this long before the pool (default 1000 ms). */
    probeMs?: number;
  } = {},
): Promise<SensitivityResult> {
  const { pool } = opts;
  if (!pool) return judgmentSensitivity(model, opts);
  const start = nowMs();
  const pl = plan(model, opts);
  const { p, step, cells } = pl;
  const search = (tolerance: number) =>
    findKernelParallel(model, { ...searchOptions(opts, p, tolerance), pool, minSpace: 0n });
  const base = await search(0);
  const kernel = base.scenarios.map((s) => s.states);
  let outcomes: CellOutcome[] = [];
  let candidates = 0;
  let complete = base.complete;
  if (base.complete && pl.method === "candidates") {
    const cand = checkedCandidates(p, await search(step));
    candidates = cand?.list.length ?? 0;
    complete = cand !== undefined;
    if (cand)
      for (const cell of cells) {
        if (stopRequested(opts)) break;
        outcomes.push(candidateCell(p, cand, cell, step));
      }
  } else if (base.complete) {
    // Cells run here for probeMs first (most models finish), then the rest go to the pool.
    const stop = () => stopRequested(opts);
    const rerun = makeRerun(p, kernel, step);
    const t0 = nowMs();
    let interrupted = false;
    while (outcomes.length < cells.length && nowMs() - t0 < (opts.probeMs ?? 1000)) {
      const o = stop() ? undefined : rerun(cells[outcomes.length], stop);
      if (!o) {
        interrupted = true;
        break;
      }
      outcomes.push(o);
      opts.onProgress?.({ done: outcomes.length, total: cells.length, elapsedMs: nowMs() - start });
    }
    if (!interrupted && outcomes.length < cells.length)
      outcomes = outcomes.concat(
        await rerunOnPool(pool, pl, kernel, cells.slice(outcomes.length), opts, start),
      );
  }
  return assemble(model, pl, kernel, outcomes, { complete, candidates, start });
}
