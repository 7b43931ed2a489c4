// Reading a model file: YAML/JSON text → zod schema → normalised Model → semantic checks.
// Every problem is collected (not just the first), each with file, line, column and the path
// inside the model, so an analyst can fix a file in one pass.
import { createHash } from "node:crypto";
import { type Alias, type Document, isMap, LineCounter, parseDocument, visit } from "yaml";
import type { z } from "zod";
import { MAX_DEPTH, tooDeep } from "./depth.js";
import { formatPath, type PathSegment, parseEvidence, parseStateRef } from "./paths.js";
import { hasErrors } from "./problems.js";
import {
  type ConditionInput,
  type ModelInput,
  modelSchema,
  type QuestionInput,
  type TempoInput,
} from "./schema.js";
import {
  DEFAULT_SCALE,
  type Dynamics,
  type Evidence,
  type Impact,
  type Model,
  type Problem,
  type Question,
  type QuestionCondition,
  type QuestionEvent,
  type Severity,
  type Source,
  type Tempo,
} from "./types.js";
import { validateModel } from "./validate.js";

export interface LoadOptions {
  /** Name used in messages (defaults to "<input>"). */
  file?: string;
  /**
   * Texts of the model's sources by source id, when available: locators are then checked
   * against the real text (beyond the end, blank lines) and the sha256 is compared.
   */
  sourceTexts?: Map<string, string>;
}

export interface LoadResult {
  /** The normalised model; present when there are no errors (warnings allowed). */
  model?: Model;
  problems: Problem[];
  /** The YAML document (comments and order kept), for rewriting the file. */
  document?: Document;
  file: string;
}

export { formatProblem, hasErrors, ModelError } from "./problems.js";

/**
 * Parses and validates model text (YAML or JSON; JSON is read as YAML 1.2). Never throws on bad
 * input: binary data, nesting deeper than a model needs, an alias that resolves to nothing or
 * expands too far are problems like any other, each at its line.
 */
export function parseModelText(text: string, opts: LoadOptions = {}): LoadResult {
  const file = opts.file ?? "<input>";
  const early = unreadableText(text);
  if (early) return { problems: [{ severity: "error", path: "(file)", file, ...early }], file };
  try {
    return parseAndValidate(text, opts, file);
  } catch (e) {
    // Not expected (the checks above keep the stack safe): still a problem, never a throw.
    const deep = e instanceof RangeError;
    const problem: Problem = {
      severity: "error",
      code: deep ? "too-deep" : "internal",
      path: "(file)",
      message: deep
        ? "the file nests too deeply to read (a model needs a few levels, not hundreds)"
        : `the model could not be read: ${e instanceof Error ? e.message.split("\n")[0] : String(e)} (this is a bug: please report it with the file)`,
      file,
      line: 1,
      column: 1,
    };
    return { problems: [problem], file };
  }
}

