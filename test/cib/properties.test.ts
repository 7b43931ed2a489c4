// Property tests on random small matrices: branch and bound = brute force (tolerance, filters,
// interventions, factor orders, decomposition), the invariances of cib-method.md, succession
// ends in the kernel or a cycle, basins add up, sampled basins agree with exact ones.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { successionBasins } from "../../src/cib/basins.js";
import { spaceSizeOf } from "../../src/cib/core.js";
import { findKernel } from "../../src/cib/kernel.js";
import { traceSuccession } from "../../src/cib/succession.js";
import { arbitraryModel, bruteForce, build, key, sortedKeys } from "./helpers.js";

const arbModel = arbitraryModel(5, 400);

const asTuples = (xs: { states: number[]; inconsistency?: number; ic?: number; tis: number; cv: number }[]) =>
  xs.map((s) => `${key(s.states)}|${s.inconsistency ?? s.ic}|${s.tis}|${s.cv}`).sort();

describe("branch and bound equals brute force", () => {
  it("kernel with tolerance, every order, with and without decomposition", () => {
    fc.assert(
      fc.property(arbModel, fc.integer({ min: 0, max: 3 }), fc.boolean(), (mdl, T, ignoreSelf) => {
        const model = build(mdl.counts, mdl.rows);
        const mat = findKernel(model, { ignoreSelfImpacts: ignoreSelf }); // effective matrix
        void mat;
        const eff = ignoreSelf
          ? mdl.rows.map((row, r) => row.map((v, c) => (model.factorOf[r] === model.factorOf[c] ? 0 : v)))
          : mdl.rows;
        const bf = bruteForce(mdl.counts, eff.flat(), { tolerance: T });
        for (const order of ["auto", "influence", "natural"] as const)
          for (const decompose of [true, false]) {
            const r = findKernel(model, { tolerance: T, order, decompose, ignoreSelfImpacts: ignoreSelf });
            expect(asTuples(r.scenarios)).toEqual(asTuples(bf));
            expect(r.count).toBe(String(bf.length));
            const groups = new Map<number, number>();
            for (const s of bf) groups.set(s.ic, (groups.get(s.ic) ?? 0) + 1);
            expect(r.groups).toEqual(
              [...groups.entries()]
                .sort((a, b) => a[0] - b[0])
                .map(([ic, c]) => ({ inconsistency: ic, count: String(c) })),
            );
          }
      }),
      { numRuns: 150, seed: 11 },
    );
  });
  it("filters (require/forbid) and interventions (fix)", () => {
    fc.assert(
      fc.property(arbModel, fc.integer({ min: 0, max: 2 }), fc.nat(), fc.nat(), (mdl, T, a, b) => {
        const model = build(mdl.counts, mdl.rows);
        const n = mdl.counts.length;
        const fi = a % n;
        const fs = b % mdl.counts[fi];
        const gi = (a + 1) % n;
        const gs = (b + 1) % mdl.counts[gi];
        // filters: require fi ∈ {fs}, forbid gs of gi (if gi ≠ fi)
        const forbid = gi !== fi ? [{ factor: gi, states: [gs] }] : [];
        const r = findKernel(model, { tolerance: T, require: [{ factor: fi, states: [fs] }], forbid });
        const bf = bruteForce(mdl.counts, mdl.rows.flat(), {
          tolerance: T,
          allowed: (f, s) => !(f === fi && s !== fs) && !(gi !== fi && f === gi && s === gs),
        });
        expect(asTuples(r.scenarios)).toEqual(asTuples(bf));
        // a filter only shrinks: its result is the unfiltered kernel restricted
        const full = findKernel(model, { tolerance: T });
        expect(sortedKeys(r.scenarios)).toEqual(
          sortedKeys(
            full.scenarios.filter((s) => s.states[fi] === fs && !(gi !== fi && s.states[gi] === gs)),
          ),
        );
        // intervention: fi fixed to fs and exempt
        const iv = findKernel(model, { tolerance: T, fix: [{ factor: fi, state: fs }] });
        const exempt = mdl.counts.map((_, f) => f === fi);
        const bfi = bruteForce(mdl.counts, mdl.rows.flat(), {
          tolerance: T,
          exempt,
          allowed: (f, s) => f !== fi || s === fs,
        });
        expect(asTuples(iv.scenarios)).toEqual(asTuples(bfi));
      }),
      { numRuns: 150, seed: 12 },
    );
  });
  it("random 8-factor spaces (up to 65536 scenarios) agree with brute force", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 6, maxLength: 8 }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 997, maxLength: 997 }),
        fc.integer({ min: 0, max: 1 }),
        (counts, cells, T) => {
          if (counts.reduce((x, y) => x * y, 1) > 65536) return;
          const m = counts.reduce((x, y) => x + y, 0);
          const rows = Array.from({ length: m }, (_, r) =>
            Array.from({ length: m }, (_, c) => cells[(r * m + c) % 997]),
          );
          const model = build(counts, rows);
          const bf = bruteForce(counts, model.matrix, { tolerance: T });
          expect(asTuples(findKernel(model, { tolerance: T }).scenarios)).toEqual(asTuples(bf));
        },
      ),
      { numRuns: 25, seed: 13 },
    );
  });
});

