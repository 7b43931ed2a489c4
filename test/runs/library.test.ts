// The README's library example, run through the library entry: the same result as the run
// functions called directly, and a bad option refused with its path.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError, parseModelText, runEngine, scenariosReport } from "../../src/index.js";
import { seedModelPath } from "../helpers/paths.js";

describe("the library entry", () => {
  const { model } = parseModelText(readFileSync(seedModelPath, "utf8"));

  it("runs an engine by name with checked options", async () => {
    const kernel = (await runEngine("scenarios", model!, { maxInconsistency: 1 })) as ReturnType<
      typeof scenariosReport
    >;
    const direct = scenariosReport(model!, { maxInconsistency: 1 });
    expect(kernel.scenarios).toEqual(direct.scenarios);
    expect(kernel.count).toBe(direct.count);
  });

  it("refuses a bad option with its path, before running anything", async () => {
    const e = await runEngine("simulate", model!, { runs: 0 }).catch((x) => x);
    expect(e).toBeInstanceOf(InputError);
    expect(e).toMatchObject({ code: "option", path: "runs" });
  });
});
