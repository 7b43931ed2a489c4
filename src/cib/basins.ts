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
// 1. succ[i] = the index of start i's successor. Each start is independent, so the starts split
//    into blocks that share their first d factors' states (a prefix); a block is one part on a
//    pool (worker threads, or the Redis queue), which returns its slice of succ.
// 2. The functional graph i → succ[i] is resolved on this thread: every path is followed until
//    it meets a labelled node (its attractor) or itself (a new cycle), then labelled. O(N).
// The result does not depend on how pass 1 was split.

import type { CompiledModel } from "../model/compiled.js";
import { type Pool, partsControl } from "../workers/pool.js";
import { sampledBasins } from "./basins-sampled.js";
import {
  balanceInto,
  nowMs,
  type Prepared,
  type PreparedFields,
  prepare,
  preparedFields,
  preparedFrom,
  type RunControl,
  scenarioAt,
  spaceSizeOf,
  stopRequested,
  summarize,
} from "./core.js";
import { makeStepper, type SuccessionOptions, type SuccessionRule } from "./succession.js";
import { successorsWasm } from "./wasm/successors-wasm.js";

/** Where pass 1's per-factor loops run: WebAssembly where it loads ("auto"), or TypeScript. */
export type BasinEngine = "auto" | "ts";

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

/**
 * Odometer step over factors lo … hi − 1 (the last fastest), with θ (the sum of the chosen
 * states' rows) updated incrementally. Returns false when it wrapped past factor lo (done).
 */
function advance(p: Prepared, lo: number, hi: number, z: Int32Array, theta: Int32Array): boolean {
  const { m, counts, offsets, matrix } = p;
  for (let f = hi - 1; f >= lo; f--) {
    const old = z[f];
    const nw = old + 1 === counts[f] ? 0 : old + 1;
    z[f] = nw;
    const ro = (offsets[f] + old) * m;
    const rn = (offsets[f] + nw) * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[rn + c] - matrix[ro + c];
    if (nw !== 0) return true;
  }
  return false;
}

/** At most this many bytes of memoised answers per block sweep (a part, or a whole run). */
const MEMO_BYTES = 64 * 2 ** 20;

/** The last K factors whose Π counts ≤ 256 (at least one): the inner block of the global pass. */
function innerFactors(counts: Int32Array): number {
  const n = counts.length;
  let k = 1;
  let bsize = counts[n - 1];
  while (k < n && bsize * counts[n - 1 - k] <= 256) {
    bsize *= counts[n - 1 - k];
    k++;
  }
  return k;
}

/** Index strides of the odometer order (factor 0 most significant). */
function stridesOf(counts: Int32Array): Int32Array {
  const strides = new Int32Array(counts.length);
  let s = 1;
  for (let f = counts.length - 1; f >= 0; f--) {
    strides[f] = s;
    s *= counts[f];
  }
  return strides;
}

/**
 * ScenarioWizard global successors of the starts whose first factors are `prefix`, in odometer
 * order, into succ[0..]. The last K factors form an inner block whose combined rows are
 * precomputed and stored by column, so θ = base + block row is never written: for each factor
 * and state, one tight loop runs over the block's starts with the base's value fixed. The base
 * (sum of the outer factors' rows) is updated incrementally. This is the hot loop of exact
 * global basins: its per-factor loops run in WebAssembly with SIMD lanes (wasm/successors.as)
 * where that module loads, else in TypeScript (`engine: "ts"` forces it); the memo, the keys
 * and the odometer stay here. Returns the starts done (fewer than the block when `poll` says
 * stop).
 */
