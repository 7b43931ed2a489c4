// ScenarioWizard solution lists (.sl): export and parse.
//
// Format (ScenarioWizard 3.0 style, as in the cibsa sample files): the header line
// `$ ScenarioWizard 3.0`, `Solution set`, the count as ` <n> ` (Visual Basic Str() spacing),
// a blank line, then per scenario `"<1-based state per factor, each as ' '+n>",weight,CV,0,TIS,"label"`.
// The weight is a basin count, a Monte Carlo hit count or 0; ScenarioWizard keeps it in a
// 32-bit float, so it saturates at 2^24 and prints in Visual Basic's Single format
// (7 significant digits, `1.677722E+07` from 10^7 up). The export reproduces that by default
// (`weights: "scenariowizard"`); `weights: "exact"` prints exact integers instead.

export interface SolutionListEntry {
  /** 0-based state per factor. */
  states: number[];
  weight: number;
  cv: number;
  /** Fourth column (always 0 in the known files). */
  reserved: number;
  tis: number;
  label: string;
}

export interface SolutionList {
  header: string;
  title: string;
  /** The count stated in the file. */
  count: number;
  entries: SolutionListEntry[];
}

/** Visual Basic Str()/Write# rendering of a Single (float32) value. */
export function formatVbSingle(x: number): string {
  const f = Math.fround(x);
  if (Number.isInteger(f) && Math.abs(f) < 1e7) return String(f);
  if (Math.abs(f) >= 1e7 || (f !== 0 && Math.abs(f) < 1e-4)) {
    const [mant, exp] = f.toExponential(6).split("e");
    const m = mant.includes(".") ? mant.replace(/0+$/, "").replace(/\.$/, "") : mant;
    const e = Number(exp);
    return `${m}E${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(Number(f.toPrecision(7)));
}

export interface SolutionListExportOptions {
  /** "scenariowizard" (default): float32 saturation at 2^24 and VB Single format; "exact": integers. */
  weights?: "scenariowizard" | "exact";
  header?: string;
  title?: string;
  /** Line ending (default "\n", as in the fixture files). */
  eol?: string;
}

/** Writes a solution list. Scenarios are written in the order given. */
export function exportSolutionList(
  entries: { states: ArrayLike<number>; weight?: number; cv: number; tis: number; label?: string }[],
  opts: SolutionListExportOptions = {},
): string {
  const eol = opts.eol ?? "\n";
  const lines = [
    opts.header ?? "$ ScenarioWizard 3.0",
    opts.title ?? "Solution set",
    ` ${entries.length} `,
    "",
  ];
  for (const e of entries) {
    const states = Array.from(e.states, (s) => ` ${s + 1}`).join("");
    const w = e.weight ?? 0;
    const weight = opts.weights === "exact" ? String(w) : formatVbSingle(Math.min(w, 2 ** 24));
    const label = (e.label ?? "").replace(/"/g, "'");
    lines.push(`"${states}",${weight},${e.cv},0,${e.tis},"${label}"`);
  }
  return lines.join(eol) + eol;
}

/** Splits one CSV line of a solution list (quoted strings, no embedded quotes). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      const j = line.indexOf('"', i + 1);
      if (j < 0) throw new Error(`unterminated quote in: ${line}`);
      out.push(line.slice(i + 1, j));
      i = j + 2;
    } else {
      let j = line.indexOf(",", i);
      if (j < 0) j = line.length;
      out.push(line.slice(i, j).trim());
      i = j + 1;
    }
  }
  return out;
}

/** Parses a .sl file (LF or CRLF). Errors name the line. */
export function parseSolutionList(text: string): SolutionList {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = lines[0] ?? "";
  if (!header.startsWith("$ ScenarioWizard"))
    throw new Error(`.sl line 1: expected "$ ScenarioWizard …", got "${header}"`);
  const title = (lines[1] ?? "").trim();
  const count = Number((lines[2] ?? "").trim());
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`.sl line 3: expected the solution count, got "${lines[2]}"`);
  const entries: SolutionListEntry[] = [];
  for (let ln = 3; ln < lines.length; ln++) {
    const line = lines[ln];
    if (line.trim() === "") continue;
    const cols = splitCsv(line);
    if (cols.length < 5)
      throw new Error(`.sl line ${ln + 1}: expected at least 5 columns, got ${cols.length}`);
    const states = cols[0]
      .trim()
      .split(/\s+/)
      .map((t) => Number(t) - 1);
    if (states.some((s) => !Number.isInteger(s) || s < 0))
      throw new Error(`.sl line ${ln + 1}: bad scenario "${cols[0]}"`);
    const num = (k: number, what: string) => {
      const v = Number(cols[k]);
      if (!Number.isFinite(v)) throw new Error(`.sl line ${ln + 1}: bad ${what} "${cols[k]}"`);
      return v;
    };
    entries.push({
      states,
      weight: num(1, "weight"),
      cv: num(2, "consistency value"),
      reserved: num(3, "fourth column"),
      tis: num(4, "total impact score"),
      label: cols[5] ?? "",
    });
  }
  if (entries.length !== count)
    throw new Error(`.sl: the file says ${count} solutions but lists ${entries.length}`);
  return { header, title, count, entries };
}
