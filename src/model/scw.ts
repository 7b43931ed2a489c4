// ScenarioWizard interop (.scw project files) and the matrix as CSV.
//
// .scw is line-oriented text (format notes in docs/interop.md): a header line
// (`$ ScenarioWizard 4.0`, also written by version 5), the project name, then per factor a
// line `&NAME` followed by its states as ` -NAME`, closed by `#`; a section of descriptor and
// state texts (`&text`, ` text`) closed by `#`; a colour section between `#` lines; then, after
// the fifth `#`-line counting the one that closes the factor list, the square matrix with one
// comma-separated row per source state; trailing text blocks follow. Files may use CRLF, and
// blank or duplicate names (states are identified by position).
import { readCsv } from "../csv.js";
import { InputError } from "../errors.js";
import { compileMatrix } from "./compiled.js";
import { slugify } from "./patterns.js";
import type { BlockImpact, Factor, Model } from "./types.js";

export { slugify } from "./patterns.js";

export class InteropError extends InputError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(`${file ?? "input"}${line !== undefined ? `:${line}` : ""}: ${message}`);
    this.name = "InteropError";
  }
}

export interface ImportOptions {
  /** Name for messages. */
  file?: string;
  /** Model id (default: from the project name). */
  id?: string;
  /** The model's asOf date (the .scw format holds none). */
  asOf: string;
}

function uniqueIds(names: string[], fallback: (i: number) => string): string[] {
  const seen = new Set<string>();
  return names.map((n, i) => {
    let id = slugify(n, fallback(i));
    if (seen.has(id)) {
      let k = 2;
      while (seen.has(`${id}-${k}`)) k++;
      id = `${id}-${k}`;
    }
    seen.add(id);
    return id;
  });
}

export interface ScwContent {
  project: string;
  descriptors: {
    name: string;
    text: string;
    variants: { name: string; text: string; line: number }[];
    /** Line of the descriptor's `&NAME` (1-based). */
    line: number;
  }[];
  rows: number[][];
  /** Line of the matrix's first row. */
  matrixLine: number;
}

/** Parses the raw structure of a .scw file. */
export function parseScw(text: string, file?: string): ScwContent {
  const nul = text.indexOf("\u0000");
  if (nul >= 0)
    throw new InteropError(
      "not a ScenarioWizard file (binary content: a NUL character)",
      file,
      text.slice(0, nul).split(/\r\n|\r|\n/).length,
    );
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  if (!/^\$ ScenarioWizard/.test(lines[0] ?? ""))
    throw new InteropError(
      `not a ScenarioWizard file: line 1 should start with '$ ScenarioWizard', got '${(lines[0] ?? "").slice(0, 40)}'`,
      file,
      1,
    );
  const project = (lines[1] ?? "").trim();
  const descriptors: ScwContent["descriptors"] = [];
  let i = 2;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith("#")) break;
    if (l.startsWith("&")) descriptors.push({ name: l.slice(1).trim(), text: "", variants: [], line: i + 1 });
    else if (l.startsWith(" -") || l.startsWith("-")) {
      const d = descriptors[descriptors.length - 1];
      if (!d) throw new InteropError("a state line comes before any descriptor ('&NAME')", file, i + 1);
      d.variants.push({ name: l.replace(/^ ?-/, "").trim(), text: "", line: i + 1 });
    } else if (l.trim() !== "")
      throw new InteropError(`unexpected line in the descriptor list: '${l.slice(0, 40)}'`, file, i + 1);
  }
  if (i >= lines.length)
    throw new InteropError("the descriptor list is never closed by '#'", file, lines.length);
  if (descriptors.length === 0) throw new InteropError("no descriptors ('&NAME' lines) found", file, 3);
  descriptors.forEach((d, k) => {
    if (d.variants.length < 1)
      throw new InteropError(`descriptor ${k + 1} ('${d.name}') has no states`, file, d.line);
  });
  const hashLine = i;
  // Descriptor and state texts: `&text` per descriptor, ` text` per state, until '#'.
  let di = -1;
  let vi = 0;
  for (i = hashLine + 1; i < lines.length && !lines[i].startsWith("#"); i++) {
    const l = lines[i];
    if (l.startsWith("&")) {
      di++;
      vi = 0;
      if (descriptors[di]) descriptors[di].text = l.slice(1).trim();
    } else if (descriptors[di]?.variants[vi]) {
      descriptors[di].variants[vi].text = l.trim();
      vi++;
    }
  }
  // The matrix starts after the fifth '#'-line counting the one that closed the factor list.
  let hashes = 0;
  for (i = hashLine; i < lines.length; i++) {
    if (lines[i].startsWith("#")) hashes++;
    if (hashes === 5) break;
  }
  if (hashes < 5) throw new InteropError("the file ends before the impact matrix", file, lines.length);
  const size = descriptors.reduce((s, d) => s + d.variants.length, 0);
  const rows: number[][] = [];
  for (let r = 0; r < size; r++) {
    const lineNo = i + 2 + r;
    const l = lines[i + 1 + r];
    if (l === undefined || l.startsWith("#"))
      throw new InteropError(
        `the impact matrix has ${r} rows, expected ${size} (one per state)`,
        file,
        Math.min(lineNo, lines.length),
      );
    const cells = l
      .split(",")
      .map((c) => c.trim())
      .filter((c, k, all) => !(c === "" && k === all.length - 1));
    if (cells.length !== size)
      throw new InteropError(`matrix row ${r + 1} has ${cells.length} cells, expected ${size}`, file, lineNo);
    rows.push(
      cells.map((c, k) => {
        const shown = c.length > 40 ? `${c.slice(0, 40)}…` : c;
        if (!/^[+-]?\d+$/.test(c))
          throw new InteropError(
            `matrix row ${r + 1}, column ${k + 1}: '${shown}' is not an integer`,
            file,
            lineNo,
          );
        const v = Number(c);
        if (!Number.isSafeInteger(v))
          throw new InteropError(
            `matrix row ${r + 1}, column ${k + 1}: '${shown}' is too large for an impact`,
            file,
            lineNo,
          );
        return v;
      }),
    );
  }
  return { project, descriptors, rows, matrixLine: i + 2 };
}

