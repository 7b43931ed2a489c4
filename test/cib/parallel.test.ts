// findKernelParallel (the exact search split into prefix boxes over worker threads) returns
// exactly what brute force and findKernel return — scenarios, counts, groups — with
// tolerance, filters and self-impacts; the boxes partition the space; a stop request gives an
// incomplete result; small searches stay on the calling thread.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepare } from "../../src/cib/core.js";
import { buildSpec, findKernel } from "../../src/cib/kernel.js";
import { findKernelParallel, prefixBoxes } from "../../src/cib/parallel.js";
import { randomModel } from "../../src/cib/random.js";
import { createPool, type Pool } from "../../src/workers/pool.js";
import { arbitraryModel, bruteForce, build } from "./helpers.js";

const tuples = (xs: { states: number[]; inconsistency?: number; ic?: number; tis: number; cv: number }[]) =>
  xs.map((s) => `${s.states.join(",")}|${s.inconsistency ?? s.ic}|${s.tis}|${s.cv}`).sort();

let pool: Pool;
beforeAll(() => {
  pool = createPool(2);
});
afterAll(async () => {
  await pool.close();
});

describe("findKernelParallel", () => {
  it("equals brute force and findKernel on random models (forced onto the pool)", async () => {
    const arb = arbitraryModel(6, 401);
    const samples = fc.sample(fc.tuple(arb, fc.integer({ min: 0, max: 3 }), fc.boolean()), {
      numRuns: 25,
      seed: 7,
    });
    for (const [mdl, T, ignoreSelf] of samples) {
      const model = build(mdl.counts, mdl.rows);
      const eff = ignoreSelf
        ? mdl.rows.map((row, r) => row.map((v, c) => (model.factorOf[r] === model.factorOf[c] ? 0 : v)))
        : mdl.rows;
      const bf = tuples(bruteForce(mdl.counts, eff.flat(), { tolerance: T }));
      const opts = { tolerance: T, ignoreSelfImpacts: ignoreSelf };
      const par = await findKernelParallel(model, { ...opts, pool, minSpace: 0n, probeMs: 0 });
      const one = findKernel(model, opts);
      expect(tuples(par.scenarios)).toEqual(bf);
      expect(par.scenarios).toEqual(one.scenarios);
      expect(par.groups).toEqual(one.groups);
      expect(par.count).toBe(one.count);
      expect(par.complete).toBe(true);
    }
  });

  it("a 14×3 random model: the same kernel as findKernel, with filters", async () => {
    const model = randomModel(new Array(14).fill(3), 5);
    for (const opts of [
      {},
      { tolerance: 2 },
      { require: [{ factor: 3, states: [0, 2] }], forbid: [{ factor: 0, states: [1] }], tolerance: 1 },
    ]) {
      const par = await findKernelParallel(model, { ...opts, pool, minSpace: 0n, probeMs: 0 });
      const one = findKernel(model, opts);
      expect(par.scenarios).toEqual(one.scenarios);
      expect(par.groups).toEqual(one.groups);
      expect(par.searchSpaceSize).toBe(one.searchSpaceSize);
      expect(par.complete).toBe(true);
      expect(Number(par.count)).toBeGreaterThan(0);
    }
  });

  it("the calling thread's whole search, cut at a box after the probe, hands the rest to the pool: nothing lost or doubled", async () => {
    // Tolerance makes kernels of hundreds of scenarios spread over every box, so a box skipped
    // or searched twice changes the list. The probe (2–30 ms of a 40–70 ms search) is cut at a
    // poll point inside some box; that box and the later ones go to the boxes' loop and the pool.
    for (const engine of ["wasm", "ts"] as const)
      for (const [seed, probeMs, tolerance] of [
        [3, 2, 5],
        [4, 10, 5],
        [5, 30, 5],
      ]) {
        const model = randomModel(new Array(16).fill(3), seed);
        const opts = { tolerance, engine };
        const one = findKernel(model, opts);
        const par = await findKernelParallel(model, { ...opts, pool, minSpace: 0n, probeMs });
        expect(Number(one.count)).toBeGreaterThan(50);
        expect(par.scenarios).toEqual(one.scenarios);
        expect(par.count).toBe(one.count);
        expect(par.complete).toBe(true);
      }
  });

  it("a stop inside the probe keeps every scenario found, the exact settled share, and starts no thread", async () => {
    // The probe is the one-thread search of the whole component; stopped inside its first box,
    // it must keep what it found (not only the boxes it had settled, which are none) and leave
    // the pool alone. The one-thread findKernel stopped at the same node gives the same list
    // and `covered` by its own code path.
    const model = randomModel(new Array(30).fill(2), 2, { lo: -1, hi: 1 });
    let runs = 0;
    const stub: Pool = {
      threads: 2,
      run: async () => {
        runs++;
        throw new Error("no pool thread should start after a stop");
      },
      warm: () => {
        runs++;
      },
      load: async () => {},
      sharedMemory: true,
      close: async () => {},
    };
    for (const k of [10, 20]) {
      let polls = 0;
      const opts = { tolerance: 1, bound: "basic" as const };
      const par = await findKernelParallel(model, {
        ...opts,
        pool: stub,
        minSpace: 0n,
        probeMs: 60_000,
        shouldStop: () => ++polls > k,
      });
      let last = 0;
      const one = findKernel(model, {
        ...opts,
        onProgress: (p) => {
          last = p.done;
        },
        shouldStop: () => last >= par.nodes,
      });
      expect(runs).toBe(0);
      expect(par.complete).toBe(false);
      expect(one.nodes).toBe(par.nodes);
      expect(par.scenarios.length).toBeGreaterThan(0);
      expect(par.scenarios).toEqual(one.scenarios);
      expect(par.covered).toBe(one.covered);
      expect(par.covered).toBeGreaterThan(0);
    }
  });

  it("prefix boxes partition the search space", () => {
    const model = randomModel([3, 2, 4, 3, 2, 3], 1);
    const p = prepare(model);
    const spec = buildSpec(p, { forbid: [{ factor: 2, states: [1] }] });
    const order = [2, 0, 5, 1, 3, 4];
    for (const minTasks of [1, 5, 13, 40]) {
      const boxes = prefixBoxes(spec, order, minTasks);
      expect(boxes.length).toBeGreaterThanOrEqual(Math.min(minTasks, 3 * 3 * 3 * 2 * 3));
      const size = (a: number[][]) => a.reduce((s, x) => s * x.length, 1);
      expect(boxes.reduce((s, b) => s + size(b), 0)).toBe(size(spec.allowed));
      const keys = new Set(boxes.map((b) => order.map((f) => b[f].join("|")).join(";")));
      expect(keys.size).toBe(boxes.length);
    }
  });

  it("stops on request (incomplete) and keeps small searches on this thread", async () => {
    const big = randomModel(new Array(40).fill(2), 3);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await findKernelParallel(big, { pool, probeMs: 0, signal: ac.signal });
    expect(r.complete).toBe(false);
    const small = randomModel(new Array(8).fill(3), 2);
    const s = await findKernelParallel(small, { workers: 2 });
    expect(s.scenarios).toEqual(findKernel(small).scenarios);
  });
});

