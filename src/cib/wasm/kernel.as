// The exact kernel search's basic bound (src/cib/kernel.ts, searchComponentBasic) in
// AssemblyScript, compiled to WebAssembly and embedded in kernel-wasm.ts as base64. Rebuild both
// with scripts/build-wasm.sh after any change here (the extension is .as so that tsc and biome
// leave this file alone; the script hands it to asc as .ts).
//
// The host (search-wasm.ts) builds the tables exactly as kernel.ts does for one component (the
// local matrix lm, state counts, offsets, pair index, allowed states, the suffix bound S, the
// per-row gap deltas D, the cross-component TIS terms), writes them into this module's memory
// from heapBase(), calls setup() once and run() until it returns DONE. The loop is kernel.ts's,
// statement for statement: the same nodes in the same order, the same scenarios in the same
// order, the same IC / TIS / CV at each leaf. run() returns to the host
//   - PAUSED when the next node would reach `limit` (the host's poll point: progress and stop;
//     the node is undone, so the next run() visits it again), and
//   - FULL when the scenario buffer holds `cap` scenarios (the host copies them out),
// keeping its position in module globals. Cell values and sums fit in i32.
//
// SIMD (128-bit, 4 × i32): a factor of up to 4 states has its gaps computed, stored and tested in
// one vector; the thS row update runs 4 columns at a time. A vector covers the factor's ce states
// and 4 − ce spill lanes: the spill is read from the next entries of the same table (the host
// pads every table by 16 bytes) and written over the next factor's gap slots of the same row,
// which that factor rewrites before any read, or which are never read (an unchecked factor's,
// or the next depth's own slot before its own check writes it). Only the first ce lanes are
// tested, so the same nodes are pruned as by the scalar loop, which factors of 5 states use.

const DONE: i32 = 0;
const PAUSED: i32 = 1;
const FULL: i32 = 2;
const CV_NONE: i32 = 2147483647;

// the tables' addresses and sizes (setup)
let gNf: i32 = 0;
let gT: i32 = 0;
let gMl: i32 = 0;
let gNp: i32 = 0;
let gCnt: usize = 0;
let gLo: usize = 0;
let gChecked: usize = 0;
let gPairOff: usize = 0;
let gAllowedStart: usize = 0;
let gAllowed: usize = 0;
let gLm: usize = 0;
let gS: usize = 0;
let gD: usize = 0;
let gCrossTis: usize = 0;
let gG: usize = 0;
let gThS: usize = 0;
let gChoice: usize = 0;
let gChosen: usize = 0;
let gOut: usize = 0;
let gCap: i32 = 0;
// the search's position between run() calls
let depth: i32 = 0;
let nodeCount: i64 = 0;
let stored: i32 = 0;

/** Nodes visited so far (counting from setup's `startNodes`). */
export function nodes(): f64 {
  return <f64>nodeCount;
}

/** Scenarios in the buffer; each is nf states, then IC, TIS, CV (i32). */
export function found(): i32 {
  return stored;
}

/** Empties the scenario buffer (after the host copied it). */
export function drained(): void {
  stored = 0;
}

/** The current depth (for the host's settled share when PAUSED). */
export function currentDepth(): i32 {
  return depth;
}

/** First free byte after the module's static data: the host puts its tables from here. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline function ld(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function st(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}
// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/**
 * Starts a search. Tables (i32): cnt[nf], lo[nf+1], checked[nf], pairOff[nf+1],
 * allowedStart[nf+1], allowed[..], lm[ml·ml], S[(nf+1)·np], D[ml·np], crossTis[ml]; scratch:
 * G[nf·ml], thS[(nf+1)·ml] (zeroed), choice[nf], chosen[nf], out[cap·(nf+3)].
 */
export function setup(
  nf_: i32,
  T_: i32,
  ml_: i32,
  np_: i32,
  cnt_: usize,
  lo_: usize,
  checked_: usize,
  pairOff_: usize,
  allowedStart_: usize,
  allowed_: usize,
  lm_: usize,
  S_: usize,
  D_: usize,
  crossTis_: usize,
  G_: usize,
  thS_: usize,
  choice_: usize,
  chosen_: usize,
  out_: usize,
  cap_: i32,
  startNodes: f64,
): void {
  gNf = nf_;
  gT = T_;
  gMl = ml_;
  gNp = np_;
  gCnt = cnt_;
  gLo = lo_;
  gChecked = checked_;
  gPairOff = pairOff_;
  gAllowedStart = allowedStart_;
  gAllowed = allowed_;
  gLm = lm_;
  gS = S_;
  gD = D_;
  gCrossTis = crossTis_;
  gG = G_;
  gThS = thS_;
  gChoice = choice_;
  gChosen = chosen_;
  gOut = out_;
  gCap = cap_;
  for (let i = 0; i < nf_; i++) st(choice_, i, -1);
  depth = 0;
  nodeCount = <i64>startNodes;
  stored = 0;
}

