// CIB kernel search, bound: "propagate": branch and bound with forward checking (domain
// filtering to a fixpoint) and a dom/wdeg dynamic variable order; optionally a surrogate bound
// over the decided factors. The default for sparse models (kernel.ts, defaultBound: at least
// half the cells between factors empty, as in elicited models), where it is as fast or far
// faster than the reference bound of cib-method.md ("basic"); on dense random matrices "basic"
// stays faster (this search visits fewer nodes, but each costs 10–30× more). Both return
// exactly the same scenarios (test/cib/propagate.test.ts, test/cib/structured.test.ts).
//
// Method. Weimer-Jehle (2006), TFSC 73:334–361 defines the kernel: the scenarios where every
// (non-exempt) factor's chosen state attains its factor's maximum impact balance (within the
// tolerance T). cib-method.md "Exact search" bounds the ASSIGNED factors only: for assigned j
// with chosen k and rival l, prune when the partial gap plus the largest gain the unassigned
// factors could still give l over k is below −T.
//
// Muscat's extension (forward checking / domain filtering). Every factor u has a domain D(u)
// of still-possible states (an assignment is a domain of one state). For a target factor e,
// one of its states k and any rival l ≠ k (rivals are ALL states of e, also filtered-out
// ones: they still compete for the maximum), every scenario z drawn from the domains
// satisfies
//
//   θ_{e,k}(z) − θ_{e,l}(z) = self(e,k,l) + Σ_{u≠e} (C[(u,z_u),(e,k)] − C[(u,z_u),(e,l)])
//                           ≤ self(e,k,l) + F(e,k,l),
//   F(e,k,l) = Σ_{u≠e} max_{v∈D(u)} (C[(u,v),(e,k)] − C[(u,v),(e,l)]),
//
// where self(e,k,l) = C[(e,k),(e,k)] − C[(e,k),(e,l)] is exact when z_e = k (self-impacts are
// summed unless ignoreSelfImpacts zeroed them in the effective matrix). So if
// self + F < −T for some l, no scenario in the current box with z_e = k has IC_e ≤ T:
// state k is dead and is removed from D(e) (for assigned factors this is exactly the
// reference bound, with a sharper F since the other domains shrank). Removing a state only
// lowers the maxima in F, so the test is re-run (AC-3 style queue) on the factors that the
// changed factor influences, until a fixpoint. An empty domain prunes the node. (In game
// terms a CIB kernel is the set of pure ε-equilibria of a polymatrix game; this is iterated
// elimination of strictly dominated states, relative to the current box.) Exempt
// factors (interventions) and one-state factors are never tested but keep acting through F.
// Soundness: a state is removed only when no kernel scenario in the current box uses it, so
// the box always contains every kernel scenario of the subtree; at a leaf every domain is a
// single state, F is the exact sum and the test is exact (IC_e ≤ T for all checked e).
//
// Branching (dom/wdeg, Boussemart et al. 2004, "Boosting systematic search by weighting
// constraints"): each factor's check is a constraint over the factor and its sources; a check
// that empties its factor's domain gets one more failure, counted for the factor and for every
// source of it (wsum, kept incrementally). The next factor is the undecided one with the least
// live states per failure (plain fail first until a check has failed), ties by the static
// order of planComponents. On the structured benchmark models it halves to quarters the nodes
// of fail first with influence ties (bench:structured; docs/cib.md).
// The surrogate bound below (spec.surrogate) prunes 2–3× more nodes but costs ~5× per node;
// it is off by default and tested like the rest.
// F is maintained incrementally: per source u the vector mg[u] of its current maxima, F the
// sum; a domain change of u recomputes mg[u] and adds the difference; an undo stack restores
// the previous mg[u] and the removed states on backtracking. No allocation in the inner loop.

import { nowMs, type Prepared, type RunControl, stopRequested } from "./core.js";
import type { SearchSpec } from "./kernel.js";
import { componentTables } from "./search-setup.js";

/** Raw result of one component's search. */
export interface ComponentSolutions {
  factors: number[];
  /** Flat states, factors in `factors` order, count × factors.length. */
  states: Int32Array;
  ic: Int32Array;
  tis: Int32Array;
  /** CV; +∞ encoded as 2^31−1 when no non-exempt multi-state factor. */
  cv: Int32Array;
  count: number;
}

