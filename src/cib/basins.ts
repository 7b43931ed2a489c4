// Basins of attraction under CIB succession (succession.ts): for every consistent scenario,
// how many starts lead to it; starts that end in cycles are counted per cycle.
//
// Method: Weimer-Jehle (2006), TFSC 73:334–361, succession; ScenarioWizard's global succession
// and tie rule, which reproduces its basin weights (test/cib/fixtures.test.ts). Extended beyond
// the reference: exact basins by full enumeration with memoised successors, the local and
// sequential rules, and seeded sampled basins flagged as estimates (basins-sampled.ts).
//
// Exact basins in two passes over the N = Π counts starts, indexed in odometer order (factor 0
// most significant):
// 1. succ[i] = the index of start i's successor (successors.ts). Each start is independent, so
//    the starts split into blocks that share their first d factors' states (a prefix); a block
//    is one part on a pool (worker threads, or the Redis queue), which returns its slice of succ
//    (threads of this process write it into a shared succ).
// 2. The functional graph i → succ[i] is resolved on this thread (resolveBasins): every path is
//    followed until it meets a labelled node (its attractor) or itself (a new cycle), then
//    labelled; then every start is counted under its label, in slices on a pool of threads. O(N).
// The result does not depend on how pass 1 was split.

import type { CompiledModel } from "../model/compiled.js";
import { partsControl } from "../workers/parts-control.js";
import type { Pool } from "../workers/pool.js";
import { sampledBasins } from "./basins-sampled.js";
import {
  balanceInto,
  nowMs,
  type Prepared,
  prepare,
  preparedFields,
  type RunControl,
  scenarioAt,
  spaceSizeOf,
  stopRequested,
  summarize,
} from "./core.js";
import type { SuccessionOptions, SuccessionRule } from "./succession.js";
import {
  type BasinEngine,
  type BasinPartResult,
  type BasinPartTask,
  blockSuccessors,
  innerFactors,
} from "./successors.js";

export type { BasinEngine } from "./successors.js";

/** A consistent scenario with its basin. */
export interface BasinAttractor {
  states: number[];
  /** Exact number of starts ending here (exact mode) or sample hits (estimate mode). */
  weight: number;
  /** weight / starts. */
  share: number;
  /** Estimate mode only: share × space size. */
  weightEstimate?: number;
  tis: number;
  cv: number;
}

export interface BasinCycle {
  /** Distinct scenarios of the cycle, in visiting order starting from the lexicographically smallest. */
  scenarios: number[][];
  period: number;
  /** Starts (exact) or sample hits (estimate) ending in this cycle. */
  starts: number;
}

export interface BasinResult {
  kind: "cib.basins";
  rule: SuccessionRule;
  /** True when weights are sample hits, not exact counts. */
  estimate: boolean;
  /**
   * False when stopped early. Sampled: the counts cover the samples drawn. Exact: no attractor
   * is listed (a partial enumeration gives no basin its weight), and `starts` counts the starts
   * whose successor was found.
   */
  complete: boolean;
  spaceSize: string;
  /** Starts processed: the space size (exact) or the sample count (estimate). */
  starts: number;
  samples?: number;
  seed?: number;
  /** Every consistent scenario reached, by weight descending, then states ascending. */
  attractors: BasinAttractor[];
  /** Cycles found, by starts descending (at most maxCycles listed). */
  cycles: BasinCycle[];
  /** Number of distinct cycles found (may exceed cycles.length). */
  cycleCount: number;
  /** Starts ending in a cycle. Σ attractor weights + cycleStarts = starts. */
  cycleStarts: number;
  elapsedMs: number;
}

