// Seeded random CIB models for tests and benchmarks (never used by the engines themselves).

import { type CompiledModel, compileMatrix, type Descriptor } from "../model/compiled.js";
import { makeRng } from "../random.js";

/**
 * A model with the given state counts and integer cells drawn uniformly in lo..hi (same-factor
 * blocks zero unless `selfImpacts`), reproducible from `seed`.
 */
export function randomModel(
  counts: number[],
  seed: number,
  opts: { lo?: number; hi?: number; selfImpacts?: boolean; density?: number } = {},
): CompiledModel {
  const lo = opts.lo ?? -3;
  const hi = opts.hi ?? 3;
  const density = opts.density ?? 1;
  const rng = makeRng(seed);
  const descriptors: Descriptor[] = counts.map((c, i) => ({
    name: `F${i + 1}`,
    variants: Array.from({ length: c }, (_, k) => `F${i + 1}s${k + 1}`),
  }));
  const factorOf: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) factorOf.push(i);
  });
  const m = factorOf.length;
  const rows: number[][] = [];
  for (let r = 0; r < m; r++) {
    const row: number[] = [];
    for (let c = 0; c < m; c++) {
      const same = factorOf[r] === factorOf[c];
      let v = rng.int(lo, hi);
      if (density < 1 && rng.int(0, 999) >= density * 1000) v = 0;
      row.push(same && !opts.selfImpacts ? 0 : v);
    }
    rows.push(row);
  }
  return compileMatrix(descriptors, rows, { hash: `random:${counts.join("x")}:${seed}` });
}