/** What makes a text unreadable as a model before it is parsed: binary data, or nesting too deep. */
function unreadableText(text: string): Omit<Problem, "severity" | "path" | "file"> | undefined {
  const nul = text.indexOf("\u0000");
  if (nul >= 0) {
    const { line, column } = lineAndColumn(text, nul);
    return {
      code: "binary",
      message: `the file holds binary data (a NUL character at line ${line}, column ${column}): a model is YAML or JSON text${
        nul < 2 ? " (UTF-16 without a byte-order mark? save it as UTF-8)" : ""
      }`,
      line,
      column,
    };
  }
  const deep = tooDeep(text);
  if (deep)
    return {
      code: "too-deep",
      message: `the file nests more than ${MAX_DEPTH} levels deep (a model needs a few levels, not hundreds)`,
      ...deep,
    };
  return undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

function parseAndValidate(text: string, opts: LoadOptions, file: string): LoadResult {
  const lineCounter = new LineCounter();
  // logLevel "error": the parser's warnings (a mapping used as a key…) are not printed to the
  // console; what matters about such a key is reported as a problem below.
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: "error",
  });
  const problems: Problem[] = [];
  for (const e of document.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    problems.push({
      severity: "error",
      code: "syntax",
      path: "(file)",
      message: e.message.split("\n")[0],
      file,
      line: pos.line,
      column: pos.col,
    });
  }
  if (problems.length > 0) return { problems, document, file };

  const locate = (path: readonly PathSegment[]): { line?: number; column?: number } => {
    for (let n = path.length; n >= 0; n--) {
      const node = document.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
      if (n === 0 && isMap(document.contents) && document.contents.range) {
        const pos = lineCounter.linePos(document.contents.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    // An empty document, or one that is a lone scalar with no place: the problem is the file's.
    return { line: 1, column: 1 };
  };
  const add = (severity: Severity, code: string, path: readonly PathSegment[], message: string) => {
    problems.push({ severity, code, path: formatPath(path), message, file, ...locate(path) });
  };

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // The yaml library throws a ReferenceError for an alias with no anchor before it, or one
    // that expands past maxAliasCount.
    if (!(e instanceof ReferenceError)) throw e;
    const message = e.message.split("\n")[0];
    problems.push({
      severity: "error",
      code: "alias",
      path: "(file)",
      message: `${message}: write the value out, or anchor it (&name) before its alias (*name)`,
      file,
      ...aliasPlace(document, message, lineCounter),
    });
    return { problems, document, file };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    add("error", "not-a-model", [], "expected a mapping with id, title, asOf, actors and factors");
    return { problems, document, file };
  }

  // Schema pass. Elements of lists with schema errors (an impact, a stake, a position…) are
  // set aside and reported, so that the semantic checks can still run on the rest of the file.
  const pruned = data as Record<string, unknown>;
  const originalIndex = new Map<unknown[], number[]>();
  const toOriginal = (path: readonly PathSegment[]): PathSegment[] => {
    const out: PathSegment[] = [];
    let v: unknown = pruned;
    for (const seg of path) {
      if (Array.isArray(v) && typeof seg === "number") out.push(originalIndex.get(v)?.[seg] ?? seg);
      else out.push(seg);
      v = v !== null && typeof v === "object" ? (v as Record<PathSegment, unknown>)[seg] : undefined;
    }
    return out;
  };
  // Lists whose elements can be set aside: top-level lists and the positions of an issue.
  const prunableDepth = (path: PathSegment[]): number => {
    if (
      path[0] === "issues" &&
      typeof path[1] === "number" &&
      path[2] === "positions" &&
      typeof path[3] === "number"
    )
      return 3;
    if (typeof path[0] === "string" && PRUNABLE.includes(path[0]) && typeof path[1] === "number") return 1;
    return -1;
  };
  const PRUNABLE = ["impacts", "stakes", "issues", "sources", "questions", "scenarios", "observations"];
  const reported = new Set<string>();
  const setAside = new Set<string>();
  let parsed = modelSchema.safeParse(pruned);
  for (let round = 0; round < 4 && !parsed.success; round++) {
    const flat = flattenIssues(parsed.error.issues, [], pruned);
    const bad = new Map<
      unknown[],
      { parent: Record<PathSegment, unknown>; key: PathSegment; idx: Set<number> }
    >();
    let blocking = false;
    for (const issue of flat) {
      const fullPath = toOriginal(issue.path);
      const key = `${formatPath(fullPath)}|${issue.message}`;
      if (!reported.has(key)) {
        reported.add(key);
        add("error", issue.code, fullPath, issue.message);
      }
      const depth = prunableDepth(issue.path);
      if (depth < 0) {
        blocking = true;
        continue;
      }
      const parent = valueAt(pruned, issue.path.slice(0, depth - 1)) as Record<PathSegment, unknown>;
      const listKey = issue.path[depth - 1];
      const list = parent[listKey] as unknown[];
      const entry = bad.get(list) ?? { parent, key: listKey, idx: new Set<number>() };
      entry.idx.add(issue.path[depth] as number);
      bad.set(list, entry);
    }
    if (blocking) return { problems, document, file };
    for (const [list, { parent, key, idx }] of bad) {
      for (const i of idx) {
        const el = list[i] as { id?: unknown } | undefined;
        if (el && typeof el.id === "string") setAside.add(el.id);
      }
      const prev = originalIndex.get(list) ?? list.map((_, i) => i);
      const kept = list.filter((_, i) => !idx.has(i));
      originalIndex.set(
        kept,
        prev.filter((_, i) => !idx.has(i)),
      );
      parent[key] = kept;
    }
    parsed = modelSchema.safeParse(pruned);
  }
  if (!parsed.success) return { problems, document, file };

  const model = normalize(parsed.data);
  const semantic = validateModel(model, { sourceTexts: opts.sourceTexts });
  for (const p of semantic) {
    // A reference to an element already reported and set aside is not a second problem.
    const ref = /^no (?:source|actor|factor|issue) '([^']+)'/.exec(p.message);
    if (p.code === "unknown-reference" && ref && setAside.has(ref[1])) continue;
    add(p.severity, p.code, toOriginal(windowPath(pruned, p.path)), p.message);
  }
  return {
    model: hasErrors(problems) ? undefined : model,
    problems,
    document,
    file,
  };
}

