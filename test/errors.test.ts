// One contract for user errors: every user-facing error class extends InputError (code, path,
// message); runs name the option at fault; the CLI maps an option error to exit 2 with the
// flag's name and any other user error to exit 1; a bug is never turned into a user error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BargainInputError } from "../src/bargain/types.js";
import { InputError } from "../src/errors.js";
import { EvidenceInputError } from "../src/evidence/text.js";
import { ForecastError } from "../src/forecast/forecast.js";
import { ResolutionError } from "../src/forecast/resolutions.js";
import { VintageError } from "../src/forecast/vintage.js";
import { compileModel } from "../src/model/compile.js";
import { parsePath } from "../src/model/edit.js";
import { parseModelText } from "../src/model/load.js";
import { ModelError } from "../src/model/problems.js";
import { InteropError } from "../src/model/scw.js";
import { SpecError } from "../src/prob/spec.js";
import { at, scenariosReport } from "../src/runs/scenarios.js";
import { stakesReport } from "../src/runs/stakes.js";
import { ApiError } from "../src/server/http.js";
import { StoreError } from "../src/store/index.js";
import { ModelConflictError, ModelInvalidError, ModelNotFoundError } from "../src/store/models.js";
import { repoRoot } from "./cib/helpers.js";
import { runCli } from "./helpers/cli.js";

const seed = parseModelText(readFileSync(join(repoRoot, "models", "oman-2025.yaml"), "utf8")).model!;

describe("InputError, the one base of user errors", () => {
  it("every user-facing error class extends it, with a code from its name", () => {
    const errors: InputError[] = [
      new ModelError([]),
      new InteropError("x"),
      new SpecError("x"),
      new ForecastError("x"),
      new ResolutionError("x"),
      new VintageError("x"),
      new BargainInputError("x", "actors[0].position"),
      new EvidenceInputError("binary", "x"),
      new StoreError("x"),
      new ModelInvalidError("x", []),
      new ModelNotFoundError("m"),
      new ModelConflictError("x"),
      new ApiError(400, "x"),
    ];
    for (const e of errors) expect(e).toBeInstanceOf(InputError);
    expect(new ModelInvalidError("x", []).code).toBe("model-invalid");
    expect(new BargainInputError("x", "actors[0].position").path).toBe("actors[0].position");
    expect(new EvidenceInputError("binary", "x").code).toBe("binary");
  });

  it("a run names the option at fault", () => {
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as InputError;
      }
      throw new Error("did not throw");
    };
    expect(bad(() => scenariosReport(seed, { maxInconsistency: -1 }))).toMatchObject({
      code: "option",
      path: "maxInconsistency",
    });
    expect(bad(() => scenariosReport(seed, { fix: "nope=x" }))).toMatchObject({
      path: "fix",
      code: "state-ref",
    });
    expect(bad(() => scenariosReport(seed, { require: "talks" }))).toMatchObject({ path: "require" });
    expect(bad(() => stakesReport(seed, compileModel(seed), { scenario: "talks=breakdown" }))).toMatchObject({
      path: "scenario",
    });
    expect(bad(() => parsePath("..."))).toMatchObject({ code: "path" });
  });

  it("a bug passes through as a bug", () => {
    expect(() =>
      at("fix", () => {
        throw new TypeError("undefined is not a function");
      }),
    ).toThrow(TypeError);
  });

  it("the CLI: an option error exits 2 naming the flag; another user error exits 1", async () => {
    const t = await runCli("scenarios", "--max-inconsistency", "-1");
    expect(t.code).toBe(2);
    expect(t.err).toContain("--max-inconsistency");
    const f = await runCli("scenarios", "--fix", "nope=x");
    expect(f.code).toBe(1);
    expect(f.err).toContain("no factor 'nope'");
    const j = await runCli("scenarios", "--fix", "nope=x", "--format", "json");
    expect(JSON.parse(j.out)).toMatchObject({ error: expect.stringContaining("no factor 'nope'") });
  });
});