function globalSuccessors(
  p: Prepared,
  prefix: number[],
  succ: Int32Array,
  poll: (done: number) => boolean,
  engine: BasinEngine = "auto",
  memoMax: number = MEMO_BYTES,
): number {
  const { n, m, counts, offsets, matrix } = p;
  const strides = stridesOf(counts);
  const k = innerFactors(counts);
  let bsize = 1;
  for (let f = n - k; f < n; f++) bsize *= counts[f];
  const outer = n - k;
  const lo = prefix.length;
  const blockRows = new Int32Array(bsize * m);
  const blockZ = new Int32Array(bsize * k);
  {
    const bz = new Int32Array(k);
    for (let t = 0; t < bsize; t++) {
      for (let q = 0; q < k; q++) {
        const f = outer + q;
        blockZ[t * k + q] = bz[q];
        const r = (offsets[f] + bz[q]) * m;
        for (let c = 0; c < m; c++) blockRows[t * m + c] += matrix[r + c];
      }
      for (let q = k - 1; q >= 0; q--) {
        bz[q]++;
        if (bz[q] < counts[outer + q]) break;
        bz[q] = 0;
      }
    }
  }
  // the WebAssembly block; its arena holds the memo's answers (at most one per factor and outer
  // configuration, and memoMax), then one scratch answer
  const padded = Math.ceil(bsize / 16) * 16;
  const configs = Number(spaceSizeOf(counts.subarray(lo, outer)));
  const memoLimit = Math.min(memoMax, configs * n * padded);
  const wasm = engine === "ts" ? undefined : successorsWasm(m, bsize, k, n, memoLimit + padded);
  try {
    const W = wasm?.block;
    // one memoised answer's bytes: the block's starts (rounded up to 16 on the WebAssembly side)
    const unit = W ? W.bp : bsize;
    const memoCap = W ? memoLimit - (memoLimit % unit) : memoMax;
    const z = new Int32Array(Math.max(outer, 1));
    for (let f = 0; f < lo; f++) z[f] = prefix[f];
    const base = W ? W.base : new Int32Array(m);
    for (let f = 0; f < outer; f++) {
      const r = (offsets[f] + z[f]) * m;
      for (let c = 0; c < m; c++) base[c] += matrix[r + c];
    }
    // the block's rows by column, so that the loops below run over the block's starts t
    const cols = W ? W.cols : new Int32Array(m * bsize);
    for (let t = 0; t < bsize; t++) for (let c = 0; c < m; c++) cols[c * unit + t] = blockRows[t * m + c];
    if (W)
      for (let t = 0; t < bsize; t++) for (let q = 0; q < k; q++) W.cur[q * unit + t] = blockZ[t * k + q];
    const best = new Int32Array(bsize);
    const arg = new Int32Array(bsize);
    const acc = W ? W.acc.subarray(0, bsize) : new Int32Array(bsize);
    // Memo of each factor's answers over the block. They depend on the outer factors only through
    // the differences base[a + l] − base[a] (a common shift changes no argmax and no tie) and, for
    // an outer factor, its current state (which keeps its place on a tie): the key. Outer
    // configurations repeat these few differences many times (iain_bench_50x50: 2.4·10⁵ blocks),
    // so most blocks cost one lookup and one pass per factor instead of one pass per state.
    // memo[f]: key → offset of the block's answers in one growing arena (no object per entry)
    const memo = Array.from({ length: n }, () => new Map<number, number>());
    let arena = new Uint8Array(W ? 0 : Math.min(memoMax, 64 * bsize));
    // Keys stay small integers (< 2^30, which the JIT hashes fastest): a factor of c states has
    // c − 1 differences, each within ±span, and c + 1 current states (or none).
    const spans = Array.from(counts, (c) =>
      c < 2 ? 0 : Math.floor((2 ** 30 / (c + 1)) ** (1 / (c - 1)) / 2),
    );
    let memoBytes = 0;
    // this start block's memoised factors: where their answers are, and their strides
    const hitAt = new Int32Array(n);
    const hitStride = new Int32Array(n);
    let i = 0;
    for (;;) {
      if (W) W.clear();
      else acc.fill(0);
      let hits = 0;
      for (let f = 0; f < n; f++) {
        const a = offsets[f];
        const cf = counts[f];
        const st = strides[f];
        const span = spans[f];
        let key = span > 0 ? (f < outer ? z[f] + 1 : 0) : -1;
        for (let l = 1; l < cf && key >= 0; l++) {
          const d = base[a + l] - base[a];
          key = d > -span && d < span ? key * 2 * span + d + span : -1;
        }
        const known = key >= 0 ? memo[f].get(key) : undefined;
        if (known !== undefined) {
          hitAt[hits] = known;
          hitStride[hits++] = st;
          continue;
        }
        const store = key >= 0 && memoBytes + unit <= memoCap;
        if (W) {
          // the answers straight into the arena (or its scratch slot), and into acc
          W.answer(a, cf, f < outer ? z[f] : -1, f - outer, W.arena + (store ? memoBytes : memoCap), st);
        } else {
          // the current state first: it keeps its place on a tie
          if (f < outer) {
            const cur = z[f];
            const bc = base[a + cur];
            const col = (a + cur) * bsize;
            for (let t = 0; t < bsize; t++) {
              best[t] = bc + cols[col + t];
              arg[t] = cur;
            }
          } else {
            const q = f - outer;
            for (let t = 0; t < bsize; t++) {
              const cur = blockZ[t * k + q];
              best[t] = base[a + cur] + cols[(a + cur) * bsize + t];
              arg[t] = cur;
            }
          }
          for (let l = 0; l < cf; l++) {
            const bl = base[a + l];
            const col = (a + l) * bsize;
            for (let t = 0; t < bsize; t++) {
              const v = bl + cols[col + t];
              if (v > best[t]) {
                best[t] = v;
                arg[t] = l;
              }
            }
          }
          for (let t = 0; t < bsize; t++) acc[t] += arg[t] * st;
          if (store) {
            if (memoBytes + bsize > arena.length) {
              const grown = new Uint8Array(Math.min(memoMax, 2 * arena.length));
              grown.set(arena);
              arena = grown;
            }
            for (let t = 0; t < bsize; t++) arena[memoBytes + t] = arg[t];
          }
        }
        if (store) {
          memo[f].set(key, memoBytes);
          memoBytes += unit;
        }
      }
      if (W) {
        for (let h = 0; h < hits; h++) {
          W.plan[2 * h] = W.arena + hitAt[h];
          W.plan[2 * h + 1] = hitStride[h];
        }
        W.accumulate(hits);
      } else accumulateHits(acc, arena, hitAt, hitStride, hits);
      succ.set(acc, i);
      i += bsize;
      if ((i & 0xfffff) < bsize && poll(i)) return i;
      // the outer odometer, below the prefix
      if (!advance(p, lo, outer, z, base)) return i;
    }
  } finally {
    wasm?.release();
  }
}

