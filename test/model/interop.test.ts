import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileModel, modelHash } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { exportCsv, exportScw, InteropError, importCsv, importScw, parseScw } from "../../src/model/scw.js";
import { modelToJson, modelToYaml } from "../../src/model/serialize.js";
import { fixturesDir, scwDir } from "../helpers/paths.js";

const scwFiles = readdirSync(scwDir).filter((f) => f.endsWith(".scw"));
const cases = JSON.parse(readFileSync(join(fixturesDir, "cib", "cases.json"), "utf8")).cases as {
  id: string;
  descriptors: { name: string; variants: string[] }[];
  matrix: number[][];
}[];

describe("ScenarioWizard .scw interop", () => {
  it("finds the fixtures", () => {
    expect(scwFiles.length).toBe(5);
  });

  for (const f of scwFiles) {
    it(`${f}: import matches the independently transcribed matrix of cases.json`, () => {
      const text = readFileSync(join(scwDir, f), "utf8");
      const scw = parseScw(text, f);
      const c = cases.find((x) => x.id === `cibsa_${f.replace(/\.scw$/, "")}`);
      expect(c, `case for ${f}`).toBeDefined();
      expect(scw.descriptors.map((d) => d.name)).toEqual(c!.descriptors.map((d) => d.name));
      expect(scw.descriptors.map((d) => d.variants.map((v) => v.name))).toEqual(
        c!.descriptors.map((d) => d.variants),
      );
      expect(scw.rows).toEqual(c!.matrix);
    });

    it(`${f}: .scw → model → .scw keeps factors, states and every cell (self-impact blocks included)`, () => {
      const text = readFileSync(join(scwDir, f), "utf8");
      const original = parseScw(text, f);
      const model = importScw(text, { file: f, asOf: "2025-01-01" });
      // Through the model file as a user would have it on disk.
      const reloaded = parseModelText(modelToYaml(model), { file: "m.yaml" });
      expect(reloaded.problems.filter((p) => p.severity === "error")).toEqual([]);
      const out = exportScw(reloaded.model!);
      const again = parseScw(out, "out.scw");
      expect(again.descriptors.map((d) => [d.name, d.variants.map((v) => v.name)])).toEqual(
        original.descriptors.map((d) => [d.name, d.variants.map((v) => v.name)]),
      );
      expect(again.rows).toEqual(original.rows);
      // And the export is a fixed point: exporting the re-import gives the same bytes.
      expect(exportScw(importScw(out, { file: f, asOf: "2025-01-01" }))).toBe(out);
      // The compiled matrix equals the file's rows.
      const cm = compileModel(reloaded.model!);
      expect(Array.from(cm.matrix)).toEqual(original.rows.flat());
      expect(cm.hasSelfImpacts).toBe(
        original.rows.some((r, i) => r.some((v, j) => v !== 0 && cm.factorOf[i] === cm.factorOf[j])),
      );
    });
  }

  it("flags the three fixtures with non-zero self-impact blocks with a warning, not an error", () => {
    const text = readFileSync(join(scwDir, "CIB_natl_regional.scw"), "utf8");
    const r = parseModelText(modelToYaml(importScw(text, { asOf: "2025-01-01" })));
    expect(r.model).toBeDefined();
    expect(r.problems.some((p) => p.code === "self-impact" && p.severity === "warning")).toBe(true);
  });

  it("handles CRLF, blank and duplicate state names (identified by position)", () => {
    const text = [
      "$ ScenarioWizard 4.0",
      "odd",
      "&A",
      " -x",
      " -x",
      " -",
      "&A",
      " -y",
      " -z",
      "#",
      "&",
      " ",
      " ",
      " ",
      "&",
      " ",
      " ",
      "#",
      "#",
      "FFFFFF",
      "#",
      "#",
      ...[
        [0, 0, 0, 1, -1],
        [0, 0, 0, -1, 1],
        [0, 0, 0, 2, 0],
        [1, 0, 0, 0, 0],
        [0, 1, 2, 0, 0],
      ].map((r) => r.map((v) => `${String(v).padStart(2)} `).join(",")),
      "#",
    ].join("\r\n");
    const m = importScw(text, { asOf: "2025-01-01" });
    expect(m.factors.map((f) => f.id)).toEqual(["a", "a-2"]);
    expect(m.factors[0].states.map((s) => s.id)).toEqual(["x", "x-2", "s3"]);
    const again = parseScw(exportScw(m));
    expect(again.rows).toEqual(parseScw(text).rows);
    expect(again.descriptors[0].variants.map((v) => v.name)).toEqual(["x", "x", "S3"]);
  });

  it("rejects malformed files with the line", () => {
    expect(() => parseScw("hello\n", "x.scw")).toThrow(/x\.scw:1: not a ScenarioWizard file/);
    const good = readFileSync(join(scwDir, "CIB_global.scw"), "utf8");
    const bad = good.replace(
      " 0 , 0 , 0 , 1 , 2 ,-3 ,-4 ,-2 , 3 , 3 ",
      " 0 , 0 , 0 , 1 , x ,-3 ,-4 ,-2 , 3 , 3 ",
    );
    expect(() => parseScw(bad, "g.scw")).toThrow(InteropError);
    expect(() => parseScw(bad, "g.scw")).toThrow(/g\.scw:44: matrix row 1, column 5: 'x' is not an integer/);
    const short = good.split("\n").slice(0, 46).join("\n");
    expect(() => parseScw(short, "g.scw")).toThrow(/has 3 rows, expected 10/);
  });
});

