import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/compile.js";
import { loadModelFile } from "../../src/model/load-file.js";
import { simulate } from "../../src/prob/simulate.js";
import { runCli } from "../helpers/cli.js";
import { seedModelPath } from "../helpers/paths.js";

const run = runCli;

describe("muscat stakes", () => {
  it("evaluates the seed model's consistent scenarios, with levers", async () => {
    const r = await run("stakes", seedModelPath, "--distribution", "kernel", "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.stakes.model).toMatch(/^[0-9a-f]{64}$/);
    expect(j.stakes.scenarios.length).toBeGreaterThanOrEqual(2);
    const actors = j.stakes.actors.map((a: { actor: string }) => a.actor);
    for (const a of ["us", "iran", "russia", "israel", "hezbollah", "houthis"]) expect(actors).toContain(a);
    // Payoffs are sums of stakes: recompute one by hand from the JSON's states.
    for (const sc of j.stakes.scenarios)
      for (const p of sc.payoffs) {
        expect(p.normalised).toBeGreaterThanOrEqual(0);
        expect(p.normalised).toBeLessThanOrEqual(1);
        expect(p.regret).toBeGreaterThanOrEqual(0);
      }
    expect(j.levers.length).toBe(j.stakes.actors.length);
  });

  it("expected payoffs under the simulated distribution: exact for the runs drawn, with intervals, reproducible", async () => {
    const args = [
      "stakes",
      seedModelPath,
      "--steps",
      "6",
      "--runs",
      "4000",
      "--seed",
      "3",
      "--no-levers",
      "--format",
      "json",
    ];
    const a = JSON.parse((await run(...args)).out);
    const b = JSON.parse((await run(...args)).out);
    expect(a).toEqual(b);
    expect(a.stakes.distribution).toContain("4000 runs, seed 3");
    for (const x of a.stakes.actors) {
      expect(x.expectedInterval[0]).toBeLessThanOrEqual(x.expected);
      expect(x.expectedInterval[1]).toBeGreaterThanOrEqual(x.expected);
      expect(x.expected).toBeGreaterThanOrEqual(x.worst);
      expect(x.expected).toBeLessThanOrEqual(x.best);
    }
    // Independent check: payoffs are additive, so the expectation equals Σ P(factor state at
    // step K) × utility, from the simulation's per-state marginals (same seed, same runs).
    const model = loadModelFile(seedModelPath).model!;
    const { result } = await simulate(compileModel(model), { steps: 6, runs: 4000, seed: 3 });
    for (const x of a.stakes.actors) {
      let e = 0;
      for (const st of model.stakes.filter((k) => k.actor === x.actor)) {
        const f = result.factors.find((ff) => ff.id === st.state.factor)!;
        e += st.utility * f.states.find((ss) => ss.id === st.state.state)!.p[6];
      }
      expect(x.expected, x.actor).toBeCloseTo(e, 9);
    }
  });

  it("evaluates one given scenario and rejects an incomplete one", async () => {
    const all =
      "talks=breakdown,enrichment=breakout,sanctions=tightened,us-force=strikes,israel=unilateral-strike,hezbollah=reignite,pmf=reassert,houthis=escalation,region=multi-front-war,us-focus=diverted,russia-leverage=stronger,iran-russia=deepened,oman-channel=suspended,western-unity=eroding";
    const r = await run("stakes", seedModelPath, "--scenario", all, "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).stakes.scenarios).toHaveLength(1);
    const bad = await run("stakes", seedModelPath, "--scenario", "talks=breakdown");
    // An incomplete --scenario is a bad option value: a usage error, as everywhere else.
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--scenario");
    expect(bad.err).toContain("missing: enrichment");
  });
});
