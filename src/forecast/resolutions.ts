// Resolutions of forecast questions, kept outside the model (so a model carries no
// hindsight): a YAML or JSON list (or { resolutions: [...] }) or a CSV file with a header,
// one row per question: question id, outcome yes/no, resolution date, source.

import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type CsvProblem, csvProblemText, readCsv } from "../csv.js";
import { InputError } from "../errors.js";
import { isCalendarDate } from "../model/step.js";

export interface Resolution {
  question: string;
  outcome: 0 | 1;
  /** When the outcome became known, YYYY-MM-DD. */
  date: string;
  /** Where the outcome is documented (a URL or a citation). */
  source: string;
  note?: string;
}

export class ResolutionError extends InputError {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}:\n  ${problems.join("\n  ")}` : message);
    this.name = "ResolutionError";
  }
}

const YES = new Set(["yes", "y", "true", "1"]);
const NO = new Set(["no", "n", "false", "0"]);

const row = z.object({
  question: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  outcome: z.union([z.string(), z.boolean(), z.number()]),
  date: z.union([z.string(), z.date()]),
  source: z.string().min(1),
  note: z.string().optional(),
});

/**
 * Parses CSV text (RFC 4180 quoting, src/csv.ts) into its rows of fields, rows whose fields are
 * all blank left out; a syntax problem (e.g. a quote never closed) comes back, never thrown.
 */
export function parseCsv(text: string): { rows: string[][]; problem?: CsvProblem } {
  const { records, problem } = readCsv(text);
  const rows = records.map((r) => r.fields).filter((r) => r.some((f) => f.trim() !== ""));
  return problem ? { rows, problem } : { rows };
}

/** Parses resolutions from text; `kind` is "csv" or "yaml" (JSON is read as YAML). */
export function parseResolutions(text: string, kind: "csv" | "yaml", file = "<input>"): Resolution[] {
  let raw: unknown[];
  const where: string[] = [];
  if (kind === "csv") {
    const { rows, problem } = parseCsv(text);
    if (problem)
      throw new ResolutionError(`${file}: unreadable CSV`, [`${file}: ${csvProblemText(problem)}`]);
    if (rows.length === 0) return [];
    const header = rows[0].map((h) => h.trim().toLowerCase());
    for (const need of ["outcome", "date", "source"])
      if (!header.includes(need))
        throw new ResolutionError(
          `${file}: the CSV header needs a '${need}' column (got ${header.join(", ")})`,
        );
    if (!header.includes("question") && !header.includes("id"))
      throw new ResolutionError(`${file}: the CSV header needs a 'question' column`);
    raw = rows.slice(1).map((r, i) => {
      where.push(`${file}: row ${i + 2}`);
      return Object.fromEntries(header.map((h, k) => [h, (r[k] ?? "").trim()]).filter(([, v]) => v !== ""));
    });
  } else {
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (e) {
      throw new ResolutionError(`${file}: ${(e as Error).message.split("\n")[0]}`);
    }
    if (data === null || data === undefined) return [];
    if (!Array.isArray(data)) {
      const list = (data as { resolutions?: unknown }).resolutions;
      if (!Array.isArray(list))
        throw new ResolutionError(`${file}: expected a list of resolutions or { resolutions: [...] }`);
      data = list;
    }
    raw = data as unknown[];
    raw.forEach((_, i) => where.push(`${file}: resolutions[${i}]`));
  }
  const problems: string[] = [];
  const out: Resolution[] = [];
  const seen = new Map<string, string>();
  raw.forEach((r, i) => {
    const parsed = row.safeParse(r);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push(`${where[i]}: ${issue.path.join(".") || "(row)"}: ${issue.message}`);
      return;
    }
    const x = parsed.data;
    const question = x.question ?? x.id;
    if (!question) {
      problems.push(`${where[i]}: no question id`);
      return;
    }
    const o = String(x.outcome).trim().toLowerCase();
    const outcome = YES.has(o) ? 1 : NO.has(o) ? 0 : undefined;
    if (outcome === undefined) {
      problems.push(`${where[i]}: outcome must be yes or no, got '${x.outcome}'`);
      return;
    }
    const date = x.date instanceof Date ? x.date.toISOString().slice(0, 10) : x.date.trim();
    if (!isCalendarDate(date)) {
      problems.push(`${where[i]}: date must be YYYY-MM-DD, got '${date}'`);
      return;
    }
    const prev = seen.get(question);
    if (prev) {
      problems.push(`${where[i]}: question '${question}' is resolved twice (first at ${prev})`);
      return;
    }
    seen.set(question, where[i]);
    out.push({ question, outcome, date, source: x.source, ...(x.note ? { note: x.note } : {}) });
  });
  if (problems.length) throw new ResolutionError(`${file}: invalid resolutions`, problems);
  return out;
}

/** Reads a resolutions file (.csv, or .yaml / .yml / .json). */
export function readResolutions(path: string): Resolution[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ResolutionError(`cannot read ${path}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
  return parseResolutions(text, extname(path).toLowerCase() === ".csv" ? "csv" : "yaml", path);
}
