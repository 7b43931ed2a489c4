import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { type CompiledModel, compileMatrix, type Descriptor } from "../../src/model/compiled.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedDir = path.resolve(repoRoot, "../shared");

export interface CibCase {
  id: string;
  notes: string;
  descriptors: Descriptor[];
  matrix: number[][];
  // biome-ignore lint/suspicious/noExplicitAny: fixture expectations vary per case
  expected: Record<string, any>;
}

export function loadCases(): CibCase[] {
  const j = JSON.parse(readFileSync(path.join(sharedDir, "fixtures/cib/cases.json"), "utf8"));
  return j.cases;
}

export function caseModel(c: CibCase): CompiledModel {
  return compileMatrix(c.descriptors, c.matrix, { hash: c.id });
}

/** Independent brute force: every scenario, θ recomputed from scratch (no shared engine code). */
export function bruteForce(
  counts: number[],
  matrix: ArrayLike<number>,
  opts: {
    tolerance?: number;
    exempt?: boolean[];
    allowed?: (f: number, s: number) => boolean;
  } = {},
): { states: number[]; ic: number; tis: number; cv: number }[] {
  const n = counts.length;
  const offs = [0];
  for (const c of counts) offs.push(offs[offs.length - 1] + c);
  const m = offs[n];
  const T = opts.tolerance ?? 0;
  const out: { states: number[]; ic: number; tis: number; cv: number }[] = [];
  const z = new Array(n).fill(0);
  const total = counts.reduce((a, b) => a * b, 1);
  for (let idx = 0; idx < total; idx++) {
    let x = idx;
    for (let f = n - 1; f >= 0; f--) {
      z[f] = x % counts[f];
      x = Math.floor(x / counts[f]);
    }
    if (opts.allowed && z.some((s, f) => !opts.allowed!(f, s))) continue;
    let ic = 0;
    let tis = 0;
    let cv = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const th: number[] = [];
      for (let l = 0; l < counts[j]; l++) {
        let t = 0;
        for (let i = 0; i < n; i++) t += matrix[(offs[i] + z[i]) * m + offs[j] + l];
        th.push(t);
      }
      tis += th[z[j]];
      if (opts.exempt?.[j] || counts[j] < 2) continue;
      const rival = Math.max(...th.filter((_, l) => l !== z[j]));
      ic = Math.max(ic, rival - th[z[j]]);
      cv = Math.min(cv, th[z[j]] - rival);
    }
    if (ic <= T) out.push({ states: z.slice(), ic, tis, cv: cv === Number.POSITIVE_INFINITY ? 0 : cv });
  }
  return out;
}

export const key = (s: ArrayLike<number>) => Array.from(s).join(",");
export const sortedKeys = (xs: { states: ArrayLike<number> }[] | number[][]) =>
  (xs as (number[] | { states: ArrayLike<number> })[])
    .map((x) => key(Array.isArray(x) ? x : x.states))
    .sort();

/** Zeroes the same-factor blocks of a square matrix given as rows. */
export function zeroSelf(rows: number[][], counts: number[]): number[][] {
  const fo: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) fo.push(i);
  });
  return rows.map((row, r) => row.map((v, c) => (fo[r] === fo[c] ? 0 : v)));
}

/**
 * A random small model for property tests: 1..maxFactors factors of 1..4 states, cells in
 * −3..3, optionally zero-heavy, optionally with self-impacts.
 */
export const arbitraryModel = (maxFactors: number, cells: number) =>
  fc
    .record({
      counts: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: maxFactors }),
      seedCells: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: cells, maxLength: cells }),
      sparse: fc.boolean(),
      self: fc.boolean(),
    })
    .map(({ counts, seedCells, sparse, self }) => {
      const fo: number[] = [];
      counts.forEach((c, i) => {
        for (let k = 0; k < c; k++) fo.push(i);
      });
      const m = fo.length;
      const rows: number[][] = [];
      let q = 0;
      for (let r = 0; r < m; r++) {
        const row: number[] = [];
        for (let c = 0; c < m; c++) {
          let v = seedCells[q++ % seedCells.length];
          if (sparse && (r * 7 + c * 3) % 5 < 3) v = 0;
          if (fo[r] === fo[c] && !self) v = 0;
          row.push(v);
        }
        rows.push(row);
      }
      return { counts, rows };
    });

/** A compiled model from state counts and a square matrix (factors F0.., states s0..). */
export function build(counts: number[], rows: number[][]): CompiledModel {
  return compileMatrix(
    counts.map((c, i) => ({ name: `F${i}`, variants: Array.from({ length: c }, (_, k) => `s${k}`) })),
    rows,
  );
}
