// One fuzz case through the loader an analyst's file would meet, and what is wrong with the
// answer: a throw (crash), more than 2 s (hang), or a problem without a path, or, for text,
// without a line inside the text. Used by bench/fuzz/run.ts and test/model/fuzz.test.ts.
//
// Loaders: YAML and JSON text go to parseModelText; .scw text is imported as `muscat check`
// and the CLI's engines read it (importedModel: import, then the semantic checks); bytes are
// decoded as a file is (decodeText) and then go the same way.
import { importedModel, modelFileKind } from "../../src/model/file.js";
import { type LoadResult, parseModelText } from "../../src/model/load.js";
import { decodeText } from "../../src/model/read.js";
import type { Problem } from "../../src/model/types.js";
import type { FuzzCase } from "./generate.js";

export const HANG_MS = 2000;

export interface Outcome {
  /** The error's first line and where it was thrown, when the loader threw. */
  crash?: string;
  ms: number;
  problems: number;
  /** A model came back. */
  model: boolean;
  /** Problems with no path, or (text input) no line within the text. */
  pathless: Problem[];
  lineless: Problem[];
  /** Neither a model nor an error: the loader gave up silently. */
  silent: boolean;
}

const FILES = { yaml: "fuzz.yaml", json: "fuzz.json", scw: "fuzz.scw" } as const;

async function load(c: FuzzCase): Promise<{ result: LoadResult; text?: string }> {
  const file = FILES[c.format];
  let text = c.text;
  if (text === undefined) {
    const decoded = decodeText(c.bytes ?? new Uint8Array(), file);
    if (!("text" in decoded)) return { result: decoded };
    text = decoded.text;
  }
  const kind = modelFileKind(file, text);
  if (kind === "model") return { result: parseModelText(text, { file }), text };
  return { result: await importedModel(kind, text, file, "2025-01-01"), text };
}

/**
 * Runs one case and judges the answer. A case over the time limit runs once more and keeps the
 * faster time, so that a pause of a busy machine (a collection, another process) is no hang.
 */
export async function runCase(c: FuzzCase): Promise<Outcome> {
  const first = await runOnce(c);
  if (first.ms <= HANG_MS || first.crash) return first;
  const again = await runOnce(c);
  return again.ms < first.ms ? again : first;
}

async function runOnce(c: FuzzCase): Promise<Outcome> {
  const start = performance.now();
  try {
    const { result, text } = await load(c);
    const ms = performance.now() - start;
    const lines = text === undefined ? 0 : text.split(/\r\n|\r|\n/).length;
    const pathless: Problem[] = [];
    const lineless: Problem[] = [];
    for (const p of result.problems) {
      if (typeof p.path !== "string" || p.path === "") pathless.push(p);
      // Text input: every problem has a line, and the line is one of the text's. (A byte that
      // is not UTF-8 is also a problem at a line: decodeText gives it one.)
      const needsLine = text !== undefined || p.code === "encoding";
      const maxLine = text === undefined ? Number.POSITIVE_INFINITY : lines;
      if (
        needsLine &&
        !(Number.isInteger(p.line) && (p.line as number) >= 1 && (p.line as number) <= maxLine)
      )
        lineless.push(p);
    }
    // A loader that caught its own failure says so as an "internal" problem: still a crash.
    const internal = result.problems.find((p) => p.code === "internal");
    if (internal)
      return { ms, problems: 0, model: false, pathless, lineless, silent: false, crash: internal.message };
    const silent = !result.model && !result.problems.some((p) => p.severity === "error");
    return {
      ms,
      problems: result.problems.length,
      model: result.model !== undefined,
      pathless,
      lineless,
      silent,
    };
  } catch (e) {
    const err = e as Error;
    const where = (err?.stack ?? "").split("\n").find((l) => l.includes("/src/")) ?? "";
    return {
      crash: `${err?.name ?? typeof e}: ${String(err?.message ?? e)
        .split("\n")[0]
        .slice(0, 200)} ${where.trim()}`,
      ms: performance.now() - start,
      problems: 0,
      model: false,
      pathless: [],
      lineless: [],
      silent: false,
    };
  }
}