/** Runs the search on until DONE, PAUSED (the next node would be node `limit`) or FULL. */
export function run(limit: f64): i32 {
  // the globals in locals for the loop
  const nf = gNf;
  const negT = -gT;
  const ml = gMl;
  const np = gNp;
  const cnt = gCnt;
  const lo = gLo;
  const checked = gChecked;
  const pairOff = gPairOff;
  const allowedStart = gAllowedStart;
  const allowed = gAllowed;
  const lm = gLm;
  const S = gS;
  const D = gD;
  const crossTis = gCrossTis;
  const G = gG;
  const thS = gThS;
  const choice = gChoice;
  const chosen = gChosen;
  const out = gOut;
  const cap = gCap;
  const stride = nf + 3;
  const lim = <i64>limit;
  const negTv = i32x4.splat(negT);
  const lanes = i32x4(0, 1, 2, 3);
  let nodes = nodeCount;
  let count = stored;
  let d = depth;
  while (d >= 0) {
    const ci = ld(choice, d) + 1;
    st(choice, d, ci);
    if (ci >= ld(allowedStart, d + 1) - ld(allowedStart, d)) {
      st(choice, d, -1);
      d--;
      continue;
    }
    const s = ld(allowed, ld(allowedStart, d) + ci);
    st(chosen, d, s);
    nodes++;
    if (nodes >= lim) {
      // kernel.ts polls here; undo the node, the host polls and runs again
      st(choice, d, ci - 1);
      nodes--;
      depth = d;
      nodeCount = nodes;
      stored = count;
      return PAUSED;
    }
    let ok = true;
    const drow = (ld(lo, d) + s) * np;
    const gPrev = (d - 1) * ml;
    const gCur = d * ml;
    for (let e = 0; e < d; e++) {
      if (ld(checked, e) == 0) continue;
      const ce = ld(cnt, e);
      const o = ld(lo, e);
      const pb = drow + ld(pairOff, e) + ld(chosen, e) * ce;
      if (ce <= 4) {
        // the factor's gaps in one vector (see the header: lanes ce… are spill, never tested)
        const v = i32x4.add(v128.load(at(G, gPrev + o)), v128.load(at(D, pb)));
        v128.store(at(G, gCur + o), v);
        if (v128.any_true(v128.and(i32x4.lt_s(v, negTv), i32x4.lt_s(lanes, i32x4.splat(ce))))) {
          ok = false;
          break;
        }
        continue;
      }
      for (let l = 0; l < ce; l++) {
        const v = ld(G, gPrev + o + l) + ld(D, pb + l);
        st(G, gCur + o + l, v);
        if (v < negT) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    if (!ok) continue;
    if (ld(checked, d) == 1) {
      const ce = ld(cnt, d);
      const o = ld(lo, d);
      const r = (o + s) * ml + o;
      const t = d * ml + o;
      const pb = (d + 1) * np + ld(pairOff, d) + s * ce;
      const own = ld(thS, t + s) + ld(lm, r + s);
      if (ce <= 4) {
        const v = i32x4.add(
          i32x4.sub(i32x4.sub(i32x4.splat(own), v128.load(at(thS, t))), v128.load(at(lm, r))),
          v128.load(at(S, pb)),
        );
        v128.store(at(G, gCur + o), v);
        if (v128.any_true(v128.and(i32x4.lt_s(v, negTv), i32x4.lt_s(lanes, i32x4.splat(ce))))) continue;
      } else {
        for (let l = 0; l < ce; l++) {
          const v = own - ld(thS, t + l) - ld(lm, r + l) + ld(S, pb + l);
          st(G, gCur + o + l, v);
          if (v < negT) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
      }
    }
    if (d < nf - 1) {
      const r = (ld(lo, d) + s) * ml;
      const a0 = d * ml;
      const a1 = (d + 1) * ml;
      // four columns at a time; the last vector may run up to 3 columns past the row, into the
      // first columns of row d + 2, which no check reads (they are below its factors' offsets)
      for (let c = ld(lo, d + 1); c < ml; c += 4)
        v128.store(at(thS, a1 + c), i32x4.add(v128.load(at(thS, a0 + c)), v128.load(at(lm, r + c))));
      d++;
      continue;
    }
    // leaf: every checked factor has IC_e ≤ T; G holds the exact gaps θ_k − θ_l
    let ic = 0;
    let tis = 0;
    let cv = CV_NONE;
    for (let e = 0; e < nf; e++) {
      const o = ld(lo, e);
      const k = ld(chosen, e);
      let tk = 0;
      for (let u = 0; u < nf; u++) tk += ld(lm, (ld(lo, u) + ld(chosen, u)) * ml + o + k);
      tis += tk + ld(crossTis, o + k);
      if (ld(checked, e) == 0) continue;
      const ce = ld(cnt, e);
      for (let l = 0; l < ce; l++) {
        if (l == k) continue;
        const g = ld(G, gCur + o + l);
        if (-g > ic) ic = -g;
        if (g < cv) cv = g;
      }
    }
    const at = count * stride;
    for (let e = 0; e < nf; e++) st(out, at + e, ld(chosen, e));
    st(out, at + nf, ic);
    st(out, at + nf + 1, tis);
    st(out, at + nf + 2, cv);
    count++;
    if (count >= cap) {
      depth = d;
      nodeCount = nodes;
      stored = count;
      return FULL;
    }
  }
  depth = d;
  nodeCount = nodes;
  stored = count;
  return DONE;
}
