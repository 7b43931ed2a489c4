// The outlook engine: its numbers are the forecast engine's on the same id-keyed streams (the
// forecast engine is checked against exact uniformization and for interval coverage in
// test/forecast/), they hold together (intervals around p, P(by) not below P(on)), and bad
// options name the option.
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { forecastQuestions } from "../../src/forecast/forecast.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { outlookRun } from "../../src/runs/outlook.js";

const TOY = `id: toy
title: Toy
asOf: 2025-04-15
step: P1M
factors:
  - { id: a, name: A, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
  - { id: b, name: B, current: x, states: [{ id: x, label: X }, { id: y, label: Y }, { id: z, label: Z }] }
impacts:
  - { from: a=x, to: b=y, strength: 2, confidence: 3 }
  - { from: b=y, to: a=y, strength: 2, confidence: 2 }
  - { from: a=y, to: b=z, strength: 1 }
`;
const model = (() => {
  const r = parseModelText(TOY);
  if (!r.model) throw new Error(JSON.stringify(r.problems));
  return r.model;
})();
const opts = {
  condition: "a=y,b=z",
  horizon: "2025-10-15",
  longRun: 20,
  runs: 4000,
  runsPerMatrix: 25,
  seed: 3,
};

describe("outlook", () => {
  it("by ≥ on the horizon, each with its interval and range, labelled; the same numbers as forecast questions", async () => {
    const r = await outlookRun(model, opts);
    expect(r.condition).toBe("a=y,b=z");
    expect(r.horizon).toEqual({ date: "2025-10-15", days: 184 });
    for (const f of [r.byHorizon, r.onHorizon, r.longRun]) {
      expect(f.mc.lo).toBeLessThanOrEqual(f.p);
      expect(f.p).toBeLessThanOrEqual(f.mc.hi);
      expect(f.range.lo).toBeLessThanOrEqual(f.p);
      expect(f.range.hi).toBeGreaterThanOrEqual(f.p);
      expect(f.means).toMatch(/^P\(a=y,b=z holds/);
    }
    expect(r.byHorizon.p).toBeGreaterThanOrEqual(r.onHorizon.mc.lo);
    expect(r.longRun.date).toBe("2045-04-15");
    expect(r.assumes.join("\n")).toMatch(/calendar time/);
    // The same question asked through the forecast engine gives the same number (same id-keyed stream).
    const q = {
      id: "by-horizon",
      text: "x",
      condition: {
        kind: "all" as const,
        of: [
          { kind: "state" as const, ref: { factor: "a", state: "y" } },
          { kind: "state" as const, ref: { factor: "b", state: "z" } },
        ],
      },
      horizon: "2025-10-15",
      mode: "by" as const,
      given: [],
      evidence: [],
    };
    const f = await forecastQuestions({ ...model, questions: [q] }, compileModel(model), {
      runs: 4000,
      runsPerMatrix: 25,
      seed: 3,
      drivers: false,
      level: 0.9,
    });
    expect(f.questions[0].p).toBe(r.byHorizon.p);
  }, 60_000);

  it("names the option that is wrong", async () => {
    const fail = async (o: Partial<typeof opts>) => {
      try {
        await outlookRun(model, { ...opts, ...o } as typeof opts);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).path;
      }
      throw new Error("expected an error");
    };
    expect(await fail({ condition: "" })).toBe("condition");
    expect(await fail({ condition: "a=q" })).toBe("condition");
    expect(await fail({ horizon: "2025-13-01" })).toBe("horizon");
    expect(await fail({ horizon: "2025-01-01" })).toBe("horizon");
  });
});
