// The hot loop of the exact CIB kernel search with the basic bound, in AssemblyScript, compiled
// to WebAssembly (bench/cib/wasm/kernel.wasm; build command in README.md). Bench only, not part
// of Muscat: issue 19 item 6 ships a WASM kernel only if it beats the TypeScript engine by 1.5×.
//
// The host (bench/cib/wasm-run.ts) builds the tables exactly as src/cib/kernel.ts does for one
// component (local matrix lm, state counts, offsets, pair index, the suffix bound S and the
// per-row gap deltas D), writes them into this module's memory at 4-byte-aligned offsets from
// heapBase(), and calls one of the searches below. Each counts the scenarios with IC ≤ T and
// the nodes (one state tried for one factor, as in kernel.ts and yardstick.c), so in the same
// factor order the node counts equal the TypeScript engine's.
//
// Three kernels:
// - searchGaps: the algorithm of kernel.ts's searchComponentBasic (a stack of bounded gaps,
//   updated per node from D; the new factor's own gaps from the partial balances thS).
// - searchTheta: the algorithm of yardstick.c (per node, the partial balance row θ is updated
//   over all M columns, then every assigned factor and rival is checked against S).
// - searchThetaSimd: searchTheta with the θ-row update in v128 (i32x4) lanes; needs M padded
//   to a multiple of 4 in the θ and matrix rows (the host pads with zeros).
// Cell values and sums fit in i32 (cells are ±3 … ±scale, at most a few hundred factors).

let nodeCount: i64 = 0;

/** Nodes visited by the last search. */
export function nodes(): f64 {
  return <f64>nodeCount;
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

/**
 * kernel.ts's basic branch and bound (gap stack). Tables (i32): cnt[nf], lo[nf+1], checked[nf],
 * pairOff[nf+1], allowedStart[nf+1], allowed[..], lm[ml·ml], S[(nf+1)·np], D[ml·np]; scratch:
 * G[nf·ml], thS[(nf+1)·ml] (zeroed), choice[nf], chosen[nf]. Returns the number of scenarios.
 */
export function searchGaps(
  nf: i32,
  T: i32,
  ml: i32,
  np: i32,
  cnt: usize,
  lo: usize,
  checked: usize,
  pairOff: usize,
  allowedStart: usize,
  allowed: usize,
  lm: usize,
  S: usize,
  D: usize,
  G: usize,
  thS: usize,
  choice: usize,
  chosen: usize,
): i32 {
  const negT = -T;
  let count = 0;
  let nodes: i64 = 0;
  for (let i = 0; i < nf; i++) st(choice, i, -1);
  let d = 0;
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
    let ok = true;
    const drow = (ld(lo, d) + s) * np;
    const gPrev = (d - 1) * ml;
    const gCur = d * ml;
    for (let e = 0; e < d; e++) {
      if (ld(checked, e) == 0) continue;
      const ce = ld(cnt, e);
      const o = ld(lo, e);
      const pb = drow + ld(pairOff, e) + ld(chosen, e) * ce;
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
    if (d < nf - 1) {
      const r = (ld(lo, d) + s) * ml;
      const a0 = d * ml;
      const a1 = (d + 1) * ml;
      for (let c = ld(lo, d + 1); c < ml; c++) st(thS, a1 + c, ld(thS, a0 + c) + ld(lm, r + c));
      d++;
      continue;
    }
    count++;
  }
  nodeCount = nodes;
  return count;
}

/**
 * yardstick.c's branch and bound (θ row per node, all states allowed). Tables (i32): cnt[nf],
 * lo[nf+1], checked[nf], pairOff[nf+1], lm with row stride w (w ≥ ml), S[(nf+1)·np]; scratch:
 * theta[(nf+1)·w] (zeroed), choice[nf], chosen[nf]. Returns the number of scenarios.
 */
export function searchTheta(
  nf: i32,
  T: i32,
  w: i32,
  np: i32,
  cnt: usize,
  lo: usize,
  checked: usize,
  pairOff: usize,
  lm: usize,
  S: usize,
  theta: usize,
  choice: usize,
  chosen: usize,
): i32 {
  const negT = -T;
  let count = 0;
  let nodes: i64 = 0;
  for (let i = 0; i < nf; i++) st(choice, i, -1);
  let d = 0;
  while (d >= 0) {
    const s = ld(choice, d) + 1;
    st(choice, d, s);
    if (s >= ld(cnt, d)) {
      st(choice, d, -1);
      d--;
      continue;
    }
    st(chosen, d, s);
    nodes++;
    const th = d * w;
    const nx = th + w;
    const row = (ld(lo, d) + s) * w;
    for (let c = 0; c < w; c++) st(theta, nx + c, ld(theta, th + c) + ld(lm, row + c));
    const sd = (d + 1) * np;
    let ok = true;
    for (let e = 0; e <= d; e++) {
      if (ld(checked, e) == 0) continue;
      const ce = ld(cnt, e);
      const o = nx + ld(lo, e);
      const k = ld(chosen, e);
      const tk = ld(theta, o + k);
      const pb = sd + ld(pairOff, e) + k * ce;
      for (let l = 0; l < ce; l++) {
        if (l == k) continue;
        if (tk - ld(theta, o + l) + ld(S, pb + l) < negT) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    if (!ok) continue;
    if (d == nf - 1) count++;
    else d++;
  }
  nodeCount = nodes;
  return count;
}

/** searchTheta with the θ-row update in i32x4 lanes (w a multiple of 4, 16-byte aligned rows). */
export function searchThetaSimd(
  nf: i32,
  T: i32,
  w: i32,
  np: i32,
  cnt: usize,
  lo: usize,
  checked: usize,
  pairOff: usize,
  lm: usize,
  S: usize,
  theta: usize,
  choice: usize,
  chosen: usize,
): i32 {
  const negT = -T;
  let count = 0;
  let nodes: i64 = 0;
  const rowBytes = <usize>w << 2;
  for (let i = 0; i < nf; i++) st(choice, i, -1);
  let d = 0;
  while (d >= 0) {
    const s = ld(choice, d) + 1;
    st(choice, d, s);
    if (s >= ld(cnt, d)) {
      st(choice, d, -1);
      d--;
      continue;
    }
    st(chosen, d, s);
    nodes++;
    const thB = theta + <usize>d * rowBytes;
    const nxB = thB + rowBytes;
    const rowB = lm + <usize>(ld(lo, d) + s) * rowBytes;
    for (let b: usize = 0; b < rowBytes; b += 16)
      v128.store(nxB + b, i32x4.add(v128.load(thB + b), v128.load(rowB + b)));
    const nx = (d + 1) * w;
    const sd = (d + 1) * np;
    let ok = true;
    for (let e = 0; e <= d; e++) {
      if (ld(checked, e) == 0) continue;
      const ce = ld(cnt, e);
      const o = nx + ld(lo, e);
      const k = ld(chosen, e);
      const tk = ld(theta, o + k);
      const pb = sd + ld(pairOff, e) + k * ce;
      for (let l = 0; l < ce; l++) {
        if (l == k) continue;
        if (tk - ld(theta, o + l) + ld(S, pb + l) < negT) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    if (!ok) continue;
    if (d == nf - 1) count++;
    else d++;
  }
  nodeCount = nodes;
  return count;
}
