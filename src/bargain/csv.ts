/**
 * Readers for the published data formats used by the bargaining engines. Parsers take text and return plain
 * objects; the `read*File` helpers are the only functions here that touch the file system.
 * CSV syntax (quotes, BOM, line ends) is read by src/csv.ts; errors name the file line.
 *
 * - Scholz / BDM replication CSV (`Actor,Capability,Position,Salience`, e.g. ExampleActors.csv, Sultan.csv).
 * - KTAB SMP CSV (scenario row, header row, one row per actor with position/salience pairs).
 * - DEU III (Arregui & Perarnaud 2021) tab-separated export with a GDP row as the second line.
 */
import { readFileSync } from "node:fs";
import { readCsv } from "../csv.js";
import { BargainInputError, type IssueActor, type SpatialScenario } from "./types.js";

/** Splits one CSV line (comma by default), honouring double quotes; fields are trimmed. */
export function splitCsvLine(line: string, sep = ","): string[] {
  const { records } = readCsv(line, { delimiter: sep });
  return records.length ? records[0].fields.map((f) => f.trim()) : [""];
}

/** The non-blank records of CSV text, fields trimmed, each with its line; a syntax problem is a BargainInputError. */
function rows(text: string, source: string, sep = ","): { f: string[]; line: number }[] {
  const { records, problem } = readCsv(text, { delimiter: sep });
  if (problem)
    throw new BargainInputError(`column ${problem.column}: ${problem.message}`, `${source}:${problem.line}`);
  return records.map((r) => ({ f: r.fields.map((x) => x.trim()), line: r.line }));
}

function num(v: string | undefined, where: string): number {
  const x = Number(v);
  if (v === undefined || v.trim() === "" || !Number.isFinite(x))
    throw new BargainInputError(`expected a number, got ${JSON.stringify(v ?? "")}`, where);
  return x;
}

export interface ScholzCsvOptions {
  /** Divide saliences by this (1 for 0–1 data, 100 for 0–100 data). `auto`: 100 if any salience > 1. */
  salienceScale?: number | "auto";
  source?: string;
}

/**
 * Scholz/BDM CSV: a header naming the columns (case-insensitive): actor|name, capability|clout|power|
 * resources|influence, position, salience. Extra columns are ignored.
 */
export function parseScholzCsv(
  text: string,
  options: ScholzCsvOptions = {},
): { actors: IssueActor[]; salienceScale: number } {
  const src = options.source ?? "csv";
  const ls = rows(text, src);
  if (ls.length < 2) throw new BargainInputError("needs a header and at least one actor row", src);
  const head = ls[0].f.map((h) => h.toLowerCase());
  const col = (names: string[]): number => {
    const k = head.findIndex((h) => names.includes(h));
    if (k < 0)
      throw new BargainInputError(`missing column (one of ${names.join(", ")})`, `${src}:${ls[0].line}`);
    return k;
  };
  const cName = col(["actor", "name"]);
  const cCap = col(["capability", "clout", "power", "resources", "influence", "capabilities"]);
  const cPos = col(["position"]);
  const cSal = col(["salience"]);
  const raw = ls.slice(1).map(({ f, line }) => {
    const at = `${src}:${line}`;
    return {
      line,
      name: f[cName],
      clout: num(f[cCap], `${at} capability`),
      position: num(f[cPos], `${at} position`),
      salience: num(f[cSal], `${at} salience`),
    };
  });
  const scale =
    options.salienceScale === undefined || options.salienceScale === "auto"
      ? raw.some((a) => a.salience > 1)
        ? 100
        : 1
      : options.salienceScale;
  const actors = raw.map(({ line, ...a }) => {
    const s = a.salience / scale;
    if (!(s >= 0 && s <= 1))
      throw new BargainInputError(`salience ${a.salience} is outside [0, ${scale}]`, `${src}:${line}`);
    return { ...a, salience: s };
  });
  return { actors, salienceScale: scale };
}

/** KTAB SMP CSV (see design doc): validates KTAB's rules and reports the first offending cell. */
export function parseKtabCsv(text: string, source = "csv"): SpatialScenario {
  const ls = rows(text, source);
  if (ls.length < 3) throw new BargainInputError("needs a scenario row, a header row and actor rows", source);
  const first = ls[0].f;
  const at1 = `${source}:${ls[0].line}`;
  const name = first[0];
  const description = first[1] ?? "";
  const nActors = num(first[2], `${at1} number of actors`);
  const nDims = num(first[3], `${at1} number of dimensions`);
  if (!(Number.isInteger(nActors) && nActors >= 1))
    throw new BargainInputError("number of actors must be a positive integer", at1);
  if (!(Number.isInteger(nDims) && nDims >= 1))
    throw new BargainInputError("number of dimensions must be a positive integer", at1);
  const head = ls[1].f;
  const dimensions: string[] = [];
  for (let k = 0; k < nDims; k++) dimensions.push(head[3 + 2 * k] || `Dim${k}`);
  if (ls.length - 2 < nActors)
    throw new BargainInputError(`declares ${nActors} actors but has ${ls.length - 2} rows`, source);
  const actors = ls.slice(2, 2 + nActors).map(({ f, line }) => {
    const at = `${source}:${line}`;
    const capability = num(f[2], `${at} capability`);
    if (!(capability > 0)) throw new BargainInputError("capability must be > 0", `${at} capability`);
    const position: number[] = [];
    const salience: number[] = [];
    for (let k = 0; k < nDims; k++) {
      const p = num(f[3 + 2 * k], `${at} position ${k}`);
      const s = num(f[4 + 2 * k], `${at} salience ${k}`);
      if (!(p >= 0 && p <= 100))
        throw new BargainInputError(`position ${p} is outside [0,100]`, `${at} dim ${k}`);
      if (!(s >= 0 && s <= 100))
        throw new BargainInputError(`salience ${s} is outside [0,100]`, `${at} dim ${k}`);
      position.push(p);
      salience.push(s);
    }
    const total = salience.reduce((a, b) => a + b, 0);
    if (total > 100 + 1e-9) throw new BargainInputError(`total salience ${total} exceeds 100`, at);
    return { name: f[0], description: f[1] ?? "", capability, position, salience };
  });
  return { name, description, dimensions, actors };
}

