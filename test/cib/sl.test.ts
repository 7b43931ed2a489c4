// ScenarioWizard .sl solution lists: every fixture parsed and matched against the engine's
// kernel for the corresponding case of cases.json; export reproduces the files byte for byte.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { successionBasins } from "../../src/cib/basins.js";
import { findKernel } from "../../src/cib/kernel.js";
import { exportSolutionList, formatVbSingle, parseSolutionList } from "../../src/cib/sl.js";
import { caseModel, key, loadCases, sharedDir } from "./helpers.js";

const dir = path.join(sharedDir, "fixtures/scenariowizard");
const files = readdirSync(dir).filter((f) => f.endsWith(".sl"));
const cases = loadCases();

describe(".sl fixtures", () => {
  it("finds the four solution lists", () => {
    expect(files.sort()).toEqual([
      "CIB_global.sl",
      "CIB_natl_regional.sl",
      "CIB_nested.sl",
      "CIB_nested_simplified_standardized.sl",
    ]);
  });
  for (const file of files) {
    it(`${file}: parsed list equals the engine's kernel with TIS and CV; export is byte-identical`, () => {
      const text = readFileSync(path.join(dir, file), "utf8");
      const sl = parseSolutionList(text);
      const c = cases.find((x) => x.id === `cibsa_${file.replace(/\.sl$/, "")}`)!;
      expect(c).toBeDefined();
      const r = findKernel(caseModel(c));
      expect(sl.count).toBe(r.scenarios.length);
      const byKey = new Map(r.scenarios.map((s) => [key(s.states), s]));
      expect(sl.entries.map((e) => key(e.states)).sort()).toEqual([...byKey.keys()].sort());
      for (const e of sl.entries) {
        const s = byKey.get(key(e.states))!;
        expect(e.tis).toBe(s.tis);
        expect(e.cv).toBe(s.cv);
        expect(e.reserved).toBe(0);
      }
      // export the engine's scores with the file's weights, in the file's order
      const out = exportSolutionList(
        sl.entries.map((e) => ({ ...byKey.get(key(e.states))!, weight: e.weight })),
      );
      expect(out).toBe(text);
      // CRLF parses the same
      expect(parseSolutionList(text.replace(/\n/g, "\r\n")).entries).toEqual(sl.entries);
    });
  }
  it("CIB_global.sl weights are the engine's exact global-succession basins", () => {
    const sl = parseSolutionList(readFileSync(path.join(dir, "CIB_global.sl"), "utf8"));
    const b = successionBasins(caseModel(cases.find((x) => x.id === "cibsa_CIB_global")!));
    const w = new Map(b.attractors.map((a) => [key(a.states), a.weight]));
    for (const e of sl.entries) expect(e.weight).toBe(w.get(key(e.states)));
    // and the engine's own export (kernel order, basin weights) holds the same lines
    const k = findKernel(caseModel(cases.find((x) => x.id === "cibsa_CIB_global")!));
    const own = exportSolutionList(k.scenarios.map((s) => ({ ...s, weight: w.get(key(s.states)) })));
    expect(own.split("\n").sort()).toEqual(
      readFileSync(path.join(dir, "CIB_global.sl"), "utf8").split("\n").sort(),
    );
  });
  it("CIB_nested_simplified_standardized.sl weights equal the exact basin sizes recorded in cases.json", () => {
    // (the fixture test computes these basins with the engine over all 22.7M scenarios)
    const sl = parseSolutionList(
      readFileSync(path.join(dir, "CIB_nested_simplified_standardized.sl"), "utf8"),
    );
    const exp = cases.find((x) => x.id === "cibsa_CIB_nested_simplified_standardized")!.expected
      .global_succession_basin_sizes_from_sl as Record<string, number>;
    for (const e of sl.entries) expect(e.weight).toBe(exp[JSON.stringify(e.states).replace(/,/g, ", ")]);
  });
  it("CIB_natl_regional.sl weights are Monte Carlo hit counts summing to 100000", () => {
    const sl = parseSolutionList(readFileSync(path.join(dir, "CIB_natl_regional.sl"), "utf8"));
    expect(sl.entries.reduce((s, e) => s + e.weight, 0)).toBe(100000);
  });
  it("CIB_nested.sl weights saturate at 2^24 (float32) and parse from E notation", () => {
    const sl = parseSolutionList(readFileSync(path.join(dir, "CIB_nested.sl"), "utf8"));
    const big = sl.entries.filter((e) => e.weight >= 1e7);
    expect(big.length).toBe(5);
    expect(Math.max(...sl.entries.map((e) => e.weight))).toBe(16777220);
    // 1.677722E+07 is 2^24 printed to 7 significant digits: the float32 counter's ceiling
    expect(formatVbSingle(2 ** 24)).toBe("1.677722E+07");
    expect(Math.abs(16777220 - 2 ** 24)).toBeLessThan(5);
  });
});

describe("VB Single formatting and export details", () => {
  it("formats like Visual Basic Str() of a Single", () => {
    expect(formatVbSingle(0)).toBe("0");
    expect(formatVbSingle(9999999)).toBe("9999999");
    expect(formatVbSingle(2 ** 24)).toBe("1.677722E+07");
    expect(formatVbSingle(10680083)).toBe("1.068008E+07");
    expect(formatVbSingle(1e7)).toBe("1E+07");
  });
  it("saturates weights at 2^24 by default, exact on request; pads two-digit states", () => {
    const e = [{ states: [0, 9, 11], weight: 40_000_000, cv: -1, tis: 12 }];
    expect(exportSolutionList(e)).toBe(
      '$ ScenarioWizard 3.0\nSolution set\n 1 \n\n" 1 10 12",1.677722E+07,-1,0,12,""\n',
    );
    expect(exportSolutionList(e, { weights: "exact", eol: "\r\n" })).toBe(
      '$ ScenarioWizard 3.0\r\nSolution set\r\n 1 \r\n\r\n" 1 10 12",40000000,-1,0,12,""\r\n',
    );
    expect(parseSolutionList(exportSolutionList(e, { eol: "\r\n" })).entries[0].states).toEqual([0, 9, 11]);
  });
  it("rejects malformed files with the line number", () => {
    expect(() => parseSolutionList("hello")).toThrow(/line 1/);
    expect(() => parseSolutionList('$ ScenarioWizard 3.0\nSolution set\n 2 \n\n" 1 2",1,0,0,3,""\n')).toThrow(
      /says 2/,
    );
    expect(() => parseSolutionList('$ ScenarioWizard 3.0\nSolution set\n 1 \n\n" 1 x",1,0,0,3,""\n')).toThrow(
      /line 5/,
    );
  });
});
