// The one CSV reader (src/csv.ts, csv-parse underneath) and how each format reports bad CSV:
// never a raw exception, always the format's own error naming the line and column.
import { describe, expect, it } from "vitest";
import { parseScholzCsv } from "../src/bargain/csv.js";
import { BargainInputError } from "../src/bargain/types.js";
import { csvProblemText, readCsv } from "../src/csv.js";
import { parseCsv, parseResolutions, ResolutionError } from "../src/forecast/resolutions.js";
import { InteropError, importCsv } from "../src/model/scw.js";

describe("readCsv", () => {
  it("quotes, doubled quotes, line breaks in quotes, BOM, CRLF/CR/LF, trimming, blank lines", () => {
    const { records, problem } = readCsv(
      '\uFEFFa, b ,"c, d"\r\n\r\n   \r"e ""q"" f","multi\r\nline"\n g ,h"i\n',
    );
    expect(problem).toBeUndefined();
    expect(records).toEqual([
      { fields: ["a", "b", "c, d"], line: 1 },
      { fields: ['e "q" f', "multi\nline"], line: 4 },
      { fields: ["g", 'h"i'], line: 6 },
    ]);
  });

  it("other delimiters, records of different lengths", () => {
    expect(readCsv("a;b,c\nd", { delimiter: [",", ";"] }).records.map((r) => r.fields)).toEqual([
      ["a", "b", "c"],
      ["d"],
    ]);
    expect(readCsv('\t"x"\t1\n', { delimiter: "\t" }).records[0].fields).toEqual(["", "x", "1"]);
  });

  it("returns (never throws) the first syntax problem with its line and column", () => {
    const open = readCsv('a,b\n\nc,"d\ne\n');
    expect(open.records.map((r) => r.fields)).toEqual([["a", "b"]]);
    expect(open.problem).toMatchObject({ line: 3, column: 2 });
    expect(csvProblemText(open.problem!)).toMatch(/^line 3, column 2: a quoted field is not closed/);
    const after = readCsv('a,b\nc,d,"e"x\n');
    expect(after.problem).toMatchObject({ line: 2, column: 3 });
    expect(after.problem!.message).toMatch(/after the closing quote/);
  });
});

describe("the CSV formats report bad CSV as their own errors", () => {
  it("matrix CSV: InteropError at the line", () => {
    expect(() => importCsv(',f=a,f=b\nf=a,0,"1\nf=b,0,0\n', { asOf: "2025-01-01", file: "m.csv" })).toThrow(
      /^m\.csv:2: column 3: a quoted field is not closed/,
    );
    expect(() => importCsv(',f=a,f=b\nf=a,0,"1\nf=b,0,0\n', { asOf: "2025-01-01" })).toThrow(InteropError);
  });

  it("matrix CSV: semicolons, BOM and CRLF as before; errors name the file line", () => {
    const m = importCsv("\uFEFF;f=a;f=b\r\nf=a;0;1\r\n\r\nf=b;-1;0\r\n", {
      asOf: "2025-01-01",
      file: "m.csv",
    });
    expect(m.factors.map((f) => f.states.map((s) => s.id))).toEqual([["a", "b"]]);
    expect(() => importCsv(",f=a,f=b\nf=a,0,1\n\nf=b,x,0\n", { asOf: "2025-01-01", file: "m.csv" })).toThrow(
      /^m\.csv:4: row 2, column 1: 'x' is not an integer/,
    );
  });

  it("resolutions: a ResolutionError whose problem names line and column", () => {
    expect(parseCsv('q,"open').problem).toMatchObject({ line: 1, column: 2 });
    try {
      parseResolutions('question,outcome,date,source\nq1,yes,2025-06-01,"Reuters\n', "csv", "r.csv");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ResolutionError);
      expect((e as ResolutionError).problems).toEqual([
        "r.csv: line 2, column 4: a quoted field is not closed (no closing quote before the end)",
      ]);
    }
  });

  it("bargaining CSV: a BargainInputError at file:line", () => {
    const bad = 'Actor,Capability,Position,Salience\nA,1,10,0.5\n\nB,"2,20,0.3\n';
    expect(() => parseScholzCsv(bad, { source: "f.csv" })).toThrow(BargainInputError);
    expect(() => parseScholzCsv(bad, { source: "f.csv" })).toThrow(/^f\.csv:4: column 2: a quoted field/);
    expect(() =>
      parseScholzCsv("Actor,Capability,Position,Salience\nA,1,10,0.5\n\nB,x,20,0.3\n", { source: "f.csv" }),
    ).toThrow(/^f\.csv:4 capability/);
  });
});
