// The loader fuzz as a standing test: a fixed seed, 20,000 generated and mutated models (YAML,
// JSON and ScenarioWizard .scw, as text and as a file's bytes; bench/fuzz/generate.ts) through
// the model loaders. None may throw, none may take over 2 s, every problem must have a path
// and, for text, a line inside the text. The counts are printed; bench/fuzz/run.ts runs the
// same cases by the million.
import { describe, expect, it } from "vitest";
import { runCase, Tally } from "../../bench/fuzz/check.js";
import { FuzzCases } from "../../bench/fuzz/generate.js";

const SEED = 16;
const COUNT = 20_000;

describe("loader fuzz", () => {
  it(`${COUNT} mutated models: no crash, no hang, every problem with a path and a line`, async () => {
    // Blow-ups (long lines, deep nesting) stay under 5,000 characters here to keep the run
    // short; bench/fuzz goes to 500,000.
    const cases = new FuzzCases(SEED, { pool: 200, big: 5000, wholeSeed: 0.00025 });
    const tally = new Tally();
    const start = performance.now();
    for (let i = 0; i < COUNT; i++) {
      const c = cases.get(i);
      tally.add(c, await runCase(c));
    }
    const report = tally.report();
    console.log(`loader fuzz, seed ${SEED}, ${((performance.now() - start) / 1000).toFixed(1)} s\n${report}`);
    expect(tally.total).toBe(COUNT);
    // Every format is well represented, and the run did reach both outcomes.
    for (const f of ["yaml", "json", "scw"]) expect(tally.tried[f], f).toBeGreaterThan(COUNT / 10);
    expect(tally.bytes).toBeGreaterThan(COUNT / 10);
    expect(tally.models).toBeGreaterThan(COUNT / 20);
    expect(tally.problems).toBeGreaterThan(COUNT);
    expect(tally.crashes, report).toBe(0);
    expect(tally.hangs, report).toBe(0);
    expect(tally.pathless, report).toBe(0);
    expect(tally.lineless, report).toBe(0);
    expect(tally.silent, report).toBe(0);
  }, 600_000);

  it("the judge sees a crash, a slow case, and problems without a path or a line", async () => {
    const tally = new Tally();
    const c = { index: 0, format: "yaml" as const, label: "by hand", text: "a\nb\n" };
    const problem = { severity: "error" as const, code: "x", path: "", message: "m" };
    tally.add(c, {
      ms: 2500,
      problems: 1,
      model: false,
      pathless: [problem],
      lineless: [problem],
      silent: false,
    });
    tally.add(c, {
      crash: "TypeError: x",
      ms: 1,
      problems: 0,
      model: false,
      pathless: [],
      lineless: [],
      silent: false,
    });
    expect([tally.crashes, tally.hangs, tally.pathless, tally.lineless]).toEqual([1, 1, 1, 1]);
    // And runCase itself flags a line that is not one of the text's.
    const fake = { ...c, text: "id: x\n", label: "line past the end" };
    const out = await runCase(fake);
    expect(out.lineless).toEqual([]);
    expect(out.problems).toBeGreaterThan(0);
  });
});