/** Blocks of a square matrix per factor pair, skipping all-zero blocks. */
export function matrixToBlocks(factors: Factor[], rows: number[][]): BlockImpact[] {
  const offsets = [0];
  for (const f of factors) offsets.push(offsets[offsets.length - 1] + f.states.length);
  const blocks: BlockImpact[] = [];
  factors.forEach((fi, i) => {
    factors.forEach((fj, j) => {
      const m: number[][] = [];
      let nonzero = false;
      for (let r = offsets[i]; r < offsets[i + 1]; r++) {
        const row = rows[r].slice(offsets[j], offsets[j + 1]);
        if (row.some((v) => v !== 0)) nonzero = true;
        m.push(row);
      }
      if (nonzero) blocks.push({ kind: "block", from: fi.id, to: fj.id, matrix: m, evidence: [] });
    });
  });
  return blocks;
}

function scaleFor(rows: number[][]): { min: number; max: number } {
  let b = 3;
  for (const r of rows) for (const v of r) b = Math.max(b, Math.abs(v));
  return { min: -b, max: b };
}

/** Imports a .scw project into a model (factor and state names kept as labels and short names). */
export function importScw(text: string, opts: ImportOptions): Model {
  return scwToModel(parseScw(text, opts.file), opts);
}

/** The model of a parsed .scw project. */
export function scwToModel(scw: ScwContent, opts: ImportOptions): Model {
  const factorIds = uniqueIds(
    scw.descriptors.map((d) => d.name),
    (i) => `f${i + 1}`,
  );
  const factors: Factor[] = scw.descriptors.map((d, i) => {
    const stateIds = uniqueIds(
      d.variants.map((v) => v.name),
      (k) => `s${k + 1}`,
    );
    return {
      id: factorIds[i],
      name: d.name || `Factor ${i + 1}`,
      short: d.name || `F${i + 1}`,
      description: d.text || undefined,
      owners: [],
      exogenous: false,
      keywords: [],
      states: d.variants.map((v, k) => ({
        id: stateIds[k],
        label: v.name || `State ${k + 1}`,
        short: v.name || `S${k + 1}`,
        description: v.text || undefined,
        keywords: [],
      })),
    };
  });
  for (const f of factors) {
    if (f.description === undefined) delete f.description;
    for (const s of f.states) if (s.description === undefined) delete s.description;
  }
  const base = (opts.file ?? "scenariowizard").replace(/^.*[\\/]/, "").replace(/\.scw$/i, "");
  const model: Model = {
    format: "muscat/1",
    id: opts.id ?? slugify(base, "imported"),
    title: scw.project || base,
    description: `Imported from the ScenarioWizard project ${scw.project || base}.`,
    asOf: opts.asOf,
    scale: scaleFor(scw.rows),
    sources: [],
    actors: [],
    factors,
    impacts: matrixToBlocks(factors, scw.rows),
    stakes: [],
    issues: [],
  };
  return model;
}

/** The model's matrix as rows (source states) of columns (target states). */
export function modelMatrixRows(model: Model): number[][] {
  const offsets = new Map<string, number>();
  let size = 0;
  const stateIndex = new Map<string, number>();
  for (const f of model.factors) {
    offsets.set(f.id, size);
    f.states.forEach((s, k) => stateIndex.set(`${f.id}=${s.id}`, size + k));
    size += f.states.length;
  }
  const rows = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const imp of model.impacts) {
    if (imp.kind === "cell") {
      rows[stateIndex.get(`${imp.from.factor}=${imp.from.state}`)!][
        stateIndex.get(`${imp.to.factor}=${imp.to.state}`)!
      ] += imp.strength;
    } else {
      const oi = offsets.get(imp.from)!;
      const oj = offsets.get(imp.to)!;
      imp.matrix.forEach((row, r) =>
        row.forEach((v, c) => {
          rows[oi + r][oj + c] += v;
        }),
      );
    }
  }
  return rows;
}

const oneLine = (s: string | undefined) => (s ?? "").replace(/[\r\n]+/g, " ").trim();

