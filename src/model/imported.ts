// A ScenarioWizard project (.scw) or a labelled matrix CSV read as a model: imported as
// `muscat import` does (scw.ts), then given the same semantic checks as a model file. Never
// throws: a file that cannot be imported is one problem at its line, and every problem of the
// imported model points at the line of the file it comes from (a factor at its descriptor, a
// state at its state line, a judgment at its matrix row; the model as a whole at line 1).

import type { LoadResult } from "./load.js";
import { formatPath, type PathSegment } from "./paths.js";
import { InteropError, importCsv, parseScw, type ScwContent, scwToModel } from "./scw.js";
import type { Model, Problem } from "./types.js";
import { validateModel } from "./validate.js";

export function importText(kind: "scw" | "csv", text: string, file: string, asOf: string): LoadResult {
  try {
    let model: Model;
    let lineOf: (path: PathSegment[]) => number = () => 1;
    if (kind === "scw") {
      const scw = parseScw(text, file);
      model = scwToModel(scw, { file, asOf });
      lineOf = scwLines(scw, model);
    } else model = importCsv(text, { file, asOf });
    const problems: Problem[] = validateModel(model).map((p) => ({
      ...p,
      path: formatPath(p.path),
      file,
      line: lineOf(p.path),
    }));
    return { model: problems.some((p) => p.severity === "error") ? undefined : model, problems, file };
  } catch (e) {
    const interop = e instanceof InteropError;
    const message = e instanceof Error ? e.message : String(e);
    const problem: Problem = {
      severity: "error",
      code: interop ? kind : "internal",
      path: "(file)",
      message: interop
        ? message.replace(`${file}${e.line !== undefined ? `:${e.line}` : ""}: `, "")
        : `the file could not be imported: ${message.split("\n")[0]} (this is a bug: please report it with the file)`,
      file,
      line: (interop ? e.line : undefined) ?? 1,
    };
    return { problems: [problem], file };
  }
}

/** The line of the .scw file that a path in the imported model comes from. */
function scwLines(scw: ScwContent, model: Model): (path: PathSegment[]) => number {
  const firstRow = new Map<string, number>();
  let row = 0;
  model.factors.forEach((f, i) => {
    firstRow.set(f.id, row);
    row += scw.descriptors[i]?.variants.length ?? 0;
  });
  return (path) => {
    const [section, i, sub, k] = path;
    if (section === "factors" && typeof i === "number") {
      const d = scw.descriptors[i];
      if (!d) return 1;
      return sub === "states" && typeof k === "number" ? (d.variants[k]?.line ?? d.line) : d.line;
    }
    if (section === "impacts" && typeof i === "number") {
      const imp = model.impacts[i];
      const from = imp?.kind === "block" ? imp.from : imp?.from.factor;
      const at = from === undefined ? undefined : firstRow.get(from);
      if (at === undefined) return scw.matrixLine;
      return scw.matrixLine + at + (sub === "matrix" && typeof k === "number" ? k : 0);
    }
    return 1;
  };
}