export interface Counter {
  nodes: number;
  stopped: boolean;
  start: number;
  nextPoll: number;
  /** Share of the whole search settled before this component, and the component's share. */
  coveredBase?: number;
  coveredSpan?: number;
  /** When stopped: the share of the whole search settled (if the search could tell). */
  covered?: number;
  /**
   * When the basic bound's loop stopped: the branch it was visiting, as the index of the chosen
   * state in each depth's allowed list (depth 0 first). Everything before it in depth-first
   * order is settled.
   */
  at?: number[];
}

/** Multiplicative-weights iterations of the surrogate bound per node, and its step sizes. */
const ITERS = 5;
const ETA = 0.3;
const ETA2 = 0.1;
export const CV_NONE = 2147483647;
export const POLL = 1 << 15;

/** Growable flat store of a component's solutions. */
export class SolutionStore {
  states: Int32Array;
  ic = new Int32Array(16);
  tis = new Int32Array(16);
  cv = new Int32Array(16);
  count = 0;
  constructor(readonly nf: number) {
    this.states = new Int32Array(Math.max(16, nf * 16));
  }
  push(z: ArrayLike<number>, ic: number, tis: number, cv: number): void {
    const nf = this.nf;
    if (this.count === this.ic.length) {
      const grow = (a: Int32Array, size: number) => {
        const b = new Int32Array(size);
        b.set(a);
        return b;
      };
      const c2 = this.count * 2;
      this.states = grow(this.states, c2 * nf);
      this.ic = grow(this.ic, c2);
      this.tis = grow(this.tis, c2);
      this.cv = grow(this.cv, c2);
    }
    for (let e = 0; e < nf; e++) this.states[this.count * nf + e] = z[e];
    this.ic[this.count] = ic;
    this.tis[this.count] = tis;
    this.cv[this.count] = cv;
    this.count++;
  }
  result(factors: number[]): ComponentSolutions {
    const { count, nf } = this;
    return {
      factors,
      states: this.states.subarray(0, count * nf),
      ic: this.ic.subarray(0, count),
      tis: this.tis.subarray(0, count),
      cv: this.cv.subarray(0, count),
      count,
    };
  }
}

