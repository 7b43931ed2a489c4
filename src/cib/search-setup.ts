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
