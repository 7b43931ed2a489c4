// muscat simulate | stationary | robust, run in-process through main() like test/cli/*.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { ENGINE_VERSION } from "../../src/prob/run.js";
import { wilson } from "../../src/prob/stats.js";

const dir = mkdtempSync(join(tmpdir(), "muscat-prob-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Three factors, current states given; a = x pushes b to x, b = x pushes c to y, c = y pushes a to y.
const MODEL = `id: t
title: T
asOf: 2025-01-01
step: P1M
factors:
  - id: a
    name: A
    current: x
    states: [{ id: x, label: X }, { id: y, label: Y }, { id: z, label: Z }]
  - id: b
    name: B
    current: y
    states: [{ id: x, label: X }, { id: y, label: Y }]
  - id: c
    name: C
    current: x
    states: [{ id: x, label: X }, { id: y, label: Y }, { id: z, label: Z }]
impacts:
  - { from: a=x, to: b=x, strength: 2, confidence: 4 }
  - { from: a=y, to: b=y, strength: 1, confidence: 2 }
  - { from: b=x, to: c=y, strength: 2, confidence: 3 }
  - { from: b=y, to: c=z, strength: 1 }
  - { from: c=y, to: a=y, strength: 2, confidence: 5 }
  - { from: c=x, to: a=z, strength: -1, confidence: 1 }
dynamics:
  beta: 1
`;
const model = join(dir, "t.yaml");
writeFileSync(model, MODEL);
const bad = join(dir, "bad.yaml");
writeFileSync(bad, MODEL.replace("to: c=z", "to: c=w"));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["node", "muscat", ...args], {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
  });
  return { code, out, err };
}
const json = async (...args: string[]) => {
  const r = await cli(...args, "--format", "json", "--quiet");
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
};

const hash = compileModel(parseModelText(MODEL).model!).hash;

