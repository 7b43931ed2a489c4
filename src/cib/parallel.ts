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
// The calling thread searches first, for probeMs (1 s; most real models end there, and no
// thread is started). With the basic bound, whose static order visits the boxes in prefix
// order, it runs the whole component as one search (no per-box set-up) for that time; cut
// there, it keeps the boxes wholly before the branch it was visiting (Counter.at), and the
// rest, the box it was in included (the one piece of work done twice), are taken box by box
// by this thread and by the pool, whose threads started loading halfway through the probe. With
// the propagate bound (a dynamic order), this thread searches box by box for probeMs, the pool's
// threads loading during its last fifth. Only the boxes the calling thread has not reached go
// to the pool. So a search that needs S seconds on one thread takes about 1 + (S − 1)/w
// seconds on w threads. `nodes` and `elapsedMs` include the calling thread's;
// `nodes` is the sum over boxes (the bound of a narrowed box is at least as tight as the whole
// search's, so the count can be lower than the single-thread count).
//
// Cancellation and progress use two shared arrays: a stop flag the tasks poll, and a node
// counter they add to; the caller's shouldStop / signal / onProgress are polled here. A stopped
// search keeps what its boxes found so far (each a kernel scenario), flagged incomplete. A stop
// during the probe keeps everything the probe found, its `covered` the share its static order
// had settled, and starts no pool thread (they would only load to see the stop flag).

import { InputError } from "../errors.js";
import type { CompiledModel } from "../model/compiled.js";
import { partsControl } from "../workers/parts-control.js";
import { createPool, type Pool } from "../workers/pool.js";
import { nowMs, type PreparedFields, prepare, preparedFields, preparedFrom, stopRequested } from "./core.js";
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
const TASKS_PER_WORKER = 16;
/** Components with a smaller search space run on the calling thread. */
export const PARALLEL_MIN_SPACE = 2n ** 30n;

export interface ParallelKernelOptions extends KernelOptions {
  /** Worker threads (default 2); 0 or 1 runs findKernel on this thread. */
  workers?: number;
  /** Split only components whose search space is at least this (default 2^30). */
  minSpace?: bigint;
  /**
   * Search on this thread first for this long (default 1000 ms; 0: go parallel at once); the
   * pool gets only the boxes that search has not settled.
   */
  probeMs?: number;
  /** Use this pool instead of starting one (it is not closed). */
  pool?: Pool;
}

/** One task: the search of one component over one prefix box. */
export interface KernelPartTask extends PreparedFields {
  allowed: number[][];
  exempt: boolean[];
  tolerance: number;
  bound: SearchSpec["bound"];
  surrogate?: boolean;
  engine?: SearchSpec["engine"];
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
  /** When stopped in the basic bound's loop: the branch it was visiting (Counter.at). */
  at?: number[];
}

/**
 * The share of a component's space a static-order search stopped at `at` has settled: at each
 * depth, the siblings before the branch it was visiting (as Counter.covered in kernel.ts).
 */
function settledShare(spec: SearchSpec, factors: number[], at: number[] = []): number {
  let share = 0;
  let w = 1;
  for (let i = 0; i < at.length; i++) {
    w /= spec.allowed[factors[i]].length;
    share += at[i] * w;
  }
  return share;
}

/** Runs one task (in a worker thread, or here, where `stop` is polled besides the flag). */
export function runKernelPart(task: KernelPartTask, also?: () => boolean): KernelPartResult {
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
    surrogate: task.surrogate,
    engine: task.engine,
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
      shouldStop: () => Atomics.load(stop, 0) === 1 || (also?.() ?? false),
      onProgress: ({ done }) => {
        Atomics.add(progress, 0, BigInt(done - reported));
        reported = done;
      },
    },
    counter,
  );
  Atomics.add(progress, 0, BigInt(counter.nodes - reported));
  const out: KernelPartResult = { solutions, nodes: counter.nodes, stopped: counter.stopped };
  if (counter.at) out.at = counter.at;
  return out;
}