/**
 * Where an alias problem is: the alias the message names ("Unresolved alias …: name"), else the
 * first alias of the document (an expansion that goes too far starts there).
 */
function aliasPlace(document: Document, message: string, lc: LineCounter): { line: number; column: number } {
  const named = /:\s*(\S+)$/.exec(message)?.[1];
  let first: Alias | undefined;
  let match: Alias | undefined;
  visit(document, {
    Alias(_, node) {
      first ??= node;
      if (node.source === named) {
        match = node;
        return visit.BREAK;
      }
    },
  });
  const at = (match ?? first)?.range?.[0];
  if (at === undefined) return { line: 1, column: 1 };
  const pos = lc.linePos(at);
  return { line: pos.line, column: pos.col };
}

/**
 * The validator names a question's window `from` and `horizon` (the normalised model's keys); a
 * file that wrote `window: [from, to]` has them at window[0] and window[1].
 */
function windowPath(data: unknown, path: PathSegment[]): PathSegment[] {
  if (path[0] !== "questions" || typeof path[1] !== "number" || (path[2] !== "from" && path[2] !== "horizon"))
    return path;
  const q = valueAt(data, path.slice(0, 2)) as { window?: unknown } | undefined;
  if (!q || q.window === undefined) return path;
  return [...path.slice(0, 2), "window", path[2] === "from" ? 0 : 1, ...path.slice(3)];
}

interface FlatIssue {
  code: string;
  path: PathSegment[];
  message: string;
}

function valueAt(data: unknown, path: PathSegment[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === "number" && !Number.isFinite(v))
    return Number.isNaN(v) ? "NaN (not a number)" : `${v} (a number too large to hold, or .inf)`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a text",
  array: "a list",
  object: "a mapping",
  boolean: "true or false",
};