export interface BasinOptions extends SuccessionOptions, RunControl {
  /** "exact" (full enumeration), "sample", or "auto" (exact when the space ≤ maxExact). */
  method?: "auto" | "exact" | "sample";
  /** Largest space enumerated in "auto" mode (default 50,000,000). */
  maxExact?: number;
  /** Samples in sample mode (default 100,000). */
  samples?: number;
  /** Seed of the sampling generator (default 1). */
  seed?: number;
  /** Most cycles to list (default 100). */
  maxCycles?: number;
  /** Exact global basins: where the successors' loops run (default "auto": WebAssembly). */
  engine?: BasinEngine;
  /** Exact global basins: most bytes of memoised answers per block sweep (default 64 MiB). */
  memoBytes?: number;
}

/** Basin weights of every attractor under a succession rule, exact or sampled. */
export function successionBasins(model: CompiledModel, opts: BasinOptions = {}): BasinResult {
  return isExact(model, opts) ? exactBasins(model, opts) : sampledBasins(model, opts);
}

/**
 * successionBasins with pass 1 of the exact method on a pool (worker threads, or the Redis
 * queue): the same result except `elapsedMs`. Without a pool, or for a space under
 * `minSpace` (default 2^22 starts), it is successionBasins.
 */
export async function successionBasinsAsync(
  model: CompiledModel,
  opts: BasinOptions & { pool?: Pool; minSpace?: number } = {},
): Promise<BasinResult> {
  const { pool } = opts;
  if (!pool || !isExact(model, opts) || spaceSizeOf(model.counts) < BigInt(opts.minSpace ?? 2 ** 22))
    return successionBasins(model, opts);
  const start = nowMs();
  const p = prepare(model, opts);
  const rule = opts.rule ?? "global";
  const total = Number(spaceSizeOf(p.counts));
  // Two blocks a thread: each block memoises its own outer answers (globalSuccessors), so more,
  // smaller blocks repeat that work (iain_bench_50x50 in one thread: 1 block 5.9 s, 4 blocks
  // 6.4 s, 16 blocks 8.9 s).
  const d = prefixDepth(p, 2 * Math.max(1, pool.threads));
  const block = total / Number(spaceSizeOf(p.counts.subarray(0, d)));
  // threads of this process write their slices straight into a shared succ; a part on the
  // queue returns its slice
  const out = pool.sharedMemory ? new SharedArrayBuffer(4 * total) : undefined;
  const succ = out ? new Int32Array(out) : new Int32Array(total);
  const ctl = partsControl(
    () => stopRequested(opts),
    (done) => opts.onProgress?.({ done, total: 2 * total, elapsedMs: nowMs() - start }),
  );
  let processed = 0;
  try {
    const parts = await Promise.all(
      Array.from({ length: total / block }, (_, b) =>
        pool.run<BasinPartResult>({
          kind: "cib-basin",
          ...preparedFields(p),
          rule,
          sequentialOrder: opts.sequentialOrder,
          engine: opts.engine,
          memoBytes: opts.memoBytes,
          prefix: Array.from(scenarioAt(p.counts.subarray(0, d), b)),
          ...(out ? { out, outAt: b * block } : {}),
          stop: ctl.stop,
          progress: ctl.progress,
        } satisfies BasinPartTask & { kind: string }),
      ),
    );
    // the starts processed: the blocks in order, up to the first a stop cut short
    for (const part of parts) {
      if (!out) succ.set(part.succ.subarray(0, part.done), processed);
      processed += part.done;
      if (part.done < block) break;
    }
  } finally {
    ctl.close();
  }
  return out
    ? resolveBasinsOnPool(p, model, rule, succ, processed, processed === total, opts, start, pool)
    : resolveBasins(p, model, rule, succ, processed, processed === total, opts, start);
}

function isExact(model: CompiledModel, opts: BasinOptions): boolean {
  const space = spaceSizeOf(model.counts);
  const method = opts.method ?? "auto";
  const exact = method === "exact" || (method === "auto" && space <= BigInt(opts.maxExact ?? 50_000_000));
  if (exact && space > 2n ** 31n - 1n)
    throw new Error(`space of ${space} scenarios is too large to enumerate`);
  return exact;
}

