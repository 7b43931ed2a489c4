// One declaration of each engine's options (src/runs/options.ts), four places that check them:
// the run itself (checkOptions), the API's zod schema, the CLI's flags and the app's form. For
// every field of every engine, a bad value is refused by all four with the same path and the
// same message; defaults pass; the zod schema accepts exactly what checkOptions accepts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkOptions, type Field, fieldAccepts, flagOf } from "../../src/runs/fields.js";
import { ENGINE_NAMES, OPTIONS } from "../../src/runs/options.js";
import { parseEngineOptions } from "../../src/runs/schema.js";
import { optionProblem } from "../../web/src/options.js";
import { runCli } from "../helpers/cli.js";
import { seedModelPath } from "../helpers/paths.js";

/** A value the field must refuse, and how a person would type it (null: not typeable). */
function badValue(f: Field): { value: unknown; text: string | null } {
  switch (f.kind) {
    case "int":
      return { value: f.max + 1, text: String(f.max + 1) };
    case "number":
      return f.maxExclusive
        ? { value: f.max, text: String(f.max) }
        : { value: f.max + 1, text: String(f.max + 1) };
    case "enum":
      return { value: "nope", text: "nope" };
    case "boolean":
      return { value: "yes", text: null };
    case "text":
      return { value: "x".repeat(f.max + 1), text: "x".repeat(f.max + 1) };
    case "list":
      return f.values ? { value: ["magic"], text: "magic" } : { value: [""], text: "" };
  }
}

const cases = ENGINE_NAMES.flatMap((engine) =>
  Object.entries(OPTIONS[engine] as Record<string, Field & { flag?: string }>).map(
    ([key, f]) => [engine, key, f] as const,
  ),
);

describe("a bad option reads the same everywhere", () => {
  it("covers every field of every engine", () => expect(cases.length).toBeGreaterThan(60));

  for (const [engine, key, f] of cases)
    it(`${engine}.${key}`, async () => {
      const { value, text } = badValue(f);
      const run = checkOptions(OPTIONS[engine], { [key]: value });
      expect(run.ok).toBe(false);
      if (run.ok) return;
      const [p] = run.problems;
      expect(p.path).toBe(key);
      // the API's schema
      const api = parseEngineOptions(engine, { [key]: value });
      expect(api).toEqual({ ok: false, problems: [p] });
      // the app's form
      expect(optionProblem(engine, { [key]: value })).toEqual(p);
      // the CLI, when the value can be typed (the command's name is the engine's)
      if (text !== null && engine !== "evidence") {
        const r = await runCli(engine, seedModelPath, flagOf(key, f), text);
        expect(r.code).toBe(2);
        expect(r.err).toContain(`${flagOf(key, f)}: ${p.message}`);
      }
    });
});

describe("defaults and the schema", () => {
  it("every engine's defaults pass its own check and its schema, and fill the same values", () => {
    for (const engine of ENGINE_NAMES) {
      const a = checkOptions(OPTIONS[engine], {});
      const b = parseEngineOptions(engine, {});
      expect(a.ok).toBe(true);
      expect(b).toEqual(a);
    }
  });

  it("an unknown option is refused with its name", () => {
    const p = { path: "runz", message: expect.stringContaining("unknown option") };
    expect(checkOptions(OPTIONS.simulate, { runz: 5 })).toEqual({ ok: false, problems: [p] });
    expect(parseEngineOptions("simulate", { runz: 5 })).toEqual({ ok: false, problems: [p] });
  });

  it("the zod schema accepts exactly the values the declaration accepts (random values)", () => {
    const anyValue = fc.oneof(
      fc.integer({ min: -5, max: 20_000_000 }),
      fc.double({ noNaN: false }),
      fc.boolean(),
      fc.string({ maxLength: 8 }),
      fc.constantFrom("global", "auto", "exact", "mcmc", "cm", "kernel", ""),
      fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom("cm", "eum"), fc.integer()), {
        maxLength: 4,
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...cases), anyValue, ([engine, key, f], value) => {
        const ok = fieldAccepts(f, value);
        expect(checkOptions(OPTIONS[engine], { [key]: value }).ok).toBe(ok);
        expect(parseEngineOptions(engine, { [key]: value }).ok).toBe(ok);
      }),
      { numRuns: 3000, seed: 13 },
    );
  });
});