/** Flattens zod issues (choosing the likeliest branch of each union) into plain messages. */
function flattenIssues(issues: z.core.$ZodIssue[], prefix: PathSegment[], data: unknown): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    const value = valueAt(data, path);
    switch (issue.code) {
      case "invalid_union": {
        const branches = (issue as unknown as { errors: z.core.$ZodIssue[][] }).errors;
        if (!branches?.length) {
          out.push({ code: "invalid-value", path, message: `unexpected ${describe(value)}` });
          break;
        }
        const score = (b: z.core.$ZodIssue[]) =>
          b.reduce((s, i) => {
            if (i.code === "invalid_type" && i.path.length === 0) return s + 10;
            if (i.code === "unrecognized_keys") return s + 3 * i.keys.length;
            if (i.code === "invalid_type" && (i as { input?: unknown }).input === undefined) return s + 3;
            return s + 1;
          }, 0);
        let best = branches[0];
        for (const b of branches) if (score(b) < score(best)) best = b;
        out.push(...flattenIssues(best, path, data));
        break;
      }
      case "unrecognized_keys":
        for (const k of issue.keys) {
          const known = knownKeys(path);
          const s = known.length ? suggestionFor(k, known) : "";
          out.push({
            code: "unknown-key",
            path: [...path, k],
            message: `unknown key '${k.length > 60 ? `${k.slice(0, 60)}…` : k}'${s}${known.length ? `; expected one of: ${known.join(", ")}` : ""}`,
          });
        }
        break;
      case "invalid_type": {
        const expected = String((issue as { expected?: string }).expected ?? "");
        if (value === undefined) {
          out.push({
            code: "missing-key",
            path,
            message: `required key is missing (expected ${TYPE_WORDS[expected] ?? expected})`,
          });
        } else {
          out.push({
            code: "wrong-type",
            path,
            message: `expected ${TYPE_WORDS[expected] ?? expected}, got ${describe(value)}`,
          });
        }
        break;
      }
      case "too_small":
      case "too_big": {
        const i = issue as unknown as {
          minimum?: number;
          maximum?: number;
          origin?: string;
          inclusive?: boolean;
        };
        if (i.origin === "string") {
          out.push({ code: "empty", path, message: "expected a non-empty text" });
        } else if (i.origin === "array") {
          out.push({ code: "out-of-range", path, message: issue.message });
        } else {
          const strict = i.inclusive === false;
          const bound =
            issue.code === "too_small"
              ? `${strict ? ">" : "≥"} ${i.minimum}`
              : `${strict ? "<" : "≤"} ${i.maximum}`;
          out.push({
            code: "out-of-range",
            path,
            message: `expected a value ${bound}, got ${describe(value)}`,
          });
        }
        break;
      }
      case "invalid_format":
        out.push({ code: "bad-format", path, message: `expected ${issue.message}, got ${describe(value)}` });
        break;
      case "invalid_value": {
        const values = (issue as unknown as { values: unknown[] }).values ?? [];
        out.push({
          code: "bad-value",
          path,
          message: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(value)}`,
        });
        break;
      }
      case "custom": {
        // The schema's own cross-key rules (a question's one event, its window) carry a code.
        const code = (issue as { params?: { code?: unknown } }).params?.code;
        if (typeof code === "string") out.push({ code, path, message: issue.message });
        else out.push({ code: "invalid", path, message: `${issue.message} (got ${describe(value)})` });
        break;
      }
      default:
        out.push({ code: "invalid", path, message: `${issue.message} (got ${describe(value)})` });
    }
  }
  return out;
}

function suggestionFor(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return ` (did you mean '${exact}'?)`;
  let best = "";
  let bestD = 99;
  for (const k of known) {
    // Two edits or fewer cannot bridge a larger difference in length.
    if (Math.abs(k.length - key.length) > 2) continue;
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= 2 ? ` (did you mean '${best}'?)` : "";
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i][j] = Math.min(
        dp[i - 1][j] + 1,
        dp[i][j - 1] + 1,
        dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return dp[a.length][b.length];
}

// Walks the zod schema along a data path to list the keys allowed at that place.
type AnySchema = { _zod: { def: Record<string, unknown> } };
function knownKeys(path: PathSegment[]): string[] {
  let candidates: AnySchema[] = [modelSchema as unknown as AnySchema];
  const unwrap = (s: AnySchema): AnySchema[] => {
    const def = s._zod.def;
    if (def.type === "optional" || def.type === "nullable" || def.type === "default")
      return unwrap(def.innerType as AnySchema);
    if (def.type === "union") return (def.options as AnySchema[]).flatMap(unwrap);
    if (def.type === "lazy") return unwrap((def.getter as () => AnySchema)());
    return [s];
  };
  for (const seg of path) {
    const next: AnySchema[] = [];
    for (const c of candidates.flatMap(unwrap)) {
      const def = c._zod.def;
      if (typeof seg === "number" && def.type === "array") next.push(def.element as AnySchema);
      if (typeof seg === "string" && def.type === "object") {
        const shape = def.shape as Record<string, AnySchema>;
        if (shape[seg]) next.push(shape[seg]);
      }
    }
    candidates = next;
  }
  const keys = new Set<string>();
  for (const c of candidates.flatMap(unwrap)) {
    if (c._zod.def.type === "object") for (const k of Object.keys(c._zod.def.shape as object)) keys.add(k);
  }
  return [...keys];
}

function evidenceList(e: unknown): Evidence[] {
  if (e === undefined || e === null) return [];
  const items = Array.isArray(e) ? e : [e];
  const out: Evidence[] = [];
  for (const item of items) {
    const ev = parseEvidence(item as Parameters<typeof parseEvidence>[0]);
    if (ev) out.push(ev);
  }
  return out;
}

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** A condition in tree form (`f=s`, { any: […] }, { all: […] }, { not: … }). */
function conditionTree(c: ConditionInput): QuestionCondition {
  if (typeof c === "string") return { kind: "state", ref: parseStateRef(c)! };
  if ("any" in c) return { kind: "any", of: c.any.map(conditionTree) };
  if ("all" in c) return { kind: "all", of: c.all.map(conditionTree) };
  return { kind: "not", condition: conditionTree(c.not) };
}

/** What a question asks: its condition (never: a path condition), sequence, or count of changes. */
function questionEvent(q: QuestionInput): QuestionEvent {
  if (q.sequence)
    return {
      kind: "sequence",
      steps: q.sequence.map((st) => defined({ condition: conditionTree(st.condition), within: st.within })),
    };
  if (q.changes)
    return defined({
      kind: "changes" as const,
      factor: q.changes.factor,
      atLeast: q.changes.atLeast,
      atMost: q.changes.atMost,
    });
  // The schema has made sure that a question without a sequence or changes has a condition.
  const c = conditionTree(q.condition as ConditionInput);
  return q.mode === "never" ? { kind: "never", condition: c } : c;
}

/** One question, normalised: its event, its window (from, horizon), given and observed states. */
function normalizeQuestion(q: QuestionInput): Question {
  const [from, horizon] = q.window ?? [q.from, q.horizon as number | string];
  return defined({
    id: q.id,
    text: q.text,
    condition: questionEvent(q),
    horizon,
    from,
    mode: q.mode === "at" ? ("at" as const) : ("by" as const),
    given: (q.given === undefined ? [] : Array.isArray(q.given) ? q.given : [q.given]).map(
      (g) => parseStateRef(g)!,
    ),
    observed: q.observed?.length
      ? q.observed.map((o) => ({ ref: parseStateRef(o.state)!, date: o.date }))
      : undefined,
    rationale: q.rationale,
    evidence: evidenceList(q.evidence),
  });
}

/** The tempo section: evidence expanded, factors listed (empty when none). */
function normalizeTempo(t: TempoInput): Tempo {
  return defined({
    unit: t.unit,
    rate: t.rate,
    range: t.range ? ([t.range[0], t.range[1]] as [number, number]) : undefined,
    rationale: t.rationale,
    evidence: evidenceList(t.evidence),
    factors: (t.factors ?? []).map((f) =>
      defined({
        factor: f.factor,
        rate: f.rate,
        range: f.range ? ([f.range[0], f.range[1]] as [number, number]) : undefined,
        rationale: f.rationale,
        evidence: evidenceList(f.evidence),
      }),
    ),
  });
}

/** The dynamics section; keys the file does not give stay absent (so older models keep their hash). */
function normalizeDynamics(d: NonNullable<ModelInput["dynamics"]>): Dynamics {
  return defined({
    mode: d.mode,
    beta: d.beta,
    betaRange: d.betaRange ? ([d.betaRange[0], d.betaRange[1]] as [number, number]) : undefined,
    responsiveness: { ...(d.responsiveness ?? {}) },
    shocks: (d.shocks ?? []).map((sh) =>
      defined({
        to: parseStateRef(sh.to)!,
        probability: sh.probability,
        at: sh.at,
        rationale: sh.rationale,
        evidence: evidenceList(sh.evidence),
      }),
    ),
    tempo: d.tempo ? normalizeTempo(d.tempo) : undefined,
    rationale: d.rationale,
  });
}

/** Expands shorthands and fills defaults; the input has passed the schema. */
export function normalize(input: ModelInput): Model {
  const impacts: Impact[] = (input.impacts ?? []).map((imp) => {
    if ("matrix" in imp) {
      return defined({
        kind: "block" as const,
        from: imp.from,
        to: imp.to,
        matrix: imp.matrix.map((r) => r.slice()),
        confidence: imp.confidence,
        rationale: imp.rationale,
        evidence: evidenceList(imp.evidence),
        author: imp.author,
      });
    }
    const from = parseStateRef(imp.from)!;
    const to = parseStateRef(imp.to)!;
    return defined({
      kind: "cell" as const,
      from,
      to,
      strength: imp.strength,
      confidence: imp.confidence,
      rationale: imp.rationale,
      evidence: evidenceList(imp.evidence),
      author: imp.author,
    });
  });
  return defined({
    format: input.format ?? "muscat/1",
    id: input.id,
    title: input.title,
    description: input.description,
    asOf: input.asOf,
    step: input.step,
    scale: input.scale ? { min: input.scale.min, max: input.scale.max } : { ...DEFAULT_SCALE },
    sources: (input.sources ?? []).map((s) => defined({ ...s }) as Source),
    actors: (input.actors ?? []).map((a) =>
      defined({ id: a.id, name: a.name, kind: a.kind, aliases: a.aliases ?? [], description: a.description }),
    ),
    factors: input.factors.map((f) =>
      defined({
        id: f.id,
        name: f.name,
        short: f.short ?? f.id,
        description: f.description,
        owners: f.owners ?? [],
        exogenous: f.exogenous ?? false,
        keywords: f.keywords ?? [],
        current: f.current,
        states: f.states.map((s) =>
          defined({
            id: s.id,
            label: s.label,
            short: s.short ?? s.id,
            description: s.description,
            keywords: s.keywords ?? [],
          }),
        ),
      }),
    ),
    impacts,
    stakes: (input.stakes ?? []).map((s) =>
      defined({
        actor: s.actor,
        state: parseStateRef(s.state)!,
        utility: s.utility,
        rationale: s.rationale,
        evidence: evidenceList(s.evidence),
      }),
    ),
    dynamics: input.dynamics ? normalizeDynamics(input.dynamics) : undefined,
    uncertainty: input.uncertainty
      ? defined({
          spread: Object.fromEntries(
            Object.entries(input.uncertainty.spread ?? {})
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => [Number(k), v]),
          ) as Partial<Record<1 | 2 | 3 | 4 | 5, number>>,
          unrated: input.uncertainty.unrated,
          rationale: input.uncertainty.rationale,
        })
      : undefined,
    scenarios: input.scenarios?.length
      ? input.scenarios.map((s) =>
          defined({
            name: s.name,
            states: s.states.map((r) => parseStateRef(r)!),
            description: s.description,
          }),
        )
      : undefined,
    questions: input.questions?.length ? input.questions.map(normalizeQuestion) : undefined,
    observations: input.observations?.length
      ? input.observations.map((o) =>
          defined({
            ref: parseStateRef(o.state)!,
            date: o.date,
            evidence: evidenceList(o.evidence),
            note: o.note,
          }),
        )
      : undefined,
    issues: (input.issues ?? []).map((iss) =>
      defined({
        id: iss.id,
        name: iss.name,
        unit: iss.unit,
        min: iss.min,
        max: iss.max,
        reversion: iss.reversion,
        description: iss.description,
        positions: iss.positions.map((p) =>
          defined({
            actor: p.actor,
            position: p.position,
            salience: p.salience,
            clout: p.clout,
            rationale: p.rationale,
            evidence: evidenceList(p.evidence),
          }),
        ),
      }),
    ),
  });
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}