/**
 * How many leading factors a block fixes: the fewest giving at least `blocks` blocks, and never
 * into the inner block of the global pass (globalSuccessors keeps its last factors in a table).
 */
function prefixDepth(p: Prepared, blocks: number): number {
  const outer = p.n - innerFactors(p.counts);
  let d = 0;
  let count = 1;
  while (d < outer && count < blocks) count *= p.counts[d++];
  return d;
}

/** A cycle's canonical form: rotation starting at the smallest index. */
function canonicalCycle(idx: number[]): number[] {
  let best = 0;
  for (let i = 1; i < idx.length; i++) if (idx[i] < idx[best]) best = i;
  return idx.slice(best).concat(idx.slice(0, best));
}

const IN_PROGRESS = -(2 ** 30);

function exactBasins(model: CompiledModel, opts: BasinOptions): BasinResult {
  const start = nowMs();
  const p = prepare(model, opts);
  const total = Number(spaceSizeOf(p.counts));
  const rule = opts.rule ?? "global";
  const live = opts.shouldStop !== undefined || opts.signal !== undefined || opts.onProgress !== undefined;
  const succ = new Int32Array(total);
  const processed = blockSuccessors(p, opts, [], succ, (done) => {
    if (!live) return false;
    opts.onProgress?.({ done, total: 2 * total, elapsedMs: nowMs() - start });
    return stopRequested(opts);
  });
  return resolveBasins(p, model, rule, succ, processed, processed === total, opts, start);
}

/**
 * Pass 2: the attractors and their weights from the successors (succ is overwritten with
 * labels). Runs only when pass 1 covered every start; a result stopped in either pass counts
 * the starts pass 1 processed and has no attractors, flagged incomplete.
 *
 * Only the successors' image (the starts that are some start's successor; 4 % of the starts of
 * iain_bench_50x50, 0.5 % of the cibsa fixture) needs its path followed, since a start ends where
 * its successor ends:
 * a. mark the image in a bitmap (N/8 bytes, which stays in cache);
 * b. label every image node: follow its path through image nodes until a labelled node (its
 *    attractor) or itself (a new cycle), and write the label over its successor;
 * c. count every start once under its label: its own, if it is an image node, else its
 *    successor's. On a pool of this process's threads (resolveBasinsOnPool) the starts are cut
 *    into slices counted at once, and the counts added.
 * The random reads of (c) go to image nodes only; the old single pass followed every start's path
 * and wrote every start's label (5.6 s against about 1 s on iain_bench_50x50).
 */
function resolveBasins(
  p: Prepared,
  model: CompiledModel,
  rule: SuccessionRule,
  succ: Int32Array,
  processed: number,
  whole: boolean,
  opts: BasinOptions,
  start: number,
): BasinResult {
  const total = succ.length;
  const poll = pass2Poll(total, opts, start);
  const lab = whole ? labelImage(succ, poll) : undefined;
  let weights: number[] = [];
  let stopped = !lab || lab.stopped;
  if (lab && !stopped) {
    const w = new Float64Array(lab.labels.length);
    const done = countStarts(succ, lab.small, 0, total, w, (i) => poll((total >>> 1) + (i >>> 1)));
    stopped = done < total;
    weights = Array.from(w);
  }
  return basinsFromLabels(
    p,
    model,
    rule,
    stopped ? undefined : { labels: lab?.labels ?? [], weights },
    processed,
    opts,
    start,
  );
}

/**
 * resolveBasins with step (c) split over a pool of this process's threads (succ in shared
 * memory): this thread counts one slice, each pool thread another, and the counts add up.
 */
