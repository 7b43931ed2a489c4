// The hot loops of exact global-succession basins (src/cib/successors.ts, globalSuccessors) in
// AssemblyScript with 128-bit SIMD, compiled to WebAssembly and embedded in
// successors-wasm-bytes.ts as base64. Rebuild both with scripts/build-wasm.sh after any change
// here (the extension is .as so that tsc and biome leave this file alone).
//
// One block of starts: the outer factors' states fixed (their rows summed in `base`), the inner
// factors' states running over the block's bp starts t (bp: the block's size rounded up to 16;
// the lanes past the block compute values nobody reads). The host (successors.ts) keeps the memo of
// each factor's answers by key, in JavaScript, and calls per block of starts:
//   clear();                    acc ← 0
//   answer(...) per factor whose answers are not memoised: its answers (the state that the
//               successor gives the factor, for every start t) into the arena at dst, and
//               acc += answer × stride;
//   accumulate(h) for the h memoised factors listed in the plan (arena offset, stride):
//               acc += Σ answers × stride.
// acc[t] is then the index of start t's successor (the sum over factors of state × stride).
//
// Answers follow ScenarioWizard's global rule as successors.ts does: the factor's current state
// first, then every state l in order replaces the best when strictly greater, so the current
// state keeps its place on a tie and otherwise the lowest of the tied best wins. Lanes compute
// this branch-free: v = base[a + l] + cols[(a + l)·bp + t], mask = v > best, best and arg
// selected by the mask.
//
// Memory (i32 unless said, laid out by the host from heapBase()): cols[m·bp] (the inner block's
// combined rows by column), cur[k·bp] (each inner factor's state per start), base[m], acc[bp],
// plan[2·n], and the arena (u8, bp bytes per memoised answer).

let gBp: i32 = 0;
let gCols: usize = 0;
let gCur: usize = 0;
let gBase: usize = 0;
let gAcc: usize = 0;
let gPlan: usize = 0;

/** First free byte after the module's static data: the host puts its tables from here. */
export function heapBase(): usize {
  return __heap_base;
}

export function setup(bp: i32, cols: usize, cur: usize, base: usize, acc: usize, plan: usize): void {
  gBp = bp;
  gCols = cols;
  gCur = cur;
  gBase = base;
  gAcc = acc;
  gPlan = plan;
}

/** acc ← 0. */
export function clear(): void {
  memory.fill(gAcc, 0, <usize>gBp << 2);
}

/**
 * One factor's answers over the block: the factor's states are columns a … a + cf − 1 of cols
 * and base. `current` is the outer factor's state, or −1 for inner factor `q` (its state per
 * start in cur). Writes the answers (u8) at dst and adds answer × stride to acc.
 */
export function answer(a: i32, cf: i32, current: i32, q: i32, dst: usize, stride: i32): void {
  const bp = gBp;
  const cols = gCols;
  const base = gBase;
  const acc = gAcc;
  const sv = i32x4.splat(stride);
  const curRow = gCur + ((<usize>q * <usize>bp) << 2);
  for (let t = 0; t < bp; t += 4) {
    const off = <usize>t << 2;
    let best: v128;
    let arg: v128;
    if (current >= 0) {
      best = i32x4.add(
        i32x4.splat(load<i32>(base + (<usize>(a + current) << 2))),
        v128.load(cols + ((<usize>(a + current) * <usize>bp) << 2) + off),
      );
      arg = i32x4.splat(current);
    } else {
      // the current state's value, lane by lane
      const cur = v128.load(curRow + off);
      best = i32x4.splat(0);
      arg = cur;
      for (let l = 0; l < cf; l++) {
        const v = i32x4.add(
          i32x4.splat(load<i32>(base + (<usize>(a + l) << 2))),
          v128.load(cols + ((<usize>(a + l) * <usize>bp) << 2) + off),
        );
        best = v128.bitselect(v, best, i32x4.eq(cur, i32x4.splat(l)));
      }
    }
    for (let l = 0; l < cf; l++) {
      const v = i32x4.add(
        i32x4.splat(load<i32>(base + (<usize>(a + l) << 2))),
        v128.load(cols + ((<usize>(a + l) * <usize>bp) << 2) + off),
      );
      const m = i32x4.gt_s(v, best);
      best = v128.bitselect(v, best, m);
      arg = v128.bitselect(i32x4.splat(l), arg, m);
    }
    // the answers as bytes (states < 256), and acc += answer × stride
    const n16 = i16x8.narrow_i32x4_u(arg, arg);
    const n8 = i8x16.narrow_i16x8_u(n16, n16);
    v128.store32_lane(dst + <usize>t, n8, 0);
    v128.store(acc + off, i32x4.add(v128.load(acc + off), i32x4.mul(arg, sv)));
  }
}

/** acc += Σ over the plan's first h entries (arena address, stride) of answers × stride. */
export function accumulate(h: i32): void {
  const bp = gBp;
  const acc = gAcc;
  const plan = gPlan;
  for (let t = 0; t < bp; t += 16) {
    const off = <usize>t << 2;
    let a0 = v128.load(acc + off);
    let a1 = v128.load(acc + off + 16);
    let a2 = v128.load(acc + off + 32);
    let a3 = v128.load(acc + off + 48);
    for (let j = 0; j < h; j++) {
      const at = <usize>load<i32>(plan + (<usize>(2 * j) << 2));
      const sv = i32x4.splat(load<i32>(plan + (<usize>(2 * j + 1) << 2)));
      const bytes = v128.load(at + <usize>t);
      const lo = i16x8.extend_low_i8x16_u(bytes);
      const hi = i16x8.extend_high_i8x16_u(bytes);
      a0 = i32x4.add(a0, i32x4.mul(i32x4.extend_low_i16x8_u(lo), sv));
      a1 = i32x4.add(a1, i32x4.mul(i32x4.extend_high_i16x8_u(lo), sv));
      a2 = i32x4.add(a2, i32x4.mul(i32x4.extend_low_i16x8_u(hi), sv));
      a3 = i32x4.add(a3, i32x4.mul(i32x4.extend_high_i16x8_u(hi), sv));
    }
    v128.store(acc + off, a0);
    v128.store(acc + off + 16, a1);
    v128.store(acc + off + 32, a2);
    v128.store(acc + off + 48, a3);
  }
}
