import { describe, expect, it } from "vitest";
import {
  DEU3_REFERENCE_RULES,
  deu3IssueActors,
  parseKtabCsv,
  parseScholzCsv,
  readDeu3File,
  readKtabCsvFile,
  splitCsvLine,
} from "../../src/bargain/csv.js";
import { fixture, getCase } from "./helpers.js";

describe("CSV readers", () => {
  it("splits quoted fields", () => {
    expect(splitCsvLine('a,"b, c" , d')).toEqual(["a", "b, c", "d"]);
  });
  it("Scholz CSV: detects the salience scale and reports bad cells with a location", () => {
    const r = parseScholzCsv("Actor,Capability,Position,Salience\nA,1,10,80\nB,2,20,40\n");
    expect(r.salienceScale).toBe(100);
    expect(r.actors[0]).toEqual({ name: "A", clout: 1, position: 10, salience: 0.8 });
    expect(() =>
      parseScholzCsv("Actor,Capability,Position,Salience\nA,x,10,0.5\n", { source: "f.csv" }),
    ).toThrow(/f\.csv:2 capability/);
    expect(() => parseScholzCsv("Actor,Position,Salience\nA,10,0.5\n")).toThrow(/missing column/);
  });
  it("KTAB CSV: dummyData_3Dim and SOE-Pol-Comp read as in cases.json", () => {
    for (const [file, id] of [
      ["ktab/dummyData_3Dim.csv", "KTAB-dummyData_3Dim"],
      ["ktab/SOE-Pol-Comp.csv", "KTAB-SOE-Pol-Comp"],
    ]) {
      const sc = readKtabCsvFile(fixture(file));
      const c = getCase(id);
      expect(sc.dimensions).toEqual(c.dims);
      expect(sc.actors.map((a) => [a.name, a.capability, a.position, a.salience])).toEqual(
        c.actors.map((a: { name: string; cap: number; pos: number[]; sal: number[] }) => [
          a.name,
          a.cap,
          a.pos,
          a.sal,
        ]),
      );
    }
  });
  it("KTAB CSV: leading spaces, trailing empty fields (dummyData-a040, dummyData_6Dim)", () => {
    const a = readKtabCsvFile(fixture("ktab/dummyData-a040.csv"));
    expect(a.actors.length).toBe(40);
    expect(a.actors[0]).toMatchObject({
      name: "Act-1001",
      capability: 1.73,
      position: [63.03],
      salience: [43.31],
    });
    const b = readKtabCsvFile(fixture("ktab/dummyData_6Dim.csv"));
    expect(b.actors.length).toBe(27);
    expect(b.dimensions.length).toBe(6);
  });
  it("KTAB CSV: rejects total salience above 100", () => {
    expect(() => parseKtabCsv("S,d,1,2,\nActor,D,P,a,b,c,d,\nX,x,1,10,60,20,50,\n", "s.csv")).toThrow(
      /exceeds 100/,
    );
  });
  it("DEU III: 364 issues, 30 actor codes with GDP, 353 with an outcome", () => {
    const d = readDeu3File(fixture("deu3/deu3.csv"));
    expect(d.codes.length).toBe(30);
    expect(d.gdp.de).toBe(4.1);
    expect(d.issues.length).toBe(364);
    const withOut = d.issues.filter((i) => i.outcome !== null);
    expect(withOut.length).toBe(getCase("DEU3-aggregate").expected.issues_with_outcome_and_2plus_actors);
    const first = d.issues[0];
    expect(first.id).toBe("d00032i1");
    expect(first.outcome).toBe(100);
    const acts = deu3IssueActors(first, DEU3_REFERENCE_RULES);
    expect(acts.length).toBe(getCase("DEU3-aggregate").expected.sample_issues[0].n_actors);
  });
});