async function resolveBasinsOnPool(
  p: Prepared,
  model: CompiledModel,
  rule: SuccessionRule,
  succ: Int32Array,
  processed: number,
  whole: boolean,
  opts: BasinOptions,
  start: number,
  pool: Pool,
): Promise<BasinResult> {
  const total = succ.length;
  const poll = pass2Poll(total, opts, start);
  const lab = whole ? labelImage(succ, poll, true) : undefined;
  if (!lab || lab.stopped) return basinsFromLabels(p, model, rule, undefined, processed, opts, start);
  const slices = pool.threads + 1;
  const cut = (k: number) => Math.floor((total * k) / slices);
  const task = (k: number): BasinCountTask => ({
    succ: succ.buffer as SharedArrayBuffer,
    small: lab.small.buffer as SharedArrayBuffer,
    from: cut(k),
    to: cut(k + 1),
    labels: lab.labels.length,
  });
  const others = Array.from({ length: slices - 1 }, (_, k) =>
    pool.run<Float64Array>({ kind: "cib-basin-count", ...task(k + 1) }),
  );
  const mine = new Float64Array(lab.labels.length);
  const done = countStarts(succ, lab.small, 0, cut(1), mine, (i) => poll((total >>> 1) + (i >>> 1)));
  const parts = await Promise.all(others);
  if (done < cut(1)) return basinsFromLabels(p, model, rule, undefined, processed, opts, start);
  for (const w of parts) for (let l = 0; l < w.length; l++) mine[l] += w[l];
  return basinsFromLabels(
    p,
    model,
    rule,
    { labels: lab.labels, weights: Array.from(mine) },
    processed,
    opts,
    start,
  );
}

/** Pass 2's progress (its half of `total`) and stop. */
function pass2Poll(total: number, opts: BasinOptions, start: number): (done: number) => boolean {
  const live = opts.shouldStop !== undefined || opts.signal !== undefined || opts.onProgress !== undefined;
  return (done) => {
    if (!live) return false;
    opts.onProgress?.({ done: total + done, total: 2 * total, elapsedMs: nowMs() - start });
    return stopRequested(opts);
  };
}

/**
 * Steps (a) and (b): every image node's label written over its successor (−1 − label), and
 * `small[x]` = 1 + the label of image node x for the first 255 labels (0 otherwise).
 */
function labelImage(
  succ: Int32Array,
  poll: (done: number) => boolean,
  shared = false,
): { labels: { cycle: number[] }[]; small: Uint8Array; stopped: boolean } {
  const total = succ.length;
  const labels: { cycle: number[] }[] = [];
  // a. the image
  const image = new Uint8Array((total >>> 3) + 1);
  for (let i = 0; i < total; i++) {
    const v = succ[i];
    image[v >>> 3] |= 1 << (v & 7);
  }
  const small = new Uint8Array(shared ? new SharedArrayBuffer(total) : new ArrayBuffer(total));
  if (poll(total >>> 3)) return { labels, small, stopped: true };
  // b. label the image nodes
  const path: number[] = [];
  for (let i = 0; i < total; i++) {
    if ((image[i >>> 3] & (1 << (i & 7))) === 0 || succ[i] < 0) continue;
    path.length = 0;
    let x = i;
    let lab = -1;
    for (;;) {
      const v = succ[x];
      if (v >= 0) {
        succ[x] = IN_PROGRESS - path.length;
        path.push(x);
        x = v;
        continue;
      }
      if (v > IN_PROGRESS) {
        lab = -1 - v;
        break;
      }
      const pos = IN_PROGRESS - v;
      lab = labels.length;
      labels.push({ cycle: canonicalCycle(path.slice(pos)) });
      break;
    }
    for (const q of path) succ[q] = -1 - lab;
    if (lab < 255) for (const q of path) small[q] = lab + 1;
    if ((i & 0xfffff) === 0 && poll(total >>> 2)) return { labels, small, stopped: true };
  }
  return { labels, small, stopped: false };
}

/** Step (c) on starts from … to − 1, on a thread of the pool: the starts under each label. */
export interface BasinCountTask {
  /** Int32: the successors, each image node's overwritten with −1 − its label. */
  succ: SharedArrayBuffer;
  /** Uint8: 1 + an image node's label (first 255 labels), else 0. */
  small: SharedArrayBuffer;
  from: number;
  to: number;
  labels: number;
}