describe("invariances of the kernel (cib-method.md)", () => {
  it("add a constant to one judgment group; scale into one factor; scale all; standardise", () => {
    fc.assert(
      fc.property(
        arbModel,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (mdl, a, b, k, c) => {
          const model = build(mdl.counts, mdl.rows);
          const base = sortedKeys(findKernel(model).scenarios);
          const m = model.size;
          const n = mdl.counts.length;
          const r0 = a % m;
          const j = b % n;
          const cols = (f: number) => Array.from({ length: mdl.counts[f] }, (_, l) => model.offsets[f] + l);
          // 1. add k to judgment group (row r0, target factor j)
          const g = mdl.rows.map((row) => row.slice());
          for (const col of cols(j)) g[r0][col] += k;
          expect(sortedKeys(findKernel(build(mdl.counts, g)).scenarios)).toEqual(base);
          // 2. multiply all impacts into factor j by c
          const s = mdl.rows.map((row) => row.map((v, col) => (model.factorOf[col] === j ? v * c : v)));
          expect(sortedKeys(findKernel(build(mdl.counts, s)).scenarios)).toEqual(base);
          // 3. multiply the whole matrix by c
          const all = mdl.rows.map((row) => row.map((v) => v * c));
          expect(sortedKeys(findKernel(build(mdl.counts, all)).scenarios)).toEqual(base);
          // 4. standardise: subtract each judgment group's mean (scaled by the group size to stay integer)
          const st = mdl.rows.map((row) => row.slice());
          for (let r = 0; r < m; r++)
            for (let f = 0; f < n; f++) {
              const cs = cols(f);
              const sum = cs.reduce((x, col) => x + mdl.rows[r][col], 0);
              for (const col of cs) st[r][col] = mdl.rows[r][col] * cs.length - sum;
            }
          // ×group size per target factor is itself "multiply impacts into one factor by c>0"
          expect(sortedKeys(findKernel(build(mdl.counts, st)).scenarios)).toEqual(base);
        },
      ),
      { numRuns: 150, seed: 14 },
    );
  });
});