describe("progress: the settled share of the space", () => {
  it("matches the odometer position when nothing is pruned (exact check of `covered`)", () => {
    // 18 binary factors, tolerance so high that every scenario qualifies: the search is a plain
    // odometer, polled exactly every 32,768 nodes. At a poll on a node of depth d with branch
    // digits c_0..c_d, covered·2^N = K = Σ c_i 2^(N-1-i) and the nodes visited so far are the
    // d + 1 on the path plus, at every depth i, the ⌊K / 2^(N-1-i)⌋ before it; the test finds
    // such a d for every report.
    const N = 18;
    const model = randomModel(new Array(N).fill(2), 4);
    const reports: { done: number; covered: number }[] = [];
    const r = findKernel(model, {
      tolerance: 10_000,
      order: "natural",
      decompose: false,
      onProgress: (p) => reports.push({ done: p.done, covered: p.covered ?? Number.NaN }),
    });
    expect(r.count).toBe(String(2 ** N));
    expect(r.nodes).toBe(2 ** (N + 1) - 2);
    expect(reports.length).toBe(Math.floor(r.nodes / 32768));
    for (const { done, covered } of reports) {
      const K = covered * 2 ** N;
      expect(Number.isInteger(K)).toBe(true);
      let match = false;
      for (let d = 0; d < N && !match; d++) {
        if (K % 2 ** (N - 1 - d) !== 0) continue; // digits past d must be zero
        let nodes = d + 1; // the path's own nodes, then every node before it at each depth
        for (let i = 0; i < N; i++) nodes += Math.floor(K / 2 ** (N - 1 - i));
        if (nodes === done) match = true;
      }
      expect(match).toBe(true);
    }
  });

  it("is non-decreasing within [0, 1] on a pruned search, in parallel too", async () => {
    const model = randomModel(new Array(19).fill(3), 3);
    const seen: number[] = [];
    const r = findKernel(model, { onProgress: (p) => seen.push(p.covered ?? Number.NaN) });
    expect(r.complete).toBe(true);
    expect(seen.length).toBeGreaterThan(5);
    for (let i = 0; i < seen.length; i++) {
      expect(seen[i]).toBeGreaterThanOrEqual(i ? seen[i - 1] : 0);
      expect(seen[i]).toBeLessThan(1);
    }
    const par: number[] = [];
    const q = await findKernelParallel(model, {
      pool,
      minSpace: 0n,
      probeMs: 0,
      onProgress: (p) => par.push(p.covered ?? Number.NaN),
    });
    expect(q.scenarios).toEqual(r.scenarios);
    for (let i = 1; i < par.length; i++) expect(par[i]).toBeGreaterThanOrEqual(par[i - 1]);
    for (const c of par) expect(c >= 0 && c <= 1).toBe(true);
  });
});