/** Branch and bound with forward checking over one component (factors in static order). */
export function searchComponentPropagate(
  p: Prepared,
  spec: SearchSpec,
  factors: number[],
  ctl: RunControl,
  counter: Counter,
): ComponentSolutions {
  const T = spec.tolerance;
  // local layout, matrix, cross-component TIS, checked factors, pair index (search-setup.ts)
  const { nf, cnt, lo, ml, lm, crossTis, checked, pairOff, np } = componentTables(p, spec, factors);
  // Dl[(lo[u]+v)*np + pair(e,k,l)] = C[(u,v),(e,k)] − C[(u,v),(e,l)] for u ≠ e (0 for u = e)
  const Dl = new Int32Array(ml * np);
  // selfT[pair(e,k,l)] = C[(e,k),(e,k)] − C[(e,k),(e,l)] + T
  const selfT = new Int32Array(np);
  // influence lists: tgt[tgtStart[u]..tgtStart[u+1]) = the factors e ≠ u whose gaps u can move
  const tgtList: number[] = [];
  const tgtStart = new Int32Array(nf + 1);
  for (let u = 0; u < nf; u++) {
    for (let e = 0; e < nf; e++) {
      const ce = cnt[e];
      if (e === u) {
        for (let k = 0; k < ce; k++) {
          const r = (lo[e] + k) * ml + lo[e];
          for (let l = 0; l < ce; l++) selfT[pairOff[e] + k * ce + l] = lm[r + k] - lm[r + l] + T;
        }
        continue;
      }
      let any = false;
      for (let v = 0; v < cnt[u]; v++) {
        const r = (lo[u] + v) * ml + lo[e];
        const base = (lo[u] + v) * np + pairOff[e];
        for (let k = 0; k < ce; k++)
          for (let l = 0; l < ce; l++) {
            const x = lm[r + k] - lm[r + l];
            Dl[base + k * ce + l] = x;
            if (x !== 0) any = true;
          }
      }
      if (any) tgtList.push(e);
    }
    tgtStart[u + 1] = tgtList.length;
  }
  const tgt = Int32Array.from(tgtList);
  // domains
  const alive = new Uint8Array(ml);
  const fOf = new Int32Array(ml);
  for (let d = 0; d < nf; d++) fOf.fill(d, lo[d], lo[d + 1]);
  const live = new Int32Array(nf);
  for (let d = 0; d < nf; d++)
    for (const s of spec.allowed[factors[d]]) {
      alive[lo[d] + s] = 1;
      live[d]++;
    }
  // mg[u*np + pair] = max_{v∈D(u)} Dl[(u,v), pair]; F = Σ_u mg[u]
  const mg = new Int32Array(nf * np);
  const F = new Int32Array(np);
  // undo stacks: removed states; the mg entries changed (index in mg, pair, previous value).
  // Along one path each recomputation of mg[u] follows the removal of a state of u, so at most
  // ml recomputations of at most np entries each are on the stack.
  const trail = new Int32Array(ml + 1);
  let tp = 0;
  const mgAt = new Int32Array(ml * np + 1);
  const mgPair = new Int32Array(ml * np + 1);
  const mgOld = new Int32Array(ml * np + 1);
  let sp = 0;
  // propagation queue (each factor at most once)
  const queue = new Int32Array(nf);
  const inQ = new Uint8Array(nf);
  // dom/wdeg: wsum[d] = wipe-outs of the checks d takes part in (its own, and those of the
  // factors it influences); reverse influence lists to keep it incremental
  const wsum = new Float64Array(nf);
  const srcStart = new Int32Array(nf + 1);
  for (let u = 0; u < nf; u++) for (let t = tgtStart[u]; t < tgtStart[u + 1]; t++) srcStart[tgt[t] + 1]++;
  for (let e = 0; e < nf; e++) srcStart[e + 1] += srcStart[e];
  const src = new Int32Array(srcStart[nf]);
  {
    const fill = srcStart.slice(0, nf);
    for (let u = 0; u < nf; u++) for (let t = tgtStart[u]; t < tgtStart[u + 1]; t++) src[fill[tgt[t]]++] = u;
  }
  let qh = 0;
  let qn = 0;
  const z = new Int32Array(nf);
  const theta = new Int32Array(ml);
  const sols = new SolutionStore(nf);
  let nodes = counter.nodes;
  let stopped = false;
  const checkLiveness =
    ctl.shouldStop !== undefined || ctl.signal !== undefined || ctl.onProgress !== undefined;

  // fChanged[e] = 1 when the last computeMg changed some F of target e: only those targets need
  // their check again (a check whose F did not move removes nothing, as at the last fixpoint)
  const fChanged = new Uint8Array(nf);
  /** Recomputes mg[u] from u's live states, updating F; `record`: changes go on the undo stack. */
  const computeMg = (u: number, record: boolean) => {
    const mo = u * np;
    const s0 = lo[u];
    const s1 = lo[u + 1];
    for (let t = tgtStart[u]; t < tgtStart[u + 1]; t++) {
      const e = tgt[t];
      let changed = 0;
      for (let pi = pairOff[e]; pi < pairOff[e + 1]; pi++) {
        let best = -2147483647;
        for (let s = s0; s < s1; s++) {
          if (alive[s] === 0) continue;
          const x = Dl[s * np + pi];
          if (x > best) best = x;
        }
        if (best === -2147483647) best = 0; // empty domain: the node fails anyway
        if (best !== mg[mo + pi]) {
          if (record) {
            mgAt[sp] = mo + pi;
            mgPair[sp] = pi;
            mgOld[sp++] = mg[mo + pi];
          }
          F[pi] += best - mg[mo + pi];
          mg[mo + pi] = best;
          changed = 1;
        }
      }
      fChanged[e] = changed;
    }
  };
  /** Recomputes mg[u] after a removal, its changes on the undo stack. */
  const updateMg = (u: number) => computeMg(u, true);
  /** Queues u's targets whose F the last updateMg(u) changed. */
  const enqueueTargets = (u: number) => {
    for (let t = tgtStart[u]; t < tgtStart[u + 1]; t++) {
      const e = tgt[t];
      if (fChanged[e] === 1 && checked[e] === 1 && inQ[e] === 0) {
        inQ[e] = 1;
        queue[(qh + qn) % nf] = e;
        qn++;
      }
    }
  };
  const clearQueue = () => {
    while (qn > 0) {
      inQ[queue[qh]] = 0;
      qh = (qh + 1) % nf;
      qn--;
    }
  };
  /** Domain filtering to a fixpoint; false when some domain empties. */
  const propagate = (): boolean => {
    while (qn > 0) {
      const e = queue[qh];
      qh = (qh + 1) % nf;
      qn--;
      inQ[e] = 0;
      const ce = cnt[e];
      const base = pairOff[e];
      let removed = false;
      for (let k = 0; k < ce; k++) {
        const s = lo[e] + k;
        if (alive[s] === 0) continue;
        const pk = base + k * ce;
        for (let l = 0; l < ce; l++) {
          if (l !== k && F[pk + l] + selfT[pk + l] < 0) {
            alive[s] = 0;
            live[e]--;
            trail[tp++] = s;
            removed = true;
            break;
          }
        }
      }
      if (live[e] === 0) {
        wsum[e]++;
        for (let t = srcStart[e]; t < srcStart[e + 1]; t++) wsum[src[t]]++;
        clearQueue();
        return false;
      }
      if (removed) {
        updateMg(e);
        enqueueTargets(e);
      }
    }
    return true;
  };
  const undo = (tMark: number, sMark: number) => {
    while (tp > tMark) {
      const s = trail[--tp];
      alive[s] = 1;
      live[fOf[s]]++;
    }
    while (sp > sMark) {
      sp--;
      const at = mgAt[sp];
      F[mgPair[sp]] += mgOld[sp] - mg[at];
      mg[at] = mgOld[sp];
    }
  };
  const leaf = () => {
    for (let d = 0; d < nf; d++) {
      let s = lo[d];
      while (alive[s] === 0) s++;
      z[d] = s - lo[d];
    }
    theta.fill(0);
    for (let u = 0; u < nf; u++) {
      const r = (lo[u] + z[u]) * ml;
      for (let c = 0; c < ml; c++) theta[c] += lm[r + c];
    }
    let ic = 0;
    let tis = 0;
    let cv = CV_NONE;
    for (let e = 0; e < nf; e++) {
      const o = lo[e];
      const k = z[e];
      tis += theta[o + k] + crossTis[o + k];
      if (checked[e] === 0) continue;
      for (let l = 0; l < cnt[e]; l++) {
        if (l === k) continue;
        const g = theta[o + k] - theta[o + l];
        if (-g > ic) ic = -g;
        if (g < cv) cv = g;
      }
    }
    sols.push(z, ic, tis, cv);
  };
  // Surrogate (Lagrangian) bound on the decided factors. For decided, checked factors e with
  // state k_e, every kernel completion has gap_j + T ≥ 0 for every pair j = (e,k_e,l), hence
  // Σ_j λ_j (gap_j + T) ≥ 0 for any λ ≥ 0 with Σλ = 1. The left side is at most
  //   B(λ) = Σ_j λ_j P_j + Σ_{u undecided} max_{v∈D(u)} Σ_j λ_j D(u,v,j),
  // P_j = the exact part from decided sources + self + T. B(λ) < 0 for ANY λ proves no
  // completion exists (sound whatever λ is; the per-pair test is λ = a unit vector). Each
  // undecided source now has to pick ONE state for all constraints at once, which the per-pair
  // maxima ignore. λ is tuned by a few multiplicative-weights steps against the sources' best
  // responses (a zero-sum game whose value is the LP relaxation), starting from the tightest
  // pairs. Muscat's extension; the float sum is compared with a margin (data are integers).
  const cj = new Int32Array(np);
  const lam = new Float64Array(np);
  const gj = new Float64Array(np);
  const uList = new Int32Array(nf);
  const bestV = new Int32Array(nf);
  /** True when some non-negative combination of the assigned factors' gap constraints is infeasible. */
  const surrogateFails = (): boolean => {
    let nj = 0;
    let nu = 0;
    for (let e = 0; e < nf; e++) {
      if (live[e] > 1) {
        uList[nu++] = e;
        continue;
      }
      if (checked[e] === 0) continue;
      let s = lo[e];
      while (alive[s] === 0) s++;
      const k = s - lo[e];
      const ce = cnt[e];
      for (let l = 0; l < ce; l++) if (l !== k) cj[nj++] = pairOff[e] + k * ce + l;
    }
    if (nj < 2 || nu === 0) return false;
    // partial P_j = F_j + selfT_j − Σ_{u∈U} mg[u][j]
    let wsum = 0;
    for (let a = 0; a < nj; a++) {
      const j = cj[a];
      let pj = F[j] + selfT[j];
      for (let b = 0; b < nu; b++) pj -= mg[uList[b] * np + j];
      gj[a] = pj;
    }
    // initial λ: focus on the tightest per-pair bounds
    for (let a = 0; a < nj; a++) {
      const j = cj[a];
      lam[a] = Math.exp(-ETA * (F[j] + selfT[j]));
      wsum += lam[a];
    }
    for (let it = 0; it < ITERS; it++) {
      for (let a = 0; a < nj; a++) lam[a] /= wsum;
      // B(λ) = Σ λ P + Σ_u max_v Σ λ D(u,v)
      let B = 0;
      for (let a = 0; a < nj; a++) B += lam[a] * gj[a];
      for (let b = 0; b < nu; b++) {
        const u = uList[b];
        let bv = Number.NEGATIVE_INFINITY;
        let arg = -1;
        for (let s = lo[u]; s < lo[u + 1]; s++) {
          if (alive[s] === 0) continue;
          const r = s * np;
          let x = 0;
          for (let a = 0; a < nj; a++) x += lam[a] * Dl[r + cj[a]];
          if (x > bv) {
            bv = x;
            arg = s;
          }
        }
        B += bv;
        bestV[b] = arg;
      }
      if (B < -1e-6) return true; // float safety margin: the data are integers
      // MWU step against the best response: weight up the constraints it violates most
      wsum = 0;
      for (let a = 0; a < nj; a++) {
        let g = gj[a];
        for (let b = 0; b < nu; b++) g += Dl[bestV[b] * np + cj[a]];
        lam[a] *= Math.exp(-ETA2 * g);
        wsum += lam[a];
      }
    }
    return false;
  };
  const dfs = () => {
    if (spec.surrogate === true && surrogateFails()) return;
    // dom/wdeg: the undecided factor with the fewest live states per wipe-out it took part in
    // (fail first until a check first fails), ties by the static order
    let u = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let d = 0; d < nf; d++) {
      if (live[d] <= 1) continue;
      const sc = live[d] / (1 + wsum[d]);
      if (sc < bestScore) {
        bestScore = sc;
        u = d;
      }
    }
    if (u < 0) {
      leaf();
      return;
    }
    const tMark = tp;
    const sMark = sp;
    for (let v = lo[u]; v < lo[u + 1]; v++) {
      if (alive[v] === 0) continue;
      nodes++;
      if (checkLiveness && nodes >= counter.nextPoll) {
        counter.nextPoll = nodes + POLL;
        if (ctl.onProgress) ctl.onProgress({ done: nodes, elapsedMs: nowMs() - counter.start });
        if (stopRequested(ctl)) {
          stopped = true;
          return;
        }
      }
      for (let s = lo[u]; s < lo[u + 1]; s++)
        if (s !== v && alive[s] === 1) {
          alive[s] = 0;
          live[u]--;
          trail[tp++] = s;
        }
      updateMg(u);
      enqueueTargets(u);
      if (propagate()) dfs();
      undo(tMark, sMark);
      if (stopped) return;
    }
  };

  for (let u = 0; u < nf; u++) computeMg(u, false);
  let rootOk = true;
  for (let d = 0; d < nf; d++) if (live[d] === 0) rootOk = false;
  if (rootOk) {
    for (let e = 0; e < nf; e++)
      if (checked[e] === 1) {
        inQ[e] = 1;
        queue[qn++] = e;
      }
    if (propagate()) dfs();
  }
  counter.nodes = nodes;
  if (stopped) counter.stopped = true;
  return sols.result(factors);
}
