// Parallel exact kernel search: the branch and bound of kernel.ts (Weimer-Jehle 2006 kernel,
// the bound of cib-method.md "Exact search") split over worker threads. Muscat's extension;
// the method and its result are unchanged.
//
// Splitting. Within a component whose search space is large, the first d0 factors of the
// search order are enumerated (d0 the smallest depth giving at least TASKS_PER_WORKER tasks per
// worker); each prefix becomes one task: the same search on the same component with those
// factors' domains narrowed to the prefix states (a filter: nothing is exempted, so the kernel
// scenarios inside the prefix's box are exactly those of the whole search that start with the
// prefix). The boxes partition the space, so the union of the tasks' solutions is the
// component's solution set, each scenario found once. Tasks go to a pool in prefix order and
// their solutions are merged in that order, so the result never depends on the schedule.
// A search first runs on the calling thread for probeMs (1 s); only if it has not finished does
// the parallel search start afresh, and `nodes` and `elapsedMs` then include the probe's.
// `nodes` is the sum over tasks; the bound of a narrowed box is at least as tight as the
// whole search's, so the count can be lower than the single-thread count.
//
// Cancellation and progress use two shared arrays: a stop flag the tasks poll, and a node
// counter they add to; the caller's shouldStop / signal / onProgress are polled here. A stopped
// search keeps what its boxes found so far (each a kernel scenario), flagged incomplete.

import { InputError } from "../errors.js";
import type { CompiledModel } from "../model/compiled.js";
import { createPool, type Pool, partsControl } from "../workers/pool.js";
import { nowMs, prepare, preparedFrom, stopRequested } from "./core.js";
import {
  assembleKernel,
  buildSpec,
  type KernelOptions,
  type KernelResult,
  newCounter,
  planComponents,
  runKernel,
  type SearchSpec,
  searchComponent,
} from "./kernel.js";
import type { ComponentSolutions } from "./propagate.js";

/** Tasks per worker when a component is split (load balance against per-task overhead). */
const TASKS_PER_WORKER = 48;
/** Components with a smaller search space run on the calling thread. */
export const PARALLEL_MIN_SPACE = 2n ** 30n;

export interface ParallelKernelOptions extends KernelOptions {
  /** Worker threads (default 2); 0 or 1 runs findKernel on this thread. */
  workers?: number;
  /** Split only components whose search space is at least this (default 2^30). */
  minSpace?: bigint;
  /**
   * Run on this thread first for this long (default 1000 ms; 0: go parallel at once); the
   * parallel search starts afresh only when that run has not finished.
   */
  probeMs?: number;
  /** Use this pool instead of starting one (it is not closed). */
  pool?: Pool;
}

/** One task: the search of one component over one prefix box. */
export interface KernelPartTask {
  n: number;
  m: number;
  counts: Int32Array;
  offsets: Int32Array;
  matrix: Int32Array;
  scale: { min: number; max: number };
  allowed: number[][];
  exempt: boolean[];
  tolerance: number;
  bound: SearchSpec["bound"];
  factors: number[];
  /** Shared Int32Array(1): 1 = stop. */
  stop: SharedArrayBuffer;
  /** Shared BigInt64Array(1): nodes visited so far by all tasks. */
  progress: SharedArrayBuffer;
}

export interface KernelPartResult {
  solutions: ComponentSolutions;
  nodes: number;
  stopped: boolean;
}

/** Runs one task (in a worker thread, or here). */
export function runKernelPart(task: KernelPartTask): KernelPartResult {
  const stop = new Int32Array(task.stop);
  const progress = new BigInt64Array(task.progress);
  const p = preparedFrom(task);
  const spec: SearchSpec = {
    allowed: task.allowed,
    exempt: task.exempt,
    tolerance: task.tolerance,
    order: "natural",
    decompose: false,
    bound: task.bound,
  };
  if (Atomics.load(stop, 0) === 1)
    return { solutions: emptySolutions(task.factors), nodes: 0, stopped: true };
  const counter = newCounter();
  let reported = 0;
  const solutions = searchComponent(
    p,
    spec,
    task.factors,
    {
      shouldStop: () => Atomics.load(stop, 0) === 1,
      onProgress: ({ done }) => {
        Atomics.add(progress, 0, BigInt(done - reported));
        reported = done;
      },
    },
    counter,
  );
  Atomics.add(progress, 0, BigInt(counter.nodes - reported));
  return { solutions, nodes: counter.nodes, stopped: counter.stopped };
}

function emptySolutions(factors: number[]): ComponentSolutions {
  return {
    factors,
    states: new Int32Array(0),
    ic: new Int32Array(0),
    tis: new Int32Array(0),
    cv: new Int32Array(0),
    count: 0,
  };
}

/** Concatenates solution sets of the same component, in order. */
function concatSolutions(factors: number[], parts: ComponentSolutions[]): ComponentSolutions {
  const count = parts.reduce((s, r) => s + r.count, 0);
  const nf = factors.length;
  const out = {
    factors,
    states: new Int32Array(count * nf),
    ic: new Int32Array(count),
    tis: new Int32Array(count),
    cv: new Int32Array(count),
    count,
  };
  let at = 0;
  for (const r of parts) {
    out.states.set(r.states.subarray(0, r.count * nf), at * nf);
    out.ic.set(r.ic.subarray(0, r.count), at);
    out.tis.set(r.tis.subarray(0, r.count), at);
    out.cv.set(r.cv.subarray(0, r.count), at);
    at += r.count;
  }
  return out;
}