describe("succession and basins", () => {
  it("every succession ends in a kernel member or a cycle, for all three rules", () => {
    fc.assert(
      fc.property(arbModel, fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), (mdl, st) => {
        const model = build(mdl.counts, mdl.rows);
        const kernel = new Set(sortedKeys(findKernel(model).scenarios));
        const start = mdl.counts.map((c, i) => st[i] % c);
        for (const rule of ["global", "local", "sequential"] as const) {
          const p = traceSuccession(model, start, { rule });
          expect(p.outcome).not.toBe("max-steps");
          if (p.outcome === "fixed-point") expect(kernel.has(key(p.fixedPoint!))).toBe(true);
          else {
            expect(p.cycle!.period).toBeGreaterThanOrEqual(2);
            for (const z of p.cycle!.scenarios) expect(kernel.has(key(z))).toBe(false);
          }
          expect(key(p.path[0])).toBe(key(start));
        }
      }),
      { numRuns: 150, seed: 15 },
    );
  });
  it("exact basins: Σ weights + cycle starts = space size; attractors = kernel; weights match per-start tracing", () => {
    fc.assert(
      fc.property(arbModel, (mdl) => {
        const model = build(mdl.counts, mdl.rows);
        const kernel = sortedKeys(findKernel(model).scenarios);
        const total = Number(spaceSizeOf(model.counts));
        for (const rule of ["global", "local", "sequential"] as const) {
          const b = successionBasins(model, { rule, method: "exact" });
          expect(b.attractors.reduce((s, x) => s + x.weight, 0) + b.cycleStarts).toBe(total);
          expect(sortedKeys(b.attractors)).toEqual(kernel);
          // independent: trace every start
          const w = new Map<string, number>();
          let cyc = 0;
          const z = new Array(mdl.counts.length).fill(0);
          for (let idx = 0; idx < total; idx++) {
            let x = idx;
            for (let f = z.length - 1; f >= 0; f--) {
              z[f] = x % mdl.counts[f];
              x = Math.floor(x / mdl.counts[f]);
            }
            const p = traceSuccession(model, z, { rule });
            if (p.outcome === "fixed-point") w.set(key(p.fixedPoint!), (w.get(key(p.fixedPoint!)) ?? 0) + 1);
            else cyc++;
          }
          expect(b.cycleStarts).toBe(cyc);
          for (const a of b.attractors) expect(a.weight).toBe(w.get(key(a.states)));
        }
      }),
      { numRuns: 60, seed: 16 },
    );
  });
  it("exact global basins on spaces past one inner block (memoised outer answers, ties) match per-start tracing", () => {
    // 7–9 factors of 2–5 states: 10³–10⁵ starts, so the global pass has outer factors whose answers
    // it memoises by the base's differences; cells in −1..1 make ties (the current state stays).
    // Both engines of the pass (WebAssembly SIMD lanes, TypeScript), with the memo unbounded, cut
    // short after a few answers, and off.
    const arbLarge = fc.record({
      counts: fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 7, maxLength: 9 }),
      cells: fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 97, maxLength: 97 }),
    });
    fc.assert(
      fc.property(arbLarge, ({ counts, cells }) => {
        const total0 = counts.reduce((a, b) => a * b, 1);
        fc.pre(total0 <= 60000);
        const fo = counts.flatMap((c, i) => new Array(c).fill(i));
        const rows = fo.map((fr, r) =>
          fo.map((fc2, c) => (fr === fc2 ? 0 : cells[(r * 31 + c * 7) % cells.length])),
        );
        const model = build(counts, rows);
        const runs = (["auto", "ts"] as const).flatMap((engine) =>
          [undefined, 3000, 0].map((memoBytes) =>
            successionBasins(model, { method: "exact", engine, memoBytes }),
          ),
        );
        const b = runs[0];
        const w = new Map<string, number>();
        let cyc = 0;
        const z = new Array(counts.length).fill(0);
        for (let idx = 0; idx < total0; idx++) {
          let x = idx;
          for (let f = z.length - 1; f >= 0; f--) {
            z[f] = x % counts[f];
            x = Math.floor(x / counts[f]);
          }
          const p = traceSuccession(model, z, { rule: "global" });
          if (p.outcome === "fixed-point") w.set(key(p.fixedPoint!), (w.get(key(p.fixedPoint!)) ?? 0) + 1);
          else cyc++;
        }
        expect(b.cycleStarts).toBe(cyc);
        expect(b.attractors.length).toBe(w.size);
        for (const a of b.attractors) expect(a.weight).toBe(w.get(key(a.states)));
        const same = (r: typeof b) => JSON.stringify([r.attractors, r.cycles, r.cycleStarts]);
        for (const r of runs.slice(1)) expect(same(r)).toBe(same(b));
      }),
      { numRuns: 16, seed: 21 },
    );
  });

  it("sampled basins agree with exact ones within tolerance and are reproducible from the seed", () => {
    fc.assert(
      fc.property(arbModel, fc.integer({ min: 1, max: 1000 }), (mdl, seed) => {
        const model = build(mdl.counts, mdl.rows);
        const exact = successionBasins(model, { method: "exact" });
        const s = successionBasins(model, { method: "sample", samples: 4000, seed });
        expect(s.estimate).toBe(true);
        expect(s.seed).toBe(seed);
        expect(s.samples).toBe(4000);
        expect(s.attractors.reduce((t, x) => t + x.weight, 0) + s.cycleStarts).toBe(4000);
        const total = Number(exact.spaceSize);
        const ex = new Map(exact.attractors.map((a) => [key(a.states), a.weight / total]));
        for (const a of s.attractors) {
          const p = ex.get(key(a.states))!;
          expect(p).toBeDefined();
          // 5 standard errors
          expect(Math.abs(a.share - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / 4000) + 1e-9);
        }
        const again = successionBasins(model, { method: "sample", samples: 4000, seed });
        expect(again.attractors).toEqual(s.attractors);
      }),
      { numRuns: 40, seed: 17 },
    );
  });
});