/** A share of the boxes: those taken from a shared cursor until none is left. */
export interface KernelBoxesTask extends Omit<KernelPartTask, "allowed"> {
  boxes: number[][][];
  /** Shared Int32Array(1): the next box to take. */
  cursor: SharedArrayBuffer;
  /** Shared Int32Array(1): pool threads that have begun taking boxes. */
  begun?: SharedArrayBuffer;
}

/**
 * Takes boxes from the cursor (at most `most`) and searches each; [box index, result] for each
 * one taken. A pool thread signals on `begun` first.
 */
export function runKernelBoxes(
  task: KernelBoxesTask,
  also?: () => boolean,
  most = Number.POSITIVE_INFINITY,
): [number, KernelPartResult][] {
  const cursor = new Int32Array(task.cursor);
  if (task.begun) Atomics.add(new Int32Array(task.begun), 0, 1);
  const out: [number, KernelPartResult][] = [];
  while (out.length < most) {
    const i = Atomics.add(cursor, 0, 1);
    if (i >= task.boxes.length) return out;
    const r = runKernelPart({ ...task, allowed: task.boxes[i] }, also);
    out.push([i, r]);
    if (r.stopped) return out;
  }
  return out;
}

/** Lets the event loop turn once (messages to and from the pool's threads). */
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

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
 * How far a whole-component search in the basic bound's static order got when it stopped: the
 * boxes (prefixBoxes, in order) wholly before the branch it was visiting, and how many of its
 * solutions lie in them (a prefix of its list: solutions come in depth-first order). The box it
 * was in is searched again as a box: the one piece of work done twice.
 */
function settledBoxes(
  spec: SearchSpec,
  factors: number[],
  nBoxes: number,
  r: KernelPartResult,
): { boxes: number; count: number } {
  // the prefix depth of the boxes (as prefixBoxes chose it) and the box of the branch
  let d0 = 0;
  for (let n = 1; n < nBoxes; d0++) n *= spec.allowed[factors[d0]].length;
  const at = r.at ?? [];
  let box = 0;
  for (let i = 0; i < d0; i++) box = box * spec.allowed[factors[i]].length + (at[i] ?? 0);
  const nf = factors.length;
  const boxOf = (j: number) => {
    let b = 0;
    for (let i = 0; i < d0; i++)
      b =
        b * spec.allowed[factors[i]].length +
        spec.allowed[factors[i]].indexOf(r.solutions.states[j * nf + i]);
    return b;
  };
  let count = 0;
  while (count < r.solutions.count && boxOf(count) < box) count++;
  return { boxes: box, count };
}