/** The prefix boxes of a component: the allowed lists with the first d0 factors narrowed. */
export function prefixBoxes(spec: SearchSpec, factors: number[], minTasks: number): number[][][] {
  let d0 = 0;
  let tasks = 1;
  while (d0 < factors.length - 1 && tasks < minTasks) {
    tasks *= spec.allowed[factors[d0]].length;
    d0++;
  }
  const boxes: number[][][] = [];
  const idx = new Array(d0).fill(0);
  for (;;) {
    const allowed = spec.allowed.map((a) => a.slice());
    for (let i = 0; i < d0; i++) allowed[factors[i]] = [spec.allowed[factors[i]][idx[i]]];
    boxes.push(allowed);
    let i = d0 - 1;
    while (i >= 0 && ++idx[i] === spec.allowed[factors[i]].length) idx[i--] = 0;
    if (i < 0) break;
  }
  return boxes;
}

/**
 * findKernel on several threads: the same scenarios, counts and groups as findKernel (see the
 * header for what differs in `nodes`). Small searches run on the calling thread.
 */
export async function findKernelParallel(
  model: CompiledModel,
  opts: ParallelKernelOptions = {},
): Promise<KernelResult> {
  const workers = opts.pool?.threads ?? opts.workers ?? 2;
  if (!Number.isInteger(workers) || workers < 0)
    throw new InputError(`workers must be an integer ≥ 0, got ${workers}`, { code: "option" });
  const p = prepare(model, opts);
  const spec = buildSpec(p, opts);
  const minSpace = opts.minSpace ?? PARALLEL_MIN_SPACE;
  const comps = planComponents(p, spec);
  const spaceOf = (c: number[]) => c.reduce((s, f) => s * BigInt(spec.allowed[f].length), 1n);
  if (workers <= 1 || !comps.some((c) => spaceOf(c) >= minSpace && c.length > 1))
    return runKernel(p, spec, opts);
  // Most searches, even of huge spaces, end within a second on this thread (a real model's
  // judgments prune hard); only a search still running after probeMs is restarted on the pool.
  const probeMs = opts.probeMs ?? 1000;
  const started = nowMs();
  let probeNodes = 0;
  if (probeMs > 0) {
    const t0 = nowMs();
    const probe = runKernel(p, spec, {
      ...opts,
      shouldStop: () => stopRequested(opts) || nowMs() - t0 > probeMs,
      signal: undefined,
    });
    if (probe.complete || stopRequested(opts)) return probe;
    probeNodes = probe.nodes;
  }

  const counter = newCounter();
  counter.start = started;
  counter.nodes = probeNodes;
  let mainNodes = probeNodes;
  const pool = opts.pool ?? createPool(workers);
  let covered = 0; // share of the space settled: finished components and finished boxes
  const ctl = partsControl(
    () => stopRequested(opts),
    (done) => opts.onProgress?.({ covered, done: mainNodes + done, elapsedMs: nowMs() - counter.start }),
  );
  const results: ComponentSolutions[] = [];
  try {
    for (const [ci, c] of comps.entries()) {
      const base = ci / comps.length;
      const span = 1 / comps.length;
      covered = base;
      if (spaceOf(c) < minSpace || c.length < 2) {
        const sub = newCounter();
        const r = searchComponent(p, spec, c, { ...opts, onProgress: undefined }, sub);
        mainNodes += sub.nodes;
        counter.nodes += sub.nodes;
        results.push(r);
        if (sub.stopped) counter.stopped = true;
      } else {
        const boxes = prefixBoxes(spec, c, TASKS_PER_WORKER * workers);
        let boxesDone = 0;
        const parts = await Promise.all(
          boxes.map((allowed) =>
            pool
              .run<KernelPartResult>({
                kind: "cib-part",
                n: p.n,
                m: p.m,
                counts: p.counts,
                offsets: p.offsets,
                matrix: p.matrix,
                scale: p.scale,
                allowed,
                exempt: spec.exempt,
                tolerance: spec.tolerance,
                bound: spec.bound,
                factors: c,
                stop: ctl.stop,
                progress: ctl.progress,
              })
              .then((r) => {
                if (!r.stopped) boxesDone++;
                covered = base + (span * boxesDone) / boxes.length;
                return r;
              }),
          ),
        );
        for (const r of parts) {
          counter.nodes += r.nodes;
          if (r.stopped) counter.stopped = true;
        }
        results.push(
          concatSolutions(
            c,
            parts.map((r) => r.solutions),
          ),
        );
      }
      if (counter.stopped || results[results.length - 1].count === 0) break;
    }
  } finally {
    ctl.close();
    if (!opts.pool) await pool.close();
  }
  if (stopRequested(opts)) counter.stopped = true;
  // The finished boxes' share (a stopped box's scenarios are kept, its share is not counted).
  if (counter.stopped) counter.covered = covered;
  return assembleKernel(p, spec, comps, results, counter, opts);
}