describe("muscat simulate", () => {
  it("JSON: model hash, engine version, seed, runs, Wilson intervals; --query", async () => {
    const j = await json(
      "simulate",
      model,
      "--steps",
      "4",
      "--runs",
      "3000",
      "--seed",
      "9",
      "--workers",
      "0",
      "--query",
      "b=x,c=y",
    );
    expect(j.kind).toBe("prob.simulate");
    expect(j.model.hash).toBe(hash);
    expect(j.engine.version).toBe(ENGINE_VERSION);
    expect(j.seed).toBe(9);
    expect(j.runs).toBe(3000);
    expect(j.steps).toBe(4);
    expect(j.interval).toBe("wilson-95");
    expect(j.start).toEqual({ a: "x", b: "y", c: "x" });
    // Step 0 is the current situation; every interval is the Wilson interval of its count.
    for (const f of j.factors)
      for (const s of f.states) {
        expect(s.p).toHaveLength(5);
        expect(s.p[0]).toBe(j.start[f.id] === s.id ? 1 : 0);
        for (let k = 0; k <= 4; k++) {
          const w = wilson(Math.round(s.p[k] * 3000), 3000);
          expect(s.lo[k]).toBeCloseTo(w.lo, 12);
          expect(s.hi[k]).toBeCloseTo(w.hi, 12);
        }
      }
    for (const f of j.factors)
      for (let k = 0; k <= 4; k++)
        expect(f.states.reduce((x: number, s: { p: number[] }) => x + s.p[k], 0)).toBeCloseTo(1, 12);
    expect(j.conditions).toHaveLength(1);
    const c = j.conditions[0];
    expect(c.condition).toBe("b=x,c=y");
    expect(c.byStep).toHaveLength(5);
    expect(c.byStep[0].p).toBe(0);
    for (let k = 1; k <= 4; k++) expect(c.byStep[k].p).toBeGreaterThanOrEqual(c.byStep[k - 1].p);
    // "holds at step k" ≤ "reached by step k", and holding at k needs b=x and c=y at k.
    const pb = j.factors[1].states[0].p;
    for (let k = 0; k <= 4; k++) {
      expect(c.atStep[k].p).toBeLessThanOrEqual(c.byStep[k].p + 1e-12);
      expect(c.atStep[k].p).toBeLessThanOrEqual(pb[k] + 1e-12);
    }
  });

  it("--given sets the start, --fix holds a factor all along", async () => {
    const g = await json(
      "simulate",
      model,
      "--steps",
      "3",
      "--runs",
      "500",
      "--workers",
      "0",
      "--given",
      "a=z",
    );
    expect(g.start.a).toBe("z");
    expect(g.factors[0].states[2].p[0]).toBe(1);
    expect(g.factors[0].states[2].p[3]).toBeLessThan(1); // free to move afterwards
    const f = await json(
      "simulate",
      model,
      "--steps",
      "3",
      "--runs",
      "500",
      "--workers",
      "0",
      "--fix",
      "c=z",
    );
    expect(f.fixed).toEqual({ c: "z" });
    expect(f.factors[2].states[2].p).toEqual([1, 1, 1, 1]);
  });

  it("--precision stops early once every half-width is below it", async () => {
    const j = await json(
      "simulate",
      model,
      "--steps",
      "2",
      "--runs",
      "200000",
      "--chunk",
      "1000",
      "--workers",
      "0",
      "--precision",
      "0.03",
    );
    expect(j.stoppedBy).toBe("precision");
    expect(j.runs).toBeLessThan(200_000);
    expect(j.precision.target).toBe(0.03);
    expect(j.precision.achieved).toBeLessThan(0.03);
    // Checked independently: the widest Wilson half-width over every reported state probability.
    let widest = 0;
    for (const f of j.factors)
      for (const s of f.states)
        for (let k = 0; k <= 2; k++) widest = Math.max(widest, (s.hi[k] - s.lo[k]) / 2);
    expect(widest).toBeLessThan(0.03);
  });

  it("long-format CSV (run, step, factor, state) matches the JSON tallies of the same seed", async () => {
    const runs = 400;
    const steps = 3;
    // The same model, steps, runs, seed and chunking for every output format compared below.
    const same = [
      model,
      "--steps",
      `${steps}`,
      "--runs",
      `${runs}`,
      "--seed",
      "4",
      "--workers",
      "0",
      "--chunk",
      "150",
    ];
    const r = await cli("simulate", ...same, "--format", "csv");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toBe("run,step,factor,state");
    expect(lines).toHaveLength(1 + runs * (steps + 1) * 3);
    expect(lines[1]).toBe("1,0,a,x");
    const count = new Map<string, number>();
    const runIds = new Set<string>();
    for (const line of lines.slice(1)) {
      const [run, step, f, s] = line.split(",");
      runIds.add(run);
      const key = `${step},${f},${s}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    expect(runIds.size).toBe(runs);
    const j = await json("simulate", ...same);
    for (const f of j.factors)
      for (const s of f.states)
        for (let k = 0; k <= steps; k++)
          expect((count.get(`${k},${f.id},${s.id}`) ?? 0) / runs).toBeCloseTo(s.p[k], 12);
    // -o writes the same text to a file.
    const file = join(dir, "runs.csv");
    const o = await cli("simulate", ...same, "--format", "csv", "-o", file);
    expect(o.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(r.out);
  });

  it("same output for --workers 1 and --workers 2 (and in this thread)", async () => {
    const args = [
      "simulate",
      model,
      "--steps",
      "5",
      "--runs",
      "6000",
      "--chunk",
      "1000",
      "--seed",
      "11",
      "--query",
      "a=y",
      "--uncertainty",
      "--runs-per-matrix",
      "100",
    ];
    const w1 = await cli(...args, "--workers", "1", "--format", "json", "--quiet");
    const w2 = await cli(...args, "--workers", "2", "--format", "json", "--quiet");
    const w0 = await cli(...args, "--workers", "0", "--format", "json", "--quiet");
    expect(w1.code).toBe(0);
    expect(JSON.parse(w1.out).uncertainty.matrices).toBe(60);
    expect(w2.out).toBe(w1.out);
    expect(w0.out).toBe(w1.out);
  }, 60_000);

  it("exit codes: 0 ok, 1 invalid model, 2 usage", async () => {
    expect(
      (await cli("simulate", model, "--steps", "1", "--runs", "10", "--workers", "0", "--quiet")).code,
    ).toBe(0);
    expect((await cli("simulate", bad, "--runs", "10", "--workers", "0", "--quiet")).code).toBe(1);
    for (const extra of [
      ["--runs", "0"],
      ["--steps", "1.5"],
      ["--query", "a=nope"],
      ["--query", "nofactor=x"],
      ["--given", "b=q"],
      ["--fix", "zz=x"],
      ["--format", "xml"],
      ["--format", "csv", "--runs", "100001"],
    ]) {
      const r = await cli("simulate", model, "--workers", "0", "--quiet", ...extra);
      expect(r.code, extra.join(" ")).toBe(2);
      expect(r.err.length, extra.join(" ")).toBeGreaterThan(0);
    }
  });
});

describe("muscat stationary", () => {
  it("exact JSON: solver, residual, basins; the solvers agree; --fix holds a factor", async () => {
    const j = await json("stationary", model);
    expect(j.kind).toBe("prob.stationary");
    expect(j.model.hash).toBe(hash);
    expect(j.engine.version).toBe(ENGINE_VERSION);
    expect(j.method).toBe("exact");
    expect(j.exact.solver).toBe("iad");
    expect(j.exact.states).toBe(18);
    expect(j.exact.converged).toBe(true);
    expect(j.exact.residual).toBeLessThan(1e-12);
    expect(j.exact.basins.reduce((s: number, b: { p: number }) => s + b.p, 0)).toBeCloseTo(1, 12);
    const gs = await json("stationary", model, "--solver", "gauss-seidel", "--tolerance", "1e-13");
    const gm = await json("stationary", model, "--solver", "gmres", "--tolerance", "1e-13");
    expect(gs.exact.solver).toBe("gauss-seidel");
    for (const other of [gs, gm])
      j.factors.forEach((f: { states: { p: number }[] }, i: number) =>
        f.states.forEach((s, l) => expect(Math.abs(other.factors[i].states[l].p - s.p)).toBeLessThan(1e-10)),
      );
    const fx = await json("stationary", model, "--fix", "b=x");
    expect(fx.fixed).toEqual({ b: "x" });
    expect(fx.exact.held).toEqual({ b: "x" });
    expect(fx.exact.states).toBe(9);
    expect(fx.factors[1].states.map((s: { p: number }) => s.p)).toEqual([1, 0]);
    // Table output names the solver and the basins.
    const t = await cli("stationary", model, "--quiet");
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/exact \(aggregation–disaggregation\) over 18 scenarios/);
    expect(t.out).toMatch(/basin of attraction/);
  });

  it("MCMC JSON agrees with the exact result; usage errors exit 2", async () => {
    const ex = await json("stationary", model);
    const m = await json("stationary", model, "--method", "mcmc", "--samples", "40000", "--seed", "2");
    expect(m.method).toBe("mcmc");
    expect(m.mcmc.seed).toBe(2);
    expect(m.mcmc.chains).toBe(4);
    expect(m.mcmc.samples).toBe(40000);
    expect(m.mcmc.converged).toBe(true);
    ex.factors.forEach((f: { states: { p: number }[] }, i: number) =>
      f.states.forEach((s, l) => expect(Math.abs(m.factors[i].states[l].p - s.p)).toBeLessThan(0.03)),
    );
    expect((await cli("stationary", model, "--solver", "lu", "--quiet")).code).toBe(2);
    expect((await cli("stationary", model, "--tolerance", "-1", "--quiet")).code).toBe(2);
    expect((await cli("stationary", bad, "--quiet")).code).toBe(1);
  });
});

describe("muscat robust", () => {
  it("JSON: hash, seed, samples, Wilson intervals; same with 0 and 2 workers", async () => {
    const j = await json("robust", model, "--samples", "60", "--seed", "5", "--workers", "0");
    expect(j.kind).toBe("prob.consistency");
    expect(j.model.hash).toBe(hash);
    expect(j.engine.version).toBe(ENGINE_VERSION);
    expect(j.seed).toBe(5);
    expect(j.samples).toBe(60);
    expect(j.scenarios.length).toBeGreaterThan(0);
    for (const s of j.scenarios) {
      const w = wilson(s.count, 60);
      expect(s.p).toBeCloseTo(s.count / 60, 12);
      expect(s.lo).toBeCloseTo(w.lo, 12);
      expect(s.hi).toBeCloseTo(w.hi, 12);
      expect(s.robust).toBe(s.p >= 0.95);
    }
    const two = await cli(
      "robust",
      model,
      "--samples",
      "60",
      "--seed",
      "5",
      "--workers",
      "2",
      "--format",
      "json",
      "--quiet",
    );
    expect(JSON.parse(two.out)).toEqual(j);
    expect((await cli("robust", model, "--samples", "0", "--quiet")).code).toBe(2);
  }, 60_000);
});