/** Counts over a run, per format, with the first few examples of each kind of failure. */
export class Tally {
  tried: Record<string, number> = { yaml: 0, json: 0, scw: 0 };
  bytes = 0;
  models = 0;
  problems = 0;
  crashes = 0;
  hangs = 0;
  pathless = 0;
  lineless = 0;
  silent = 0;
  slowest = { ms: 0, index: -1, label: "" };
  examples: Record<"crash" | "hang" | "pathless" | "lineless" | "silent", string[]> = {
    crash: [],
    hang: [],
    pathless: [],
    lineless: [],
    silent: [],
  };

  constructor(readonly keep = 5) {}

  private note(kind: keyof Tally["examples"], c: FuzzCase, what: string): void {
    if (this.examples[kind].length < this.keep) this.examples[kind].push(`#${c.index} (${c.label}): ${what}`);
  }

  add(c: FuzzCase, o: Outcome): void {
    this.tried[c.format]++;
    if (c.bytes) this.bytes++;
    this.problems += o.problems;
    if (o.ms > this.slowest.ms) this.slowest = { ms: o.ms, index: c.index, label: c.label };
    if (o.crash) {
      this.crashes++;
      this.note("crash", c, o.crash);
    }
    if (o.ms > HANG_MS) {
      this.hangs++;
      this.note("hang", c, `${Math.round(o.ms)} ms`);
    }
    const show = (p: Problem) => `[${p.code}] ${p.path} line ${p.line ?? "none"}: ${p.message.slice(0, 120)}`;
    if (o.pathless.length) {
      this.pathless += o.pathless.length;
      this.note("pathless", c, show(o.pathless[0]));
    }
    if (o.lineless.length) {
      this.lineless += o.lineless.length;
      this.note("lineless", c, show(o.lineless[0]));
    }
    if (o.silent) {
      this.silent++;
      this.note("silent", c, "no model and no error");
    }
    if (o.model) this.models++;
  }

  /** A hang the watchdog had to stop (the case never returned). */
  addStopped(c: FuzzCase, ms: number): void {
    this.tried[c.format]++;
    this.hangs++;
    this.note("hang", c, `stopped after ${Math.round(ms)} ms`);
  }

  /** Adds another tally's counts (a worker's, sent as JSON), keeping the first examples. */
  merge(o: Tally): void {
    for (const f of Object.keys(this.tried)) this.tried[f] += o.tried[f] ?? 0;
    this.bytes += o.bytes;
    this.models += o.models;
    this.problems += o.problems;
    this.crashes += o.crashes;
    this.hangs += o.hangs;
    this.pathless += o.pathless;
    this.lineless += o.lineless;
    this.silent += o.silent;
    if (o.slowest.ms > this.slowest.ms) this.slowest = o.slowest;
    for (const k of Object.keys(this.examples) as (keyof Tally["examples"])[])
      this.examples[k] = [...this.examples[k], ...o.examples[k]].slice(0, this.keep);
  }

  get total(): number {
    return this.tried.yaml + this.tried.json + this.tried.scw;
  }

  failures(): number {
    return this.crashes + this.hangs + this.pathless + this.lineless + this.silent;
  }

  report(): string {
    const out = [
      `tried ${this.total}: yaml ${this.tried.yaml}, json ${this.tried.json}, scw ${this.tried.scw} (${this.bytes} of them as bytes)`,
      `models loaded ${this.models}; problems reported ${this.problems}`,
      `crashes ${this.crashes}; hangs (over ${HANG_MS} ms) ${this.hangs}; problems without a path ${this.pathless}; without a line ${this.lineless}; no model and no error ${this.silent}`,
      `slowest ${Math.round(this.slowest.ms)} ms (#${this.slowest.index}, ${this.slowest.label})`,
    ];
    for (const [kind, xs] of Object.entries(this.examples))
      if (xs.length) out.push(`${kind}:`, ...xs.map((x) => `  ${x}`));
    return out.join("\n");
  }
}
