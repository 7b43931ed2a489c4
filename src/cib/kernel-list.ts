// Listing a kernel too big to list: a page of it in the listing order, or a uniform sample.
//
// The kernel of a model that splits into independent groups (kernel.ts, planComponents) is the
// product of the groups' solution sets: scenario = one solution per group, IC = max, TIS = sum,
// CV = min. Its size is the product of the groups' sizes (exact, a BigInt), often far beyond
// what can be listed (100 binary descriptors in 10 islands: 10^8–10^10 scenarios).
//
// - Page (`pageOf`): the scenarios at ranks offset … offset + limit − 1 of the listing order
//   (IC ascending, TIS descending, CV descending, states ascending), without listing the rest.
//   For each IC level t, the groups' solutions with IC ≤ t are sorted by TIS, descending, and
//   combinations are generated best first with a priority queue (the k-largest-sums method:
//   a combination's children raise one group's rank at or after the last raised one, so each
//   combination is generated once, never before its parent, whose TIS is no lower). All
//   combinations of equal TIS are collected and sorted by the full order before any of lower
//   TIS, so ties are ordered exactly as in the full listing.
// - Sample (`sampleOf`): `size` distinct scenarios drawn uniformly from the kernel (Floyd's
//   sampling of distinct ranks among count, each rank decoded into one solution per group),
//   seeded, listed in the listing order.

import TinyQueue from "tinyqueue";
import { InputError } from "../errors.js";
import type { Rng } from "../random.js";
import { compareScenarios } from "./core.js";
import type { KernelScenario } from "./kernel.js";
import { type ComponentSolutions, CV_NONE } from "./propagate.js";

/** Sort key comparator for kernel scenarios (documented in KernelResult.scenarios). */
export function compareKernelScenarios(a: KernelScenario, b: KernelScenario): number {
  return (
    a.inconsistency - b.inconsistency || b.tis - a.tis || b.cv - a.cv || compareScenarios(a.states, b.states)
  );
}

/** The scenario made of solution idx[c] of each group c. */
export function combine(results: ComponentSolutions[], idx: ArrayLike<number>, n: number): KernelScenario {
  const z = new Array<number>(n).fill(0);
  let ic = 0;
  let tis = 0;
  let cv = CV_NONE;
  for (let c = 0; c < results.length; c++) {
    const r = results[c];
    const s = idx[c];
    const f = r.factors;
    for (let e = 0; e < f.length; e++) z[f[e]] = r.states[s * f.length + e];
    if (r.ic[s] > ic) ic = r.ic[s];
    tis += r.tis[s];
    if (r.cv[s] < cv) cv = r.cv[s];
  }
  return { states: z, inconsistency: ic, tis, cv: cv === CV_NONE ? 0 : cv };
}

interface Node {
  tis: number;
  /** Rank in each group's sorted list. */
  pos: Int32Array;
  /** The last group whose rank was raised (children raise this one or a later one). */
  last: number;
}

/** Largest number of scenarios of equal IC and TIS gathered to order one page boundary. */
const MAX_TIES = 2_000_000;

/** The scenarios at ranks offset … offset + limit − 1 of the listing order. */
export function pageOf(
  results: ComponentSolutions[],
  n: number,
  tolerance: number,
  offset: number,
  limit: number,
): KernelScenario[] {
  const want = offset + limit;
  const out: KernelScenario[] = [];
  const nc = results.length;
  for (let t = 0; t <= tolerance && out.length < want; t++) {
    const lists = results.map((r) => {
      const ids: number[] = [];
      for (let s = 0; s < r.count; s++) if (r.ic[s] <= t) ids.push(s);
      return ids.sort((a, b) => r.tis[b] - r.tis[a] || a - b);
    });
    if (lists.some((l) => l.length === 0)) continue;
    const tisAt = (c: number, k: number) => results[c].tis[lists[c][k]];
    const queue = new TinyQueue<Node>([], (a, b) => b.tis - a.tis);
    const root = new Int32Array(nc);
    let rootTis = 0;
    for (let c = 0; c < nc; c++) rootTis += tisAt(c, 0);
    queue.push({ tis: rootTis, pos: root, last: 0 });
    const idx = new Int32Array(nc);
    let group: KernelScenario[] = [];
    let groupTis = Number.NaN;
    const flush = () => {
      group.sort(compareKernelScenarios);
      for (const s of group) out.push(s);
      group = [];
    };
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (node.tis !== groupTis) {
        flush();
        if (out.length >= want) break;
        groupTis = node.tis;
      }
      for (let c = 0; c < nc; c++) idx[c] = lists[c][node.pos[c]];
      const s = combine(results, idx, n);
      // a combination with every group at IC < t was listed at an earlier level
      if (s.inconsistency === t) {
        group.push(s);
        if (group.length > MAX_TIES)
          throw new InputError(
            `more than ${MAX_TIES.toLocaleString("en")} scenarios share inconsistency ${t} and total impact score ${groupTis} at this page's boundary, so their order cannot be settled: take a sample instead`,
            { code: "option", path: "offset" },
          );
      }
      for (let c = node.last; c < nc; c++) {
        const k = node.pos[c] + 1;
        if (k >= lists[c].length) continue;
        const pos = Int32Array.from(node.pos);
        pos[c] = k;
        queue.push({ tis: node.tis - tisAt(c, k - 1) + tisAt(c, k), pos, last: c });
      }
    }
    flush();
  }
  return out.slice(offset, want);
}

/** A uniform integer in 0 … max (inclusive), by rejection over 32-bit draws. */
function uniformBigInt(rng: Rng, max: bigint): bigint {
  const bits = max.toString(2).length;
  for (;;) {
    let x = 0n;
    for (let b = 0; b < bits; b += 32) x = (x << 32n) | BigInt(rng.int32() >>> 0);
    x &= (1n << BigInt(bits)) - 1n;
    if (x <= max) return x;
  }
}

/** `size` distinct scenarios drawn uniformly from the product (all of them if fewer), sorted. */
export function sampleOf(results: ComponentSolutions[], n: number, size: number, rng: Rng): KernelScenario[] {
  let total = 1n;
  for (const r of results) total *= BigInt(r.count);
  const want = BigInt(size) < total ? BigInt(size) : total;
  // Floyd: for j = total − want … total − 1, draw t in 0 … j; take t, or j if t is taken
  const ranks = new Set<bigint>();
  for (let j = total - want; j < total; j++) {
    const t = uniformBigInt(rng, j);
    ranks.add(ranks.has(t) ? j : t);
  }
  const idx = new Int32Array(results.length);
  const out: KernelScenario[] = [];
  for (let rank of ranks) {
    // the listing's enumeration order: the last group varies fastest
    for (let c = results.length - 1; c >= 0; c--) {
      const k = BigInt(results[c].count);
      idx[c] = Number(rank % k);
      rank /= k;
    }
    out.push(combine(results, idx, n));
  }
  return out.sort(compareKernelScenarios);
}
