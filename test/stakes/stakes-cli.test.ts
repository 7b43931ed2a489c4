import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { seedModelPath } from "../helpers/paths.js";

async function run(...args: string[]) {
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

describe("muscat stakes", () => {
  it("evaluates the seed model's consistent scenarios, with levers", async () => {
    const r = await run("stakes", seedModelPath, "--format", "json");
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

  it("evaluates one given scenario and rejects an incomplete one", async () => {
    const all =
      "talks=breakdown,enrichment=breakout,sanctions=tightened,us-force=strikes,israel=unilateral-strike,hezbollah=reignite,pmf=reassert,houthis=escalation,region=multi-front-war,us-focus=diverted,russia-leverage=stronger,iran-russia=deepened,oman-channel=suspended,western-unity=eroding";
    const r = await run("stakes", seedModelPath, "--scenario", all, "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).stakes.scenarios).toHaveLength(1);
    const bad = await run("stakes", seedModelPath, "--scenario", "talks=breakdown");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("missing: enrichment");
  });
});