export function runBasinCount(task: BasinCountTask): Float64Array {
  const w = new Float64Array(task.labels);
  countStarts(new Int32Array(task.succ), new Uint8Array(task.small), task.from, task.to, w, () => false);
  return w;
}

/**
 * Step (c): every start counted under its label: its own if it is an image node, else its
 * successor's, read from `small` when it has one there (a byte read from N bytes instead of an
 * Int32 read from 4N, so more of the random reads hit cache). Returns the last start counted + 1.
 */
function countStarts(
  succ: Int32Array,
  small: Uint8Array,
  from: number,
  to: number,
  w: Float64Array,
  poll: (i: number) => boolean,
): number {
  for (let i = from; i < to; i++) {
    const v = succ[i];
    if (v < 0) w[-1 - v]++;
    else {
      const b = small[v];
      w[b > 0 ? b - 1 : -1 - succ[v]]++;
    }
    if ((i & 0xfffff) === 0 && poll(i)) return i;
  }
  return to;
}

/** The result from the labels and their weights, or, when pass 2 stopped, none claimed. */
function basinsFromLabels(
  p: Prepared,
  model: CompiledModel,
  rule: SuccessionRule,
  done: { labels: { cycle: number[] }[]; weights: number[] } | undefined,
  processed: number,
  opts: BasinOptions,
  start: number,
): BasinResult {
  // stopped in pass 2: the labels so far are no basin's whole weight; none is claimed
  return finishBasins(p, model, rule, done?.labels ?? [], done?.weights ?? [], {
    estimate: false,
    complete: done !== undefined,
    starts: processed,
    maxCycles: opts.maxCycles ?? 100,
    start,
    sampleInfo: undefined,
  });
}

function finishBasins(
  p: Prepared,
  model: CompiledModel,
  rule: SuccessionRule,
  labels: { cycle: number[] }[],
  weights: number[],
  o: {
    estimate: boolean;
    complete: boolean;
    starts: number;
    maxCycles: number;
    start: number;
    sampleInfo: { samples: number; seed: number } | undefined;
  },
): BasinResult {
  const space = spaceSizeOf(model.counts);
  const attractors: BasinAttractor[] = [];
  const cycles: BasinCycle[] = [];
  let cycleStarts = 0;
  const theta = new Int32Array(p.m);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i].cycle;
    if (c.length === 1) {
      const z = scenarioAt(model.counts, c[0]);
      balanceInto(p, z, theta);
      const s = summarize(p, z, theta);
      const a: BasinAttractor = {
        states: Array.from(z),
        weight: weights[i],
        share: weights[i] / o.starts,
        tis: s.tis,
        cv: s.cv,
      };
      if (o.estimate) a.weightEstimate = (weights[i] / o.starts) * Number(space);
      attractors.push(a);
    } else {
      cycleStarts += weights[i];
      cycles.push({
        scenarios: c.map((x) => Array.from(scenarioAt(model.counts, x))),
        period: c.length,
        starts: weights[i],
      });
    }
  }
  const lex = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  };
  attractors.sort((a, b) => b.weight - a.weight || lex(a.states, b.states));
  cycles.sort((a, b) => b.starts - a.starts || lex(a.scenarios[0], b.scenarios[0]));
  const res: BasinResult = {
    kind: "cib.basins",
    rule,
    estimate: o.estimate,
    complete: o.complete,
    spaceSize: space.toString(),
    starts: o.starts,
    attractors,
    cycles: cycles.slice(0, o.maxCycles),
    cycleCount: cycles.length,
    cycleStarts,
    elapsedMs: nowMs() - o.start,
  };
  if (o.sampleInfo) {
    res.samples = o.sampleInfo.samples;
    res.seed = o.sampleInfo.seed;
  }
  return res;
}