describe("matrix CSV interop", () => {
  it("CSV → model → CSV is lossless and labels rows and columns", () => {
    const text = readFileSync(join(scwDir, "CIB_nested.scw"), "utf8");
    const model = importScw(text, { asOf: "2025-01-01" });
    const csv = exportCsv(model);
    expect(csv.split("\n")[0].startsWith(",nint=ins,nint=reg,")).toBe(true);
    const back = importCsv(csv, { asOf: "2025-01-01", file: "m.csv" });
    expect(exportCsv(back)).toBe(csv);
    expect(Array.from(compileModel(back).matrix)).toEqual(Array.from(compileModel(model).matrix));
  });

  it("rejects a CSV with a wrong label or a non-integer", () => {
    const csv = ",f=a,f=b,g=a,g=b\nf=a,0,0,1,2\nf=b,0,0,1,x\ng=a,1,1,0,0\ng=b,0,0,0,0\n";
    expect(() => importCsv(csv, { asOf: "2025-01-01" })).toThrow(/row 2, column 4: 'x' is not an integer/);
    expect(() =>
      importCsv(csv.replace(",x", ",3").replace("\ng=a,", "\nh=a,"), { asOf: "2025-01-01" }),
    ).toThrow(/labelled 'h=a'/);
  });
});

describe("content hash", () => {
  const yamlText = `id: toy
title: Toy
asOf: 2025-04-15
actors: [{ id: a, name: A, kind: state }]
factors:
  - id: f
    name: F
    exogenous: true
    states: [{ id: x, label: X }, { id: y, label: Y }]
  - id: g
    name: G
    states: [{ id: x, label: X }, { id: y, label: Y }]
impacts:
  - { from: f=x, to: g=y, strength: 2, rationale: why, evidence: [] }
`;
  it("is stable across key order, formatting, comments and YAML vs JSON", () => {
    const a = parseModelText(yamlText).model!;
    const reordered = `# a comment\ntitle: "Toy"\nfactors:\n  - name: F\n    id: f\n    exogenous: true\n    states:\n      - label: X\n        id: x\n      - {label: Y, id: y}\n  - {states: [{id: x, label: X}, {id: y, label: Y}], name: G, id: g}\nasOf: 2025-04-15\nid: toy\nimpacts:\n  - {strength: 2, to: "g = y", from: f=x, rationale: why}\nactors:\n  - {kind: state, name: A, id: a}\n`;
    const b = parseModelText(reordered).model!;
    const c = parseModelText(modelToJson(a)).model!;
    expect(modelHash(b)).toBe(modelHash(a));
    expect(modelHash(c)).toBe(modelHash(a));
    expect(modelHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });
  it("changes when a judgment changes", () => {
    const a = parseModelText(yamlText).model!;
    const b = parseModelText(yamlText.replace("strength: 2", "strength: 1")).model!;
    expect(modelHash(b)).not.toBe(modelHash(a));
  });
});
