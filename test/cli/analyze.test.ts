import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

describe("muscat analyze (the main job) on the shipped seed model", () => {
  it("runs every engine with no MODEL argument and reports them all", async () => {
    let out = "";
    const code = await main(["node", "muscat", "analyze", "--format", "json"], {
      out: (s) => {
        out += s;
      },
      err: () => {},
    });
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.id).toBe("oman-2025");
    expect(j.scenarios.complete).toBe(true);
    expect(j.scenarios.scenarios.length).toBeGreaterThanOrEqual(2);
    // Basin weights plus cycle starts cover the whole space.
    const w = j.scenarios.scenarios.reduce((s: number, x: { basinWeight: number }) => s + x.basinWeight, 0);
    expect(w + j.scenarios.basins.cycleStarts).toBe(Number(j.scenarios.space));
    expect(j.stakes.stakes.actors.length).toBeGreaterThanOrEqual(6);
    expect(j.bargain.issues).toHaveLength(3);
    // The simulation from the current situation: one condition per consistent scenario.
    expect(j.simulation.conditions).toHaveLength(j.scenarios.scenarios.length);
    expect(j.simulation.model.hash).toBe(j.hash);
    // Every seed question forecast with an interval.
    expect(j.forecast.questions.length).toBeGreaterThanOrEqual(10);
    for (const q of j.forecast.questions) expect(q.p).toBeGreaterThanOrEqual(0);
  });
});