/** One DEU III issue as read: positions/saliences per actor code, `null` where the cell is empty. */
export interface Deu3Issue {
  id: string;
  proposal: string;
  name: string;
  /** The actual outcome (0–100), null if not coded. */
  outcome: number | null;
  /** Reference point (reversion point), null if not coded. */
  referencePoint: number | null;
  actors: { code: string; position: number | null; salience: number | null; gdp: number }[];
  /** Every column of the row, as text. */
  fields: Record<string, string>;
}

export interface Deu3Data {
  /** Actor codes in column order: com, ep, then the member states. */
  codes: string[];
  gdp: Record<string, number>;
  issues: Deu3Issue[];
}

/** DEU III tab-separated file (header, GDP row, one row per issue; columns p<code>, s<code>, rp, out). */
export function parseDeu3(text: string, source = "deu3.csv"): Deu3Data {
  const ls = rows(text, source, "\t");
  if (ls.length < 2) throw new BargainInputError("needs a header row and a GDP row", source);
  const head = ls[0].f;
  const gdpRow = ls[1].f;
  const [at1, at2] = [`${source}:${ls[0].line}`, `${source}:${ls[1].line}`];
  const meta = new Set(["prnrnmc", "prnr", "prname", "proc", "proccde"]);
  const codes = head.filter((h) => h.startsWith("p") && !meta.has(h)).map((h) => h.slice(1));
  for (const c of codes)
    if (!head.includes(`s${c}`)) throw new BargainInputError(`no salience column s${c} for p${c}`, at1);
  const idx = (h: string) => {
    const k = head.indexOf(h);
    if (k < 0) throw new BargainInputError(`missing column ${h}`, at1);
    return k;
  };
  const gdp: Record<string, number> = {};
  for (const c of codes) gdp[c] = num(gdpRow[idx(`p${c}`)], `${at2} GDP of ${c}`);
  const opt = (v: string | undefined, where: string): number | null =>
    v === undefined || v === "" ? null : num(v, where);
  const issues = ls.slice(2).map(({ f, line }) => {
    const at = `${source}:${line}`;
    const fields: Record<string, string> = {};
    head.forEach((h, j) => {
      fields[h] = f[j] ?? "";
    });
    return {
      id: fields.isnr,
      proposal: fields.prnr,
      name: fields.prname,
      outcome: opt(fields.out, `${at} out`),
      referencePoint: opt(fields.rp, `${at} rp`),
      actors: codes.map((code) => ({
        code,
        position: opt(fields[`p${code}`], `${at} p${code}`),
        salience: opt(fields[`s${code}`], `${at} s${code}`),
        gdp: gdp[code],
      })),
      fields,
    };
  });
  return { codes, gdp, issues };
}

export interface Deu3Rules {
  /** Salience used when an actor has a position but no salience (0–100 scale). */
  missingSalience: number;
  /** Salience used when it is coded as 0 although the actor has a position (null: keep 0). */
  zeroSalience: number | null;
  /** Clout: the GDP row, or 1 for everybody. */
  clout: "gdp" | "equal";
}

/** Rules that reproduce the reference figures in cases.json (DEU3-aggregate). */
export const DEU3_REFERENCE_RULES: Deu3Rules = { missingSalience: 50, zeroSalience: 50, clout: "gdp" };

/** The actors of one DEU III issue (those with a position), saliences on 0–1, under the stated rules. */
export function deu3IssueActors(issue: Deu3Issue, rules: Deu3Rules = DEU3_REFERENCE_RULES): IssueActor[] {
  const out: IssueActor[] = [];
  for (const a of issue.actors) {
    if (a.position === null) continue;
    let s = a.salience ?? rules.missingSalience;
    if (s === 0 && rules.zeroSalience !== null) s = rules.zeroSalience;
    out.push({
      name: a.code,
      clout: rules.clout === "gdp" ? a.gdp : 1,
      position: a.position,
      salience: s / 100,
    });
  }
  return out;
}

export function readScholzCsvFile(path: string, options: ScholzCsvOptions = {}) {
  return parseScholzCsv(readFileSync(path, "utf8"), { source: path, ...options });
}
export function readKtabCsvFile(path: string): SpatialScenario {
  return parseKtabCsv(readFileSync(path, "utf8"), path);
}
export function readDeu3File(path: string): Deu3Data {
  return parseDeu3(readFileSync(path, "utf8"), path);
}