/** Writes a model as a .scw project (ScenarioWizard 4.0 layout). */
export function exportScw(model: Model): string {
  const out: string[] = ["$ ScenarioWizard 4.0", oneLine(model.title) || model.id];
  for (const f of model.factors) {
    out.push(`&${oneLine(f.short)}`);
    for (const s of f.states) out.push(` -${oneLine(s.short)}`);
  }
  out.push("#");
  for (const f of model.factors) {
    out.push(`&${oneLine(f.description)}`);
    for (const s of f.states) out.push(` ${oneLine(s.description)}`);
  }
  out.push("#", "#");
  for (let i = 0; i < model.factors.length; i++) out.push("FFFFFF", "FFFFFF");
  out.push("#", "#");
  const rows = modelMatrixRows(model);
  for (const row of rows) out.push(row.map((v) => `${String(v).padStart(2)} `).join(","));
  out.push("#", "# 0-0", '""');
  for (let i = 0; i < model.factors.length; i++) out.push("# ", '""');
  for (let i = 0; i < model.factors.length * model.factors.length; i++) out.push("#  -> ", '""');
  out.push("#", "#");
  return `${out.join("\r\n")}\r\n`;
}

// ---- CSV: the matrix with labelled rows and columns (`factor=state`) ----

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The matrix as CSV: a header row of `factor=state` labels, then one labelled row per source state. */
export function exportCsv(model: Model): string {
  const labels = model.factors.flatMap((f) => f.states.map((s) => `${f.id}=${s.id}`));
  const rows = modelMatrixRows(model);
  const lines = [["", ...labels].map(csvField).join(",")];
  rows.forEach((r, i) => lines.push([labels[i], ...r.map(String)].map(csvField).join(",")));
  return `${lines.join("\n")}\n`;
}

/** Imports a labelled matrix CSV (as written by exportCsv) into a model. */
export function importCsv(text: string, opts: ImportOptions): Model {
  // Cells are separated by commas or semicolons (spreadsheets in some locales write the latter).
  const { records, problem } = readCsv(text, { delimiter: [",", ";"] });
  if (problem)
    throw new InteropError(`column ${problem.column}: ${problem.message}`, opts.file, problem.line);
  const lines = records.map((r) => ({ cells: r.fields.map((f) => f.trim()), line: r.line }));
  if (lines.length < 2)
    throw new InteropError("a matrix CSV needs a header row and at least one row", opts.file, 1);
  const header = lines[0].cells.slice(1);
  const factorOrder: string[] = [];
  const states = new Map<string, string[]>();
  header.forEach((label, k) => {
    const m = /^([^=]+)=(.+)$/.exec(label);
    if (!m) throw new InteropError(`column ${k + 2}: label '${label}' is not factor=state`, opts.file, 1);
    const [f, s] = [m[1].trim(), m[2].trim()];
    if (!states.has(f)) {
      factorOrder.push(f);
      states.set(f, []);
    } else if (factorOrder[factorOrder.length - 1] !== f)
      throw new InteropError(`column ${k + 2}: the states of factor '${f}' are not contiguous`, opts.file, 1);
    states.get(f)!.push(s);
  });
  const size = header.length;
  if (lines.length - 1 !== size)
    throw new InteropError(
      `the matrix has ${lines.length - 1} rows but ${size} labelled columns`,
      opts.file,
      lines[lines.length - 1].line,
    );
  const rows = lines.slice(1).map(({ cells, line }, r) => {
    if (cells[0] !== header[r])
      throw new InteropError(
        `row ${r + 1} is labelled '${cells[0]}', expected '${header[r]}'`,
        opts.file,
        line,
      );
    if (cells.length - 1 !== size)
      throw new InteropError(`row ${r + 1} has ${cells.length - 1} cells, expected ${size}`, opts.file, line);
    return cells.slice(1).map((c, k) => {
      const v = c === "" ? 0 : Number(c);
      if (!Number.isInteger(v))
        throw new InteropError(`row ${r + 1}, column ${k + 1}: '${c}' is not an integer`, opts.file, line);
      return v;
    });
  });
  const factors: Factor[] = factorOrder.map((f) => ({
    id: slugify(f, f),
    name: f,
    short: f,
    owners: [],
    exogenous: false,
    keywords: [],
    states: states.get(f)!.map((s) => ({ id: slugify(s, s), label: s, short: s, keywords: [] })),
  }));
  const base = (opts.file ?? "matrix").replace(/^.*[\\/]/, "").replace(/\.csv$/i, "");
  return {
    format: "muscat/1",
    id: opts.id ?? slugify(base, "imported"),
    title: base,
    asOf: opts.asOf,
    scale: scaleFor(rows),
    sources: [],
    actors: [],
    factors,
    impacts: matrixToBlocks(factors, rows),
    stakes: [],
    issues: [],
  };
}

/** A CompiledModel straight from .scw text (for engines and tests that need only the matrix). */
export function compileScw(text: string, file?: string) {
  const scw = parseScw(text, file);
  return compileMatrix(
    scw.descriptors.map((d) => ({ name: d.name, variants: d.variants.map((v) => v.name) })),
    scw.rows,
  );
}