/** acc += Σ over the memoised factors of their answers × stride, four factors a pass. */
function accumulateHits(
  acc: Int32Array,
  arena: Uint8Array,
  hitAt: Int32Array,
  hitStride: Int32Array,
  hits: number,
): void {
  const bsize = acc.length;
  let h = 0;
  for (; h + 4 <= hits; h += 4) {
    const k0 = hitAt[h];
    const k1 = hitAt[h + 1];
    const k2 = hitAt[h + 2];
    const k3 = hitAt[h + 3];
    const s0 = hitStride[h];
    const s1 = hitStride[h + 1];
    const s2 = hitStride[h + 2];
    const s3 = hitStride[h + 3];
    for (let t = 0; t < bsize; t++)
      acc[t] += arena[k0 + t] * s0 + arena[k1 + t] * s1 + arena[k2 + t] * s2 + arena[k3 + t] * s3;
  }
  for (; h < hits; h++) {
    const k0 = hitAt[h];
    const s0 = hitStride[h];
    for (let t = 0; t < bsize; t++) acc[t] += arena[k0 + t] * s0;
  }
}

/** Successors under any rule of the starts whose first factors are `prefix`, into succ[0..]. */
function blockSuccessors(
  p: Prepared,
  opts: SuccessionOptions & { engine?: BasinEngine; memoBytes?: number },
  prefix: number[],
  succ: Int32Array,
  poll: (done: number) => boolean,
): number {
  if ((opts.rule ?? "global") === "global")
    return globalSuccessors(p, prefix, succ, poll, opts.engine, opts.memoBytes);
  const { n, m, counts } = p;
  const stepper = makeStepper(p, opts);
  const strides = stridesOf(counts);
  const z = new Int32Array(n);
  z.set(prefix);
  const theta = balanceInto(p, z, new Int32Array(m));
  const zs = new Int32Array(n);
  const ts = new Int32Array(m);
  for (let idx = 0; idx < succ.length; idx++) {
    zs.set(z);
    ts.set(theta);
    stepper.step(zs, ts);
    let sIdx = 0;
    for (let f = 0; f < n; f++) sIdx += zs[f] * strides[f];
    succ[idx] = sIdx;
    advance(p, 0, n, z, theta);
    if (((idx + 1) & 0xfffff) === 0 && poll(idx + 1)) return idx + 1;
  }
  return succ.length;
}

/** One part of pass 1: the successors of one block of starts. */
export interface BasinPartTask extends PreparedFields {
  rule: SuccessionRule;
  sequentialOrder?: number[];
  engine?: BasinEngine;
  memoBytes?: number;
  /** The states of the first factors, shared by the block's starts. */
  prefix: number[];
  /** Shared Int32Array(1): 1 = stop. */
  stop: SharedArrayBuffer;
  /** Shared BigInt64Array(1): starts done so far by all parts. */
  progress: SharedArrayBuffer;
  /** Threads of the caller's process only: the whole succ (Int32), written from `outAt`. */
  out?: SharedArrayBuffer;
  outAt?: number;
}

export interface BasinPartResult {
  /** succ of the block's starts (its first `done` entries are set); empty when written to `out`. */
  succ: Int32Array;
  done: number;
}

export function runBasinPart(task: BasinPartTask): BasinPartResult {
  const p = preparedFrom(task);
  const stop = new Int32Array(task.stop);
  const progress = new BigInt64Array(task.progress);
  const size = Number(spaceSizeOf(task.counts.subarray(task.prefix.length)));
  const succ = task.out ? new Int32Array(task.out, 4 * (task.outAt ?? 0), size) : new Int32Array(size);
  const result = (done: number) => ({ succ: task.out ? new Int32Array(0) : succ, done });
  if (Atomics.load(stop, 0) === 1) return result(0);
  let reported = 0;
  const done = blockSuccessors(p, task, task.prefix, succ, (d) => {
    Atomics.add(progress, 0, BigInt(d - reported));
    reported = d;
    return Atomics.load(stop, 0) === 1;
  });
  Atomics.add(progress, 0, BigInt(done - reported));
  return result(done);
}

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
