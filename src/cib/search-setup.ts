// The setup of the exact kernel search before its branch and bound (kernel.ts, bound "basic";
// propagate.ts's search, bound "propagate", starts from the same tables): the component's local
// layout and impact matrix, the TIS terms into the other components, the factors whose
// consistency is checked, and the index of the (factor, state, rival) pairs. Plain typed
// arrays, built once per component; the search copies them into locals, so nothing here is
// reached through an object from its hot loop.
import type { Prepared } from "./core.js";
import type { SearchSpec } from "./kernel.js";

/** A component's local tables; local factor d is factors[d] (the search order). */
export interface ComponentTables {
  /** Number of factors in the component. */
  nf: number;
  /** cnt[d]: states of local factor d; they sit at lo[d]..lo[d+1) of the local state index. */
  cnt: Int32Array;
  lo: Int32Array;
  /** Local states in all (lo[nf]). */
  ml: number;
  /** Local impact matrix (ml × ml): lm[(lo[d]+v)·ml + lo[e]+w] = C[(factors[d],v),(factors[e],w)]. */
  lm: Int32Array;
  /**
   * crossTis[lo[d]+v]: the TIS terms of state v of local factor d into the factors outside the
   * component. Such rows are constant across each outside factor's states (else the factors
   * would be connected), so the term depends only on the source state and is attributed here.
   */
  crossTis: Int32Array;
  /** checked[d] = 1 when local factor d must be at its maximum: not exempt, and has a rival. */
  checked: Uint8Array;
  /** Pair (e, k, l) — factor e, chosen state k, rival l — at pairOff[e] + k·cnt[e] + l; np pairs. */
  pairOff: Int32Array;
  np: number;
}

/** The local tables of one component (factors in search order). */
export function componentTables(p: Prepared, spec: SearchSpec, factors: number[]): ComponentTables {
  const nf = factors.length;
  const lo = new Int32Array(nf + 1);
  const cnt = new Int32Array(nf);
  for (let d = 0; d < nf; d++) {
    cnt[d] = p.counts[factors[d]];
    lo[d + 1] = lo[d] + cnt[d];
  }
  const ml = lo[nf];
  const lm = new Int32Array(ml * ml);
  for (let d = 0; d < nf; d++)
    for (let v = 0; v < cnt[d]; v++) {
      const gr = (p.offsets[factors[d]] + v) * p.m;
      for (let e = 0; e < nf; e++)
        for (let w = 0; w < cnt[e]; w++)
          lm[(lo[d] + v) * ml + lo[e] + w] = p.matrix[gr + p.offsets[factors[e]] + w];
    }
  const inComp = new Uint8Array(p.n);
  for (const f of factors) inComp[f] = 1;
  const crossTis = new Int32Array(ml);
  for (let d = 0; d < nf; d++)
    for (let v = 0; v < cnt[d]; v++) {
      const gr = (p.offsets[factors[d]] + v) * p.m;
      for (let j = 0; j < p.n; j++) if (!inComp[j]) crossTis[lo[d] + v] += p.matrix[gr + p.offsets[j]];
    }
  const checked = new Uint8Array(nf);
  for (let d = 0; d < nf; d++) checked[d] = !spec.exempt[factors[d]] && cnt[d] > 1 ? 1 : 0;
  const pairOff = new Int32Array(nf + 1);
  for (let e = 0; e < nf; e++) pairOff[e + 1] = pairOff[e] + cnt[e] * cnt[e];
  return { nf, cnt, lo, ml, lm, crossTis, checked, pairOff, np: pairOff[nf] };
}

/** The basic bound's tables of one component (kernel.ts's loop and the WebAssembly one). */
export interface BoundTables {
  /** allowed[allowedStart[d] .. allowedStart[d+1]): the states local factor d may take, in order. */
  allowedStart: Int32Array;
  allowed: Int32Array;
  /** S[d·np + pair] = Σ_{u ≥ d} max_{v allowed} (lm[u v, e k] − lm[u v, e l]): the suffix bound. */
  S: Int32Array;
  /**
   * D[(lo[d]+v)·np + pair] = (C[(d,v),(e,k)] − C[(d,v),(e,l)]) − max_{w allowed}
   * (C[(d,w),(e,k)] − C[(d,w),(e,l)]): how choosing v at depth d moves the bounded gap of pair
   * (e, k, l). The loop keeps G_e[l] = θ_{e,k_e} − θ_{e,l} + S_{d+1}(e,k_e,l) per depth by adding
   * D, and prunes when it falls below −T; at the last depth S = 0 and G is the exact gap.
   */
  D: Int32Array;
}

export function boundTables(spec: SearchSpec, factors: number[], t: ComponentTables): BoundTables {
  const { nf, cnt, lo, ml, lm, pairOff, np } = t;
  const allowedStart = new Int32Array(nf + 1);
  for (let d = 0; d < nf; d++) allowedStart[d + 1] = allowedStart[d] + spec.allowed[factors[d]].length;
  const allowed = new Int32Array(allowedStart[nf]);
  for (let d = 0; d < nf; d++) allowed.set(spec.allowed[factors[d]], allowedStart[d]);
  const S = new Int32Array((nf + 1) * np);
  for (let d = nf - 1; d >= 0; d--)
    for (let e = 0; e < nf; e++)
      for (let k = 0; k < cnt[e]; k++)
        for (let l = 0; l < cnt[e]; l++) {
          let best = Number.NEGATIVE_INFINITY;
          for (let a = allowedStart[d]; a < allowedStart[d + 1]; a++) {
            const r = (lo[d] + allowed[a]) * ml;
            const diff = lm[r + lo[e] + k] - lm[r + lo[e] + l];
            if (diff > best) best = diff;
          }
          const pi = pairOff[e] + k * cnt[e] + l;
          S[d * np + pi] = S[(d + 1) * np + pi] + best;
        }
  const D = new Int32Array(ml * np);
  for (let d = 0; d < nf; d++)
    for (let v = 0; v < cnt[d]; v++) {
      const r = (lo[d] + v) * ml;
      for (let e = 0; e < nf; e++)
        for (let k = 0; k < cnt[e]; k++)
          for (let l = 0; l < cnt[e]; l++) {
            const pi = pairOff[e] + k * cnt[e] + l;
            const maxd = S[d * np + pi] - S[(d + 1) * np + pi];
            D[(lo[d] + v) * np + pi] = lm[r + lo[e] + k] - lm[r + lo[e] + l] - maxd;
          }
    }
  return { allowedStart, allowed, S, D };
}