/** The first `count` solutions of a part, as a finished part. */
function prefixOf(factors: number[], r: KernelPartResult, count: number): KernelPartResult {
  const s = r.solutions;
  const nf = factors.length;
  return {
    solutions: {
      factors,
      states: s.states.slice(0, count * nf),
      ic: s.ic.slice(0, count),
      tis: s.tis.slice(0, count),
      cv: s.cv.slice(0, count),
      count,
    },
    nodes: r.nodes,
    stopped: false,
  };
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
  // The calling thread searches the boxes in order for probeMs (most searches, even of huge
  // spaces, end there: a real model's judgments prune hard); the pool gets only what is left.
  const probeMs = opts.probeMs ?? 1000;
  const started = nowMs();
  // this thread searches too: a pool of its own needs one thread less
  const pool = opts.pool ?? createPool(Math.max(1, workers - 1));
  const counter = newCounter();
  counter.start = started;
  let mainNodes = 0;
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
        const task = (allowed: number[][]): KernelPartTask & { kind: "cib-part" } => ({
          kind: "cib-part",
          ...preparedFields(p),
          allowed,
          exempt: spec.exempt,
          tolerance: spec.tolerance,
          bound: spec.bound,
          surrogate: spec.surrogate,
          engine: spec.engine,
          factors: c,
          stop: ctl.stop,
          progress: ctl.progress,
        });
        let boxesDone = 0;
        const settled = (r: KernelPartResult) => {
          if (!r.stopped) boxesDone++;
          covered = base + (span * boxesDone) / boxes.length;
          return r;
        };
        // this thread: with the basic bound (its static order visits the boxes in order), the
        // whole component in one search for probeMs, cut at the box it had reached; else boxes
        // in order until probeMs has passed since the start, the pool's threads loading during
        // the last fifth, if boxes are still left
        const here: KernelPartResult[] = [];
        let next = 0;
        let warming = false;
        if (spec.bound === "basic" && probeMs > 0) {
          // the pool's threads start loading halfway through the probe, from inside it (the
          // library loaded first, so that warm() makes them at once): when the probe is cut they
          // are ready to take boxes, instead of loading while this thread searches alone (a
          // thread takes 0.1–0.2 s to load from the build, about 0.5 s from the sources)
          await pool.load?.();
          const r = runKernelPart(task(spec.allowed), () => {
            const elapsed = nowMs() - started;
            if (!warming && elapsed > 0.5 * probeMs && pool.warm) {
              pool.warm();
              warming = true;
            }
            return elapsed > probeMs || stopRequested(opts);
          });
          const cut = r.stopped
            ? settledBoxes(spec, c, boxes.length, r)
            : { boxes: boxes.length, count: r.solutions.count };
          // cut by a stop, not by the probe's time: every scenario found is kept (only the
          // settled boxes count as covered), and no box is left for the pool
          const halted = r.stopped && stopRequested(opts);
          here.push(halted ? r : prefixOf(c, r, cut.count));
          next = halted ? boxes.length : cut.boxes;
          boxesDone = cut.boxes;
          covered = base + span * (halted ? settledShare(spec, c, r.at) : boxesDone / boxes.length);
        }
        while (next < boxes.length && nowMs() - started < probeMs && !stopRequested(opts)) {
          const r = settled(runKernelPart(task(boxes[next]), () => stopRequested(opts)));
          here.push(r);
          next++;
          if (r.stopped) break;
          if (!warming && nowMs() - started > 0.8 * probeMs && pool.warm) {
            pool.warm();
            warming = true;
          }
          // the pool starts only while this thread lets its event loop turn
          if (warming) await yieldTurn();
        }
        // the boxes this thread did not reach: on a pool of this machine's threads, this thread
        // and workers − 1 pool threads take them from one shared cursor; on the queue, each
        // box is a part
        const rest = boxes.slice(next);
        let parts: KernelPartResult[];
        if (rest.length === 0) parts = here;
        // stopped: the boxes not reached stay unsearched, without starting the pool's threads
        else if (stopRequested(opts))
          parts = here.concat({ solutions: emptySolutions(c), nodes: 0, stopped: true });
        else if (pool.sharedMemory) {
          const cursor = new SharedArrayBuffer(4);
          const begun = new SharedArrayBuffer(4);
          const threads = Math.max(1, workers - 1);
          const shared = { ...task([]), boxes: rest, cursor };
          const pulls = Array.from({ length: threads }, () =>
            pool.run<[number, KernelPartResult][]>({ ...shared, begun, kind: "cib-boxes" }),
          );
          const also = () => {
            opts.onProgress?.({ covered, done: mainNodes + ctl.done(), elapsedMs: nowMs() - counter.start });
            return stopRequested(opts);
          };
          // one box at a time, letting the event loop turn, until every pool thread has begun
          // (a task reaches its thread only through this thread's event loop); then the rest
          const mine: [number, KernelPartResult][] = [];
          const left = () => Atomics.load(new Int32Array(cursor), 0) < rest.length;
          while (left() && Atomics.load(new Int32Array(begun), 0) < threads && !stopRequested(opts)) {
            mine.push(...runKernelBoxes(shared, also, 1));
            await yieldTurn();
          }
          if (!stopRequested(opts)) mine.push(...runKernelBoxes(shared, also));
          if (stopRequested(opts)) Atomics.store(new Int32Array(ctl.stop), 0, 1);
          const byBox = new Array<KernelPartResult>(rest.length);
          for (const list of [mine, ...(await Promise.all(pulls))]) for (const [i, r] of list) byBox[i] = r;
          // a box no one took (all stopped first) counts as stopped with nothing found
          parts = here.concat(
            Array.from(byBox, (r) => settled(r ?? { solutions: emptySolutions(c), nodes: 0, stopped: true })),
          );
        } else
          parts = here.concat(
            await Promise.all(rest.map((b) => pool.run<KernelPartResult>(task(b)).then(settled))),
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
