// Pass 1 of exact basins (basins.ts): the successor of every start of a block, under
// ScenarioWizard's global rule (the hot loop, memoised and run in WebAssembly where it loads) or
// any other succession rule; and the block as one part on a pool (worker threads or the Redis
// queue). Method and references: basins.ts and succession.ts.

import { balanceInto, type Prepared, type PreparedFields, preparedFrom, spaceSizeOf } from "./core.js";
import { makeStepper, type SuccessionOptions, type SuccessionRule } from "./succession.js";
import { successorsWasm } from "./wasm/successors-wasm.js";

/** Where pass 1's per-factor loops run: WebAssembly where it loads ("auto"), or TypeScript. */
export type BasinEngine = "auto" | "ts";

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
export function innerFactors(counts: Int32Array): number {
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
export function blockSuccessors(
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
