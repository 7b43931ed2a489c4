// Structural edits of a model's text: add, rename, move and remove actors, factors and states,
// and set judgments, so that a model can be built from a blank page in the app. Pure and
// browser-safe: text in, text out.
//
// How: the text is parsed into a YAML Document, the operation changes the Document (the source
// of truth for the new content), and the result is written back as splices of the original
// text: only what changed is rewritten, so comments, order, quoting and spacing everywhere
// else stay byte for byte (a full re-stringify would reflow the seed model's long lines and
// flow lists). A flow collection that changes (`[us, iran]`, `{ id: x, label: X }`, a matrix
// row) is rewritten whole; block lists gain and lose whole lines.
//
// Ids never change after creation (renaming changes name, label or short only), so references
// stay valid. Removals cascade to everything that names what goes (impacts, block rows and
// columns, stakes, questions, shocks, owners, positions, `current`), and say so in `removed`.
// Every result is checked with parseModelText: an operation never adds an error.

import type { Document } from "yaml";
import { isMap, isScalar, isSeq, type Pair, type Scalar, stringify, type YAMLMap, type YAMLSeq } from "yaml";
import { InputError } from "../errors.js";
import { signed } from "../format.js";
import { type LoadResult, parseModelText } from "./load.js";
import { parseStateRef, suggestion } from "./paths.js";
import { FORMAT_VERSION, ID_PATTERN, slugify } from "./patterns.js";
import { ACTOR_KINDS } from "./schema.js";
import { isCalendarDate } from "./step.js";
import { type ActorKind, DEFAULT_SCALE, type StateRef } from "./types.js";

export type ModelOp =
  | { op: "setMeta"; title?: string; asOf?: string; description?: string }
  | { op: "addActor"; name: string; id?: string; kind?: ActorKind }
  | { op: "updateActor"; id: string; name?: string; kind?: ActorKind; description?: string }
  | { op: "removeActor"; id: string }
  | {
      op: "addFactor";
      name: string;
      id?: string;
      short?: string;
      states: { label: string; id?: string; short?: string }[];
      index?: number;
    }
  | { op: "updateFactor"; id: string; name?: string; short?: string; description?: string; owners?: string[] }
  | { op: "moveFactor"; id: string; to: number }
  | { op: "removeFactor"; id: string }
  | { op: "addState"; factor: string; label: string; id?: string; short?: string; index?: number }
  | { op: "updateState"; factor: string; state: string; label?: string; short?: string }
  | { op: "moveState"; factor: string; state: string; to: number }
  | { op: "removeState"; factor: string; state: string }
  | {
      op: "setCell";
      from: StateRef;
      to: StateRef;
      strength: number | null;
      rationale?: string;
      confidence?: number;
    }
  | { op: "addEvidence"; from: StateRef; to: StateRef; source: string; lines: [number, number] }
  | { op: "removeEvidence"; from: StateRef; to: StateRef; index: number }
  /** Words that name a state (or, without `state`, the factor) in text: `keywords`, for ingestion. */
  | { op: "addKeywords"; factor: string; state?: string; words: string[] }
  /** Other names of an actor in text: `aliases`, for ingestion. */
  | { op: "addAliases"; actor: string; aliases: string[] }
  | {
      op: "addSource";
      id: string;
      title: string;
      outlet?: string;
      date?: string;
      url?: string;
      file?: string;
      sha256?: string;
      lines?: number;
    };

export interface OpResult {
  text: string;
  /** What went with a removal, one human line each, e.g. "impact 3: Talks=Deal → Region=War (+2)". */
  removed: string[];
}

/**
 * Applies one structural operation to model text. Throws an InputError (with a code and the
 * path in the model) on a bad operation, and when the result would have an error the input did
 * not have. Text that does not change comes back as it was.
 */
export function applyOp(text: string, op: ModelOp): OpResult {
  return run(text, op, true);
}

/** What applyOp would remove along with the operation, without applying it (for "asks first"). */
export function previewRemoval(text: string, op: ModelOp): string[] {
  return run(text, op, false).removed;
}

/**
 * A valid minimal model to start from: id, title, asOf and empty lists of actors, factors and
 * impacts (the schema requires `factors`, and allows it empty).
 */
export function blankModel(o: { id: string; title: string; asOf: string }): string {
  const id = typeof o?.id === "string" ? o.id.trim() : "";
  if (!ID_PATTERN.test(id))
    throw new InputError(
      `'${id}' is not a model id: lower-case letters, digits, '-', '_' or '.', starting with a letter or digit`,
      { code: "bad-id", path: "id" },
    );
  const title = requireText(o.title, "title", "the title");
  const asOf = checkDate(o.asOf);
  const text = [
    `format: ${FORMAT_VERSION}`,
    `id: ${renderScalar(id, false)}`,
    `title: ${renderScalar(title, false)}`,
    `asOf: ${asOf}`,
    "actors: []",
    "factors: []",
    "impacts: []",
    "",
  ].join("\n");
  const problem = parseModelText(text).problems.find((p) => p.severity === "error");
  if (problem)
    throw new InputError(`${problem.path}: ${problem.message}`, { code: problem.code, path: problem.path });
  return text;
}

// ---------------------------------------------------------------------------------------------
// Running an operation: parse (reusing the last result's parse), edit, write, validate.
// ---------------------------------------------------------------------------------------------

/** The last validated result: the next operation usually starts from it (paste, undo chains). */
let lastLoad: { text: string; result: LoadResult } | undefined;

/**
 * The parse of the text the last operation produced (its validation), when `text` is that
 * text: the app shows the model from it instead of parsing the same text again. Its model and
 * problems are the caller's to read; its document belongs to the next operation.
 */
export function lastParsed(text: string): LoadResult | undefined {
  return lastLoad && lastLoad.text === text ? lastLoad.result : undefined;
}

function takeLoad(text: string): LoadResult {
  if (lastLoad && lastLoad.text === text) {
    const { result } = lastLoad;
    lastLoad = undefined; // its document is about to be changed
    return result;
  }
  return parseModelText(text);
}

const errorKey = (p: { code: string; message: string }) => `${p.code}|${p.message}`;

function run(text: string, op: ModelOp, validate: boolean): OpResult {
  if (typeof text !== "string") throw new InputError("the model text must be a string", { code: "bad-op" });
  if (op === null || typeof op !== "object" || typeof (op as { op?: unknown }).op !== "string")
    throw new InputError("an operation is an object with an 'op' name", { code: "bad-op" });
  const handler = Object.hasOwn(HANDLERS, op.op)
    ? (HANDLERS as unknown as Record<string, Handler<never>>)[op.op]
    : undefined;
  if (!handler)
    throw new InputError(
      `unknown operation '${op.op}'${suggestion(op.op, Object.keys(HANDLERS))}; known: ${Object.keys(HANDLERS).join(", ")}`,
      { code: "bad-op", path: "op" },
    );
  const before = takeLoad(text);
  const doc = before.document;
  if (!doc) {
    const p = before.problems[0];
    throw new InputError(`the model cannot be read: ${p?.message ?? "unknown problem"}`, {
      code: p?.code ?? "syntax",
      path: "(file)",
    });
  }
  if (doc.errors.length > 0)
    throw new InputError(`the model does not parse: ${doc.errors[0].message.split("\n")[0]}`, {
      code: "syntax",
      path: "(file)",
    });
  if (!isMap(doc.contents))
    throw new InputError("the text is not a model: expected a mapping with id, title, asOf and factors", {
      code: "not-a-model",
      path: "(top level)",
    });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(`the model cannot be read: ${(e as Error).message.split("\n")[0]}`, {
      code: "alias",
      path: "(file)",
    });
  }
  const ed = new Editor(text, doc);
  const cx = new Cx(ed, doc.contents, obj(data));
  handler(cx, op as never);
  const out = ed.result();
  if (out === text) return { text, removed: cx.removed };
  if (validate) {
    const after = parseModelText(out);
    const had = new Set(before.problems.filter((p) => p.severity === "error").map(errorKey));
    const added = after.problems.find((p) => p.severity === "error" && !had.has(errorKey(p)));
    if (added)
      throw new InputError(`the change would leave the model invalid: ${added.path}: ${added.message}`, {
        code: added.code,
        path: added.path,
      });
    lastLoad = { text: out, result: after };
  }
  return { text: out, removed: cx.removed };
}

// ---------------------------------------------------------------------------------------------
// Reading the model's plain data (as parsed, before the edit) and checking operation fields.
// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;

/** A name, label or title: a non-empty text, trimmed. */
/** A keyword or alias as stored: trimmed, its spaces single (line breaks included). */
export const phraseText = (w: string) => w.trim().replace(/\s+/g, " ");

/**
 * Why `w` cannot be a keyword or an alias, or null when it can: one to six words of at most 60
 * characters, with a letter, and none of YAML's ':', '#', ',' or brackets. The app asks it too,
 * to flag the field before anything is sent.
 */
export function phraseProblem(w: string): string | null {
  const t = phraseText(w);
  if (t === "") return "empty";
  if (t.length > 60 || t.split(" ").length > 6) return "at most six words";
  if (!/\p{L}/u.test(t)) return "words, not only digits or signs";
  if (/[#:{}[\],]/.test(t) || /[\n\r]/.test(w.trim())) return "no ':', '#', ',', brackets or line break";
  return null;
}

/**
 * `had` with the new phrases of `words` after it, those already there (in any case) left out
 * (phraseProblem says what a phrase is).
 */
function addPhrases(had: string[], words: unknown, path: string, what: string): string[] {
  if (!Array.isArray(words) || words.length === 0)
    throw new InputError(`give ${what} or more as a list of text`, { code: "bad-op", path });
  const out = [...had];
  for (const w of words) {
    const t = typeof w === "string" ? phraseText(w) : "";
    if (typeof w !== "string" || phraseProblem(w) !== null)
      throw new InputError(
        `${what} is one to six words (at most 60 characters, no ':', '#', ',' or brackets); got ${JSON.stringify(w)}`,
        { code: "bad-value", path },
      );
    if (!out.some((x) => x.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out;
}

function requireText(v: unknown, path: string, what: string): string {
  if (typeof v !== "string" || v.trim() === "")
    throw new InputError(`${what} must be a non-empty text`, { code: "empty", path });
  return v.trim();
}

/** An optional text (undefined: unchanged; "" after trimming: remove). */
function optionalText(v: unknown, path: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new InputError(`${path} must be a text`, { code: "bad-op", path });
  return v.trim();
}

function requireString(v: unknown, field: string): string {
  if (typeof v !== "string")
    throw new InputError(`the operation needs '${field}' (a text)`, { code: "bad-op", path: field });
  return v;
}

function checkDate(v: unknown): string {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v) || !isCalendarDate(v))
    throw new InputError(`asOf must be a calendar date YYYY-MM-DD, got '${String(v)}'`, {
      code: "bad-format",
      path: "asOf",
    });
  return v;
}

function checkIndex(v: unknown, max: number, path: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max)
    throw new InputError(`${path} must be a whole number from 0 to ${max}, got ${String(v)}`, {
      code: "bad-index",
      path,
    });
  return v;
}

/** A new id: given (checked: pattern, unique) or derived from the name, made unique. */
function newId(given: unknown, name: string, fallback: string, taken: string[], path: string): string {
  if (given !== undefined) {
    if (typeof given !== "string" || !ID_PATTERN.test(given))
      throw new InputError(
        `'${String(given)}' is not an id: lower-case letters, digits, '-', '_' or '.', starting with a letter or digit`,
        { code: "bad-id", path },
      );
    const at = taken.indexOf(given);
    if (at >= 0)
      throw new InputError(`the id '${given}' is taken`, {
        code: "duplicate-id",
        path: path.replace(/\[\d+\]\.id$/, `[${at}].id`),
      });
    return given;
  }
  const base = slugify(name, fallback);
  if (!taken.includes(base)) return base;
  let k = 2;
  while (taken.includes(`${base}-${k}`)) k++;
  return `${base}-${k}`;
}

/** Every state reference of a question (its condition and its interventions). */
function questionRefs(q: Obj): StateRef[] {
  const out: StateRef[] = [];
  const walk = (c: unknown) => {
    if (typeof c === "string") {
      const r = parseStateRef(c);
      if (r) out.push(r);
    } else if (Array.isArray(c)) c.forEach(walk);
    else if (c !== null && typeof c === "object") Object.values(c).forEach(walk);
  };
  walk(q.condition);
  walk(q.given);
  return out;
}

const truncate = (t: string, n: number) => {
  const one = t.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

// Key orders, for placing a key that a file does not have yet.
const ROOT_ORDER = [
  "$schema",
  "format",
  "id",
  "title",
  "description",
  "asOf",
  "step",
  "scale",
  "sources",
  "actors",
  "factors",
  "impacts",
  "stakes",
  "issues",
  "questions",
  "dynamics",
  "uncertainty",
];
const ACTOR_ORDER = ["id", "name", "kind", "aliases", "description"];
const FACTOR_ORDER = [
  "id",
  "name",
  "short",
  "description",
  "owners",
  "exogenous",
  "current",
  "keywords",
  "states",
];
const STATE_ORDER = ["id", "label", "short", "description", "keywords"];
const IMPACT_ORDER = ["from", "to", "strength", "matrix", "confidence", "rationale", "evidence", "author"];

// ---------------------------------------------------------------------------------------------
// The operations.
// ---------------------------------------------------------------------------------------------

interface FactorInfo {
  index: number;
  data: Obj;
  node: YAMLMap;
  states: YAMLSeq;
  stateIds: string[];
}

interface ImpactInfo {
  index: number;
  data: Obj;
  node: YAMLMap | undefined;
  kind: "cell" | "block";
  /** Cells: the state references (undefined when unreadable). */
  from?: StateRef;
  to?: StateRef;
  /** Blocks: the factor ids. */
  fromFactor?: string;
  toFactor?: string;
}

/** One operation's context: the editor, the model's data as parsed, and the removals so far. */
class Cx {
  readonly removed: string[] = [];
  constructor(
    readonly ed: Editor,
    readonly root: YAMLMap,
    readonly data: Obj,
  ) {}

  list(key: string): Obj[] {
    return arr(this.data[key]).map(obj);
  }

  /** The list under `key` of a map, or undefined when absent or null; an error if not a list. */
  seq(map: YAMLMap, key: string, path: string): YAMLSeq | undefined {
    const v = map.get(key, true);
    if (v === undefined || v === null || (isScalar(v) && v.value === null)) return undefined;
    if (!isSeq(v)) throw new InputError(`${path} is not a list`, { code: "not-a-model", path });
    return v;
  }

  /** The list under `key`, created (empty) when absent. */
  ensureSeq(map: YAMLMap, key: string, order: string[], path: string): YAMLSeq {
    const have = this.seq(map, key, path);
    if (have) return have;
    this.ed.setKey(map, key, [], order);
    return map.get(key, true) as unknown as YAMLSeq;
  }

  mapAt(seq: YAMLSeq | undefined, i: number, path: string): YAMLMap {
    const n = seq?.items[i];
    if (!isMap(n)) throw new InputError(`${path} is not a mapping`, { code: "not-a-model", path });
    return n;
  }

  factorIds(): string[] {
    return this.list("factors").map((f) => str(f.id) ?? "");
  }

  factor(id: unknown, field = "factor"): FactorInfo {
    const fid = requireString(id, field);
    const ids = this.factorIds();
    const index = ids.indexOf(fid);
    if (index < 0)
      throw new InputError(`no factor '${fid}'${suggestion(fid, ids)}`, {
        code: "unknown-id",
        path: "factors",
      });
    const node = this.mapAt(this.seq(this.root, "factors", "factors"), index, `factors[${index}]`);
    const data = this.list("factors")[index];
    const states = this.seq(node, "states", `factors[${index}].states`);
    if (!states)
      throw new InputError(`factors[${index}].states is missing`, {
        code: "not-a-model",
        path: `factors[${index}].states`,
      });
    return { index, data, node, states, stateIds: arr(data.states).map((s) => str(obj(s).id) ?? "") };
  }

  stateIndex(f: FactorInfo, id: unknown, field = "state"): number {
    const sid = requireString(id, field);
    const k = f.stateIds.indexOf(sid);
    if (k < 0)
      throw new InputError(
        `factor '${str(f.data.id)}' has no state '${sid}'${suggestion(sid, f.stateIds)}; its states are ${f.stateIds.join(", ")}`,
        { code: "unknown-id", path: `factors[${f.index}].states` },
      );
    return k;
  }

  actor(id: unknown): { index: number; data: Obj; node: YAMLMap } {
    const aid = requireString(id, "id");
    const actors = this.list("actors");
    const ids = actors.map((a) => str(a.id) ?? "");
    const index = ids.indexOf(aid);
    if (index < 0)
      throw new InputError(`no actor '${aid}'${suggestion(aid, ids)}`, {
        code: "unknown-id",
        path: "actors",
      });
    return {
      index,
      data: actors[index],
      node: this.mapAt(this.seq(this.root, "actors", "actors"), index, `actors[${index}]`),
    };
  }

  impacts(): ImpactInfo[] {
    const seq = this.seq(this.root, "impacts", "impacts");
    return this.list("impacts").map((d, index) => {
      const node = isMap(seq?.items[index]) ? (seq?.items[index] as YAMLMap) : undefined;
      if (Array.isArray(d.matrix))
        return { index, data: d, node, kind: "block", fromFactor: str(d.from), toFactor: str(d.to) };
      const from = typeof d.from === "string" ? parseStateRef(d.from) : undefined;
      const to = typeof d.to === "string" ? parseStateRef(d.to) : undefined;
      return { index, data: d, node, kind: "cell", from, to };
    });
  }

  /** The factor's short name (its id when it has none), for messages. */
  fLabel(fid: string | undefined): string {
    const f = this.list("factors").find((x) => str(x.id) === fid);
    return str(f?.short) ?? fid ?? "?";
  }

  /** The state's short name (its id when it has none), for messages. */
  sLabel(r: StateRef): string {
    const f = this.list("factors").find((x) => str(x.id) === r.factor);
    const s = arr(f?.states)
      .map(obj)
      .find((x) => str(x.id) === r.state);
    return str(s?.short) ?? r.state;
  }

  refLabel(r: StateRef): string {
    return `${this.fLabel(r.factor)}=${this.sLabel(r)}`;
  }

  actorName(id: string | undefined): string {
    const a = this.list("actors").find((x) => str(x.id) === id);
    return str(a?.name) ?? id ?? "?";
  }

  cellLabel(imp: ImpactInfo): string {
    const from = imp.from ? this.refLabel(imp.from) : String(imp.data.from);
    const to = imp.to ? this.refLabel(imp.to) : String(imp.data.to);
    const v = typeof imp.data.strength === "number" ? ` (${signed(imp.data.strength)})` : "";
    return `impact ${imp.index}: ${from} → ${to}${v}${imp.data.author ? ` by ${String(imp.data.author)}` : ""}`;
  }

  removeItem(seqKey: string, index: number, label: string): void {
    const seq = this.seq(this.root, seqKey, seqKey);
    if (seq) this.removeAt(seq, index, label);
  }

  /** Removes the item a list had at `index` before this operation changed it. */
  removeAt(seq: YAMLSeq, index: number, label?: string): void {
    const node = this.ed.originalItems(seq)[index];
    if (node === undefined) return;
    this.ed.removeItem(seq, node);
    if (label) this.removed.push(label);
  }

  /** Drops the stakes, questions and shocks that name a state for which `hit` holds. */
  dropReferences(hit: (r: StateRef) => boolean): void {
    this.list("stakes").forEach((s, i) => {
      const r = typeof s.state === "string" ? parseStateRef(s.state) : undefined;
      if (r && hit(r))
        this.removeItem(
          "stakes",
          i,
          `stake of ${this.actorName(str(s.actor))} in ${this.refLabel(r)}${typeof s.utility === "number" ? ` (${signed(s.utility)})` : ""}`,
        );
    });
    this.list("questions").forEach((q, i) => {
      if (questionRefs(q).some(hit))
        this.removeItem("questions", i, `question ${str(q.id)}: ${truncate(str(q.text) ?? "", 70)}`);
    });
    const dynamics = this.root.get("dynamics", true);
    if (isMap(dynamics)) {
      const shocks = this.seq(dynamics, "shocks", "dynamics.shocks");
      arr(obj(this.data.dynamics).shocks)
        .map(obj)
        .forEach((sh, i) => {
          const r = typeof sh.to === "string" ? parseStateRef(sh.to) : undefined;
          if (r && hit(r) && shocks) this.removeAt(shocks, i, `shock to ${this.refLabel(r)}`);
        });
    }
  }
}

type Handler<T> = (cx: Cx, op: T) => void;
type OpOf<K extends ModelOp["op"]> = Extract<ModelOp, { op: K }>;

const HANDLERS: { [K in ModelOp["op"]]: Handler<OpOf<K>> } = {
  setMeta(cx, op) {
    if (op.title !== undefined)
      cx.ed.setKey(cx.root, "title", requireText(op.title, "title", "the title"), ROOT_ORDER);
    if (op.asOf !== undefined) cx.ed.setKey(cx.root, "asOf", checkDate(op.asOf), ROOT_ORDER);
    const d = optionalText(op.description, "description");
    if (d !== undefined) cx.ed.setKey(cx.root, "description", d || undefined, ROOT_ORDER);
  },

  addActor(cx, op) {
    const actors = cx.list("actors");
    const n = actors.length;
    const name = requireText(op.name, `actors[${n}].name`, "an actor's name");
    const kind = checkKind(op.kind ?? "state", `actors[${n}].kind`);
    const taken = actors.map((a) => str(a.id) ?? "");
    const id = newId(op.id, name, "actor", taken, `actors[${n}].id`);
    const seq = cx.ensureSeq(cx.root, "actors", ROOT_ORDER, "actors");
    cx.ed.insertItem(seq, seq.items.length, { id, name, kind }, itemStyle(seq));
  },

  updateActor(cx, op) {
    const a = cx.actor(op.id);
    const base = `actors[${a.index}]`;
    if (op.name !== undefined)
      cx.ed.setKey(a.node, "name", requireText(op.name, `${base}.name`, "an actor's name"), ACTOR_ORDER);
    if (op.kind !== undefined) cx.ed.setKey(a.node, "kind", checkKind(op.kind, `${base}.kind`), ACTOR_ORDER);
    const d = optionalText(op.description, `${base}.description`);
    if (d !== undefined) cx.ed.setKey(a.node, "description", d || undefined, ACTOR_ORDER);
  },

  removeActor(cx, op) {
    const a = cx.actor(op.id);
    const id = str(a.data.id)!;
    const name = cx.actorName(id);
    cx.list("factors").forEach((f, i) => {
      const owners = arr(f.owners);
      if (!owners.includes(id)) return;
      const node = cx.mapAt(cx.seq(cx.root, "factors", "factors"), i, `factors[${i}]`);
      const seq = cx.seq(node, "owners", `factors[${i}].owners`);
      if (!seq) return;
      if (owners.every((o) => o === id)) cx.ed.setKey(node, "owners", undefined, FACTOR_ORDER);
      else
        owners.forEach((o, k) => {
          if (o === id) cx.removeAt(seq, k);
        });
      cx.removed.push(`owner of ${cx.fLabel(str(f.id))}: ${name}`);
    });
    cx.list("stakes").forEach((s, i) => {
      if (str(s.actor) !== id) return;
      const r = typeof s.state === "string" ? parseStateRef(s.state) : undefined;
      cx.removeItem(
        "stakes",
        i,
        `stake of ${name} in ${r ? cx.refLabel(r) : String(s.state)}${typeof s.utility === "number" ? ` (${signed(s.utility)})` : ""}`,
      );
    });
    const issues = cx.seq(cx.root, "issues", "issues");
    cx.list("issues").forEach((iss, i) => {
      const positions = arr(iss.positions).map(obj);
      if (!positions.some((p) => str(p.actor) === id)) return;
      const node = cx.mapAt(issues, i, `issues[${i}]`);
      const seq = cx.seq(node, "positions", `issues[${i}].positions`);
      positions.forEach((p, k) => {
        if (str(p.actor) !== id || !seq) return;
        cx.removeAt(
          seq,
          k,
          `position of ${name} on ${str(iss.name) ?? str(iss.id)}${typeof p.position === "number" ? ` (${p.position})` : ""}`,
        );
      });
    });
    cx.removeAt(cx.seq(cx.root, "actors", "actors")!, a.index);
  },

  addFactor(cx, op) {
    const factors = cx.list("factors");
    const n = factors.length;
    const index = op.index === undefined ? n : checkIndex(op.index, n, "index");
    const base = `factors[${index}]`;
    const name = requireText(op.name, `${base}.name`, "a factor's name");
    if (!Array.isArray(op.states) || op.states.length < 2)
      throw new InputError("a factor needs at least two states", {
        code: "too-few-states",
        path: `${base}.states`,
      });
    const id = newId(op.id, name, "factor", cx.factorIds(), `${base}.id`);
    const short = optionalText(op.short, `${base}.short`);
    const taken: string[] = [];
    const states = op.states.map((s, k) => {
      const sp = `${base}.states[${k}]`;
      const label = requireText(obj(s).label, `${sp}.label`, "a state's label");
      const sid = newId(obj(s).id, label, `s${k + 1}`, taken, `${sp}.id`);
      taken.push(sid);
      const sShort = optionalText(obj(s).short, `${sp}.short`);
      return sShort ? { id: sid, label, short: sShort } : { id: sid, label };
    });
    const value = short ? { id, name, short, states } : { id, name, states };
    const seq = cx.ensureSeq(cx.root, "factors", ROOT_ORDER, "factors");
    cx.ed.insertItem(seq, index, value, factorStyle(seq));
  },

  updateFactor(cx, op) {
    const f = cx.factor(op.id, "id");
    const base = `factors[${f.index}]`;
    if (op.name !== undefined)
      cx.ed.setKey(f.node, "name", requireText(op.name, `${base}.name`, "a factor's name"), FACTOR_ORDER);
    const short = optionalText(op.short, `${base}.short`);
    if (short !== undefined) cx.ed.setKey(f.node, "short", short || undefined, FACTOR_ORDER);
    const d = optionalText(op.description, `${base}.description`);
    if (d !== undefined) cx.ed.setKey(f.node, "description", d || undefined, FACTOR_ORDER);
    if (op.owners !== undefined) {
      if (!Array.isArray(op.owners))
        throw new InputError("owners must be a list of actor ids", {
          code: "bad-op",
          path: `${base}.owners`,
        });
      const ids = cx.list("actors").map((a) => str(a.id) ?? "");
      const owners: string[] = [];
      for (const o of op.owners) {
        if (typeof o !== "string" || !ids.includes(o))
          throw new InputError(`no actor '${String(o)}'${suggestion(String(o), ids)}`, {
            code: "unknown-id",
            path: `${base}.owners`,
          });
        if (!owners.includes(o)) owners.push(o);
      }
      cx.ed.setKey(f.node, "owners", owners.length ? owners : undefined, FACTOR_ORDER, { flow: true });
    }
  },

  moveFactor(cx, op) {
    const f = cx.factor(op.id, "id");
    const to = checkIndex(op.to, cx.factorIds().length - 1, "to");
    if (to === f.index) return;
    const seq = cx.seq(cx.root, "factors", "factors")!;
    cx.ed.moveItem(seq, f.index, to);
  },

  removeFactor(cx, op) {
    const f = cx.factor(op.id, "id");
    const id = str(f.data.id)!;
    for (const imp of cx.impacts()) {
      if (imp.kind === "cell" && (imp.from?.factor === id || imp.to?.factor === id))
        cx.removeItem("impacts", imp.index, cx.cellLabel(imp));
      else if (imp.kind === "block" && (imp.fromFactor === id || imp.toFactor === id)) {
        const rows = arr(imp.data.matrix);
        cx.removeItem(
          "impacts",
          imp.index,
          `impact ${imp.index}: block ${cx.fLabel(imp.fromFactor)} → ${cx.fLabel(imp.toFactor)} (${rows.length}×${arr(rows[0]).length})`,
        );
      }
    }
    cx.dropReferences((r) => r.factor === id);
    const dynamics = cx.root.get("dynamics", true);
    const resp = isMap(dynamics) ? dynamics.get("responsiveness", true) : undefined;
    if (isMap(resp) && resp.has(id)) {
      const beta = obj(obj(cx.data.dynamics).responsiveness)[id];
      cx.ed.setKey(resp, id, undefined, []);
      cx.removed.push(`responsiveness of ${cx.fLabel(id)} (β ${String(beta)})`);
    }
    cx.removeAt(cx.seq(cx.root, "factors", "factors")!, f.index);
  },

  addState(cx, op) {
    const f = cx.factor(op.factor);
    const m = f.stateIds.length;
    const index = op.index === undefined ? m : checkIndex(op.index, m, "index");
    const sp = `factors[${f.index}].states[${index}]`;
    const label = requireText(op.label, `${sp}.label`, "a state's label");
    const id = newId(op.id, label, `s${m + 1}`, f.stateIds, `${sp}.id`);
    const short = optionalText(op.short, `${sp}.short`);
    cx.ed.insertItem(f.states, index, short ? { id, label, short } : { id, label }, itemStyle(f.states));
    const fid = str(f.data.id)!;
    for (const imp of cx.impacts()) {
      if (imp.kind !== "block" || !imp.node || (imp.fromFactor !== fid && imp.toFactor !== fid)) continue;
      const matrix = cx.seq(imp.node, "matrix", `impacts[${imp.index}].matrix`);
      if (!matrix) continue;
      const rows = [...matrix.items];
      if (imp.toFactor === fid)
        for (const row of rows)
          if (isSeq(row)) cx.ed.insertItem(row, Math.min(index, row.items.length), 0, {});
      if (imp.fromFactor === fid) {
        const target = cx.list("factors").find((x) => str(x.id) === imp.toFactor);
        const width =
          imp.toFactor === fid
            ? m + 1
            : target
              ? arr(target.states).length
              : arr(arr(imp.data.matrix)[0]).length;
        cx.ed.insertItem(matrix, Math.min(index, rows.length), new Array<number>(width).fill(0), {
          flow: true,
        });
      }
    }
  },

  addKeywords(cx, op) {
    const f = cx.factor(op.factor);
    const k = op.state === undefined ? -1 : cx.stateIndex(f, op.state);
    const base = k < 0 ? `factors[${f.index}]` : `factors[${f.index}].states[${k}]`;
    const node = k < 0 ? f.node : cx.mapAt(f.states, k, base);
    const had = arr(k < 0 ? f.data.keywords : obj(arr(f.data.states)[k]).keywords).map((w) => String(w));
    const words = addPhrases(had, op.words, `${base}.keywords`, "a keyword");
    if (words.length > had.length)
      cx.ed.setKey(node, "keywords", words, k < 0 ? FACTOR_ORDER : STATE_ORDER, { flow: true });
  },

  addAliases(cx, op) {
    const a = cx.actor(op.actor);
    const base = `actors[${a.index}]`;
    const had = arr(a.data.aliases).map((w) => String(w));
    const taken = cx
      .list("actors")
      .filter((_, i) => i !== a.index)
      .flatMap((x) =>
        [str(x.name) ?? "", ...arr(x.aliases).map(String)].map((n) => [n.toLowerCase(), str(x.id)]),
      );
    const aliases = addPhrases(had, op.aliases, `${base}.aliases`, "an alias");
    for (const w of aliases.slice(had.length)) {
      const other = taken.find(([n]) => n === w.toLowerCase());
      if (other)
        throw new InputError(`'${w}' already names actor '${other[1]}'; one name finds one actor`, {
          code: "duplicate",
          path: `${base}.aliases`,
        });
    }
    if (aliases.length > had.length) cx.ed.setKey(a.node, "aliases", aliases, ACTOR_ORDER, { flow: true });
  },

  updateState(cx, op) {
    const f = cx.factor(op.factor);
    const k = cx.stateIndex(f, op.state);
    const sp = `factors[${f.index}].states[${k}]`;
    const node = cx.mapAt(f.states, k, sp);
    if (op.label !== undefined)
      cx.ed.setKey(node, "label", requireText(op.label, `${sp}.label`, "a state's label"), STATE_ORDER);
    const short = optionalText(op.short, `${sp}.short`);
    if (short !== undefined) cx.ed.setKey(node, "short", short || undefined, STATE_ORDER);
  },

  moveState(cx, op) {
    const f = cx.factor(op.factor);
    const k = cx.stateIndex(f, op.state);
    const to = checkIndex(op.to, f.stateIds.length - 1, "to");
    if (to === k) return;
    cx.ed.moveItem(f.states, k, to);
    const fid = str(f.data.id)!;
    for (const imp of cx.impacts()) {
      if (imp.kind !== "block" || !imp.node || (imp.fromFactor !== fid && imp.toFactor !== fid)) continue;
      const matrix = cx.seq(imp.node, "matrix", `impacts[${imp.index}].matrix`);
      if (!matrix) continue;
      if (imp.toFactor === fid)
        for (const row of matrix.items)
          if (isSeq(row) && row.items.length > Math.max(k, to)) cx.ed.moveItem(row, k, to);
      if (imp.fromFactor === fid && matrix.items.length > Math.max(k, to)) cx.ed.moveItem(matrix, k, to);
    }
  },

  removeState(cx, op) {
    const f = cx.factor(op.factor);
    const k = cx.stateIndex(f, op.state);
    const fid = str(f.data.id)!;
    const sid = f.stateIds[k];
    if (f.stateIds.length <= 2)
      throw new InputError(
        `factor '${fid}' has ${f.stateIds.length} states; a factor needs at least two, so '${sid}' cannot go (remove the factor instead)`,
        { code: "too-few-states", path: `factors[${f.index}].states` },
      );
    const ref = { factor: fid, state: sid };
    for (const imp of cx.impacts()) {
      if (imp.kind === "cell") {
        const hit = (r?: StateRef) => r?.factor === fid && r.state === sid;
        if (hit(imp.from) || hit(imp.to)) cx.removeItem("impacts", imp.index, cx.cellLabel(imp));
        continue;
      }
      if (!imp.node || (imp.fromFactor !== fid && imp.toFactor !== fid)) continue;
      const matrix = cx.seq(imp.node, "matrix", `impacts[${imp.index}].matrix`);
      if (!matrix) continue;
      const rows = arr(imp.data.matrix).map(arr);
      const block = `the block ${cx.fLabel(imp.fromFactor)} → ${cx.fLabel(imp.toFactor)}`;
      const values = (vs: unknown[]) =>
        vs.map((v) => (typeof v === "number" ? signed(v) : String(v))).join(", ");
      if (imp.toFactor === fid) {
        const column = rows
          .map((r, i) => (imp.fromFactor === fid && i === k ? undefined : r[k]))
          .filter((v) => v !== undefined);
        rows.forEach((_, i) => {
          const row = cx.ed.originalItems(matrix)[i];
          if (imp.fromFactor === fid && i === k) return; // the row goes whole
          if (isSeq(row)) cx.removeAt(row, k);
        });
        if (column.some((v) => v !== 0))
          cx.removed.push(`impact ${imp.index}: column ${cx.refLabel(ref)} of ${block} (${values(column)})`);
      }
      if (imp.fromFactor === fid && matrix.items[k] !== undefined) {
        cx.removeAt(matrix, k);
        const row = rows[k] ?? [];
        if (row.some((v) => v !== 0))
          cx.removed.push(`impact ${imp.index}: row ${cx.refLabel(ref)} of ${block} (${values(row)})`);
      }
    }
    cx.dropReferences((r) => r.factor === fid && r.state === sid);
    if (str(f.data.current) === sid) {
      cx.ed.setKey(f.node, "current", undefined, FACTOR_ORDER);
      cx.removed.push(`current state of ${cx.fLabel(fid)} (${cx.sLabel(ref)}): now unset`);
    }
    cx.removeAt(f.states, k);
  },

  setCell(cx, op) {
    const from = checkRef(op.from, "from");
    const to = checkRef(op.to, "to");
    const ff = cx.factor(from.factor, "from.factor");
    const fi = cx.stateIndex(ff, from.state, "from.state");
    const tf = cx.factor(to.factor, "to.factor");
    const ti = cx.stateIndex(tf, to.state, "to.state");
    if (from.factor === to.factor)
      throw new InputError(
        `${from.factor}=${from.state} and ${to.factor}=${to.state} are states of the same factor: its own block holds no judgments`,
        { code: "self-impact", path: "to" },
      );
    const impacts = cx.impacts();
    const same = (a: StateRef | undefined, b: StateRef) => a?.factor === b.factor && a.state === b.state;
    const cell = impacts.find(
      (x) => x.kind === "cell" && x.data.author === undefined && same(x.from, from) && same(x.to, to),
    );
    const block = impacts.find(
      (x) =>
        x.kind === "block" &&
        x.data.author === undefined &&
        x.fromFactor === from.factor &&
        x.toFactor === to.factor,
    );
    const seq = cx.seq(cx.root, "impacts", "impacts");
    const at = cell?.index ?? block?.index ?? cellPosition(impacts, from);
    const strength = checkStrength(op.strength, cx.data, `impacts[${at}].strength`);
    const confidence = checkConfidence(op.confidence, `impacts[${at}].confidence`);
    const rationale = optionalText(op.rationale, `impacts[${at}].rationale`);
    if (cell?.node && seq) {
      if (strength === null) {
        cx.ed.removeItem(seq, cell.node);
        cx.removed.push(cx.cellLabel(cell));
        return;
      }
      cx.ed.setKey(cell.node, "strength", strength, IMPACT_ORDER);
      if (confidence !== undefined) cx.ed.setKey(cell.node, "confidence", confidence, IMPACT_ORDER);
      if (rationale !== undefined) cx.ed.setKey(cell.node, "rationale", rationale || undefined, IMPACT_ORDER);
      return;
    }
    if (block?.node) {
      const otherRationale =
        rationale !== undefined && rationale !== (str(block.data.rationale) ?? "").trim();
      const otherConfidence = confidence !== undefined && confidence !== block.data.confidence;
      if (otherRationale || otherConfidence)
        throw new InputError(
          `${from.factor}=${from.state} → ${to.factor}=${to.state} lies in the block impacts[${block.index}] (${from.factor} → ${to.factor}), whose rationale and confidence are the whole block's: set only the strength here, or edit the block`,
          { code: "block-cell", path: `impacts[${block.index}]` },
        );
      const row = cx.seq(block.node, "matrix", `impacts[${block.index}].matrix`)?.items[fi];
      const item = isSeq(row) ? row.items[ti] : undefined;
      if (!isScalar(item))
        throw new InputError(`impacts[${block.index}].matrix has no cell [${fi}][${ti}]`, {
          code: "bad-shape",
          path: `impacts[${block.index}].matrix`,
        });
      cx.ed.setScalar(item, strength ?? 0);
      return;
    }
    if (strength === null) return;
    const value: Obj = { from: `${from.factor}=${from.state}`, to: `${to.factor}=${to.state}`, strength };
    if (confidence !== undefined) value.confidence = confidence;
    if (rationale) value.rationale = rationale;
    const list = cx.ensureSeq(cx.root, "impacts", ROOT_ORDER, "impacts");
    cx.ed.insertItem(list, Math.min(at, list.items.length), value, itemStyle(list));
  },
  addEvidence(cx, op) {
    const { imp, node } = judgmentAt(cx, op.from, op.to);
    const source = requireString(op.source, "source");
    const ids = cx.list("sources").map((x) => str(x.id) ?? "");
    if (!ids.includes(source))
      throw new InputError(`no source '${source}'${suggestion(source, ids)}: add it to the sources first`, {
        code: "unknown-id",
        path: "source",
      });
    const [a, b] = (Array.isArray(op.lines) ? op.lines : [Number.NaN, Number.NaN]) as [number, number];
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < a)
      throw new InputError(
        `lines are a range of line numbers first ≤ last, from 1, got ${String(op.lines)}`,
        {
          code: "bad-value",
          path: "lines",
        },
      );
    const locator = a === b ? `${source}:${a}` : `${source}:${a}-${b}`;
    const have = cx.seq(node, "evidence", `impacts[${imp.index}].evidence`);
    const same = arr(imp.data.evidence).some((e) => {
      const o = obj(e);
      return (
        e === locator || (o.source === source && String(o.lines) === (a === b ? String(a) : `${a}-${b}`))
      );
    });
    if (same) return;
    if (have) cx.ed.insertItem(have, have.items.length, locator, {});
    else cx.ed.setKey(node, "evidence", [locator], IMPACT_ORDER, { flow: true });
  },

  removeEvidence(cx, op) {
    const { imp, node } = judgmentAt(cx, op.from, op.to);
    const list = cx.seq(node, "evidence", `impacts[${imp.index}].evidence`);
    const n = arr(imp.data.evidence).length;
    if (!list || !Number.isInteger(op.index) || op.index < 0 || op.index >= n)
      throw new InputError(`impacts[${imp.index}] has no evidence [${String(op.index)}] (it has ${n})`, {
        code: "unknown-id",
        path: `impacts[${imp.index}].evidence`,
      });
    if (n === 1) cx.ed.setKey(node, "evidence", undefined, IMPACT_ORDER);
    else cx.removeAt(list, op.index);
  },

  addSource(cx, op) {
    const id = requireString(op.id, "id");
    if (!/^[a-z0-9][a-z0-9_-]*$/i.test(id))
      throw new InputError(`a source id is letters, digits, '-' and '_', got '${id}'`, {
        code: "bad-id",
        path: "id",
      });
    if (cx.list("sources").some((x) => str(x.id) === id))
      throw new InputError(`there is already a source '${id}'`, { code: "duplicate-id", path: "id" });
    const value: Obj = { id, title: requireText(op.title, "title", "the source's title") };
    for (const k of ["outlet", "date", "url", "file", "sha256", "lines"] as const)
      if (op[k] !== undefined && op[k] !== "") value[k] = op[k];
    const list = cx.ensureSeq(cx.root, "sources", ROOT_ORDER, "sources");
    cx.ed.insertItem(list, list.items.length, value, itemStyle(list));
  },
};

/** The analyst's own judgment (a cell, or the block holding it) of from → to, or an error. */
function judgmentAt(cx: Cx, from: StateRef, to: StateRef): { imp: ImpactInfo; node: YAMLMap } {
  const f = checkRef(from, "from");
  const t = checkRef(to, "to");
  const same = (a: StateRef | undefined, b: StateRef) => a?.factor === b.factor && a.state === b.state;
  const imp = cx
    .impacts()
    .find(
      (x) =>
        x.data.author === undefined &&
        ((x.kind === "cell" && same(x.from, f) && same(x.to, t)) ||
          (x.kind === "block" && x.fromFactor === f.factor && x.toFactor === t.factor)),
    );
  if (!imp?.node)
    throw new InputError(
      `${f.factor}=${f.state} → ${t.factor}=${t.state} is not judged yet: type a strength first, evidence belongs to a judgment`,
      { code: "no-judgment", path: "impacts" },
    );
  return { imp, node: imp.node };
}

function checkKind(v: unknown, path: string): ActorKind {
  if (!(ACTOR_KINDS as readonly unknown[]).includes(v))
    throw new InputError(`an actor's kind is one of ${ACTOR_KINDS.join(", ")}, got '${String(v)}'`, {
      code: "bad-value",
      path,
    });
  return v as ActorKind;
}

function checkRef(v: unknown, field: string): StateRef {
  const r = obj(v);
  if (typeof r.factor !== "string" || typeof r.state !== "string")
    throw new InputError(`the operation needs '${field}' as { factor, state }`, {
      code: "bad-op",
      path: field,
    });
  return { factor: r.factor, state: r.state };
}

function checkStrength(v: unknown, data: Obj, path: string): number | null {
  if (v === null) return null;
  const scale = obj(data.scale);
  const min = typeof scale.min === "number" ? scale.min : DEFAULT_SCALE.min;
  const max = typeof scale.max === "number" ? scale.max : DEFAULT_SCALE.max;
  if (typeof v !== "number" || !Number.isInteger(v))
    throw new InputError(`a strength is a whole number on the scale ${min}..${max}, got ${String(v)}`, {
      code: "bad-value",
      path,
    });
  if (v < min || v > max)
    throw new InputError(`strength ${v} is outside the model's scale ${min}..${max}`, {
      code: "out-of-range",
      path,
    });
  return v;
}

function checkConfidence(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 5)
    throw new InputError(
      `a confidence is a whole number from 1 (a guess) to 5 (near certain), got ${String(v)}`,
      {
        code: "out-of-range",
        path,
      },
    );
  return v;
}

/** Where a new cell goes: after the last cell from the same state, else from the same factor, else last. */
function cellPosition(impacts: ImpactInfo[], from: StateRef): number {
  let sameState = -1;
  let sameFactor = -1;
  for (const x of impacts) {
    if (x.kind !== "cell" || x.from?.factor !== from.factor) continue;
    sameFactor = x.index;
    if (x.from.state === from.state) sameState = x.index;
  }
  return sameState >= 0 ? sameState + 1 : sameFactor >= 0 ? sameFactor + 1 : impacts.length;
}

/** The layout of a list's items, to copy for a new one: a flow mapping or a block mapping. */
function itemStyle(seq: YAMLSeq): Style {
  const last = [...seq.items].reverse().find((x) => isMap(x)) as YAMLMap | undefined;
  return { flow: last?.flow ?? false };
}

/** A new factor in the layout of the last one (states as a block list of flow mappings by default). */
function factorStyle(seq: YAMLSeq): Style {
  const last = [...seq.items].reverse().find((x) => isMap(x)) as YAMLMap | undefined;
  const states = last?.get("states", true);
  if (!last || !isSeq(states)) return { keys: { states: { flow: false, items: { flow: true } } } };
  return {
    flow: last.flow ?? false,
    keys: { states: { flow: states.flow ?? false, items: itemStyle(states) } },
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering new YAML text.
// ---------------------------------------------------------------------------------------------

/** How to lay out a new value: flow (one line) or block, for itself, its items and its keys. */
interface Style {
  flow?: boolean;
  items?: Style;
  keys?: Record<string, Style>;
}

const isPrimitive = (v: unknown) => v === null || typeof v !== "object";

/** A scalar as YAML: plain where that reads back as the same string, else double-quoted. */
function renderScalar(v: unknown, inFlow: boolean): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number")
    return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? ".nan" : v > 0 ? ".inf" : "-.inf";
  if (typeof v === "boolean") return String(v);
  const s = String(v);
  const plain =
    s !== "" &&
    s === s.trim() &&
    !hasBreakingCharacter(s) &&
    !(inFlow && /[,[\]{}]/.test(s)) &&
    stringify(s, { lineWidth: 0 }) === `${s}\n`;
  return plain ? s : quote(s);
}

/** Control characters, and characters some YAML readers take as line breaks. */
function hasBreakingCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
  }
  return false;
}

/** A double-quoted YAML scalar (JSON's escapes are YAML's, plus a few characters YAML reads as breaks). */
function quote(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A value on one line: `[a, b]`, `{ k: v }`, a scalar. */
function renderFlow(v: unknown, json: boolean): string {
  if (json) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => renderFlow(x, false)).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Obj);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, x]) => `${renderScalar(k, true)}: ${renderFlow(x, false)}`).join(", ")} }`;
  }
  return renderScalar(v, true);
}

/** Whether a value is written on one line: scalars, lists of scalars, empty or flow-styled values. */
function isInline(v: unknown, style: Style | undefined): boolean {
  if (isPrimitive(v)) return true;
  if (style?.flow !== undefined) return style.flow;
  if (Array.isArray(v)) return v.length === 0 || v.every(isPrimitive);
  return Object.keys(v as Obj).length === 0;
}

/** `key: value` lines of a mapping at column `col` (every line padded, each ending in a newline). */
function renderEntries(v: Obj, col: number, style: Style | undefined): string {
  return Object.entries(v)
    .map(([k, x]) => renderEntry(k, x, col, style?.keys?.[k]))
    .join("");
}

function renderEntry(key: string, v: unknown, col: number, style: Style | undefined): string {
  const pad = " ".repeat(col);
  const k = renderScalar(key, false);
  if (isInline(v, style)) return `${pad}${k}: ${renderFlow(v, false)}\n`;
  if (Array.isArray(v)) return `${pad}${k}:\n${v.map((x) => renderItem(x, col + 2, style?.items)).join("")}`;
  return `${pad}${k}:\n${renderEntries(v as Obj, col + 2, style)}`;
}

/** One item of a block list whose dashes stand at column `col`. */
function renderItem(v: unknown, col: number, style: Style | undefined): string {
  const pad = " ".repeat(col);
  if (isInline(v, style) || Array.isArray(v)) return `${pad}- ${renderFlow(v, false)}\n`;
  return `${pad}- ${renderEntries(v as Obj, col + 2, style).slice(col + 2)}`;
}

// ---------------------------------------------------------------------------------------------
// The editor: changes to the Document, written back as splices of the original text.
// ---------------------------------------------------------------------------------------------

type Coll = YAMLMap | YAMLSeq;
type Range = [number, number, number];
const rangeOf = (n: unknown): Range | undefined =>
  n !== null && typeof n === "object" ? (n as { range?: Range }).range : undefined;
const isColl = (n: unknown): n is Coll => isMap(n) || isSeq(n);
const keyOf = (p: Pair) => (isScalar(p.key) ? p.key.value : p.key);

function jsOf(n: unknown): unknown {
  if (n === null || n === undefined) return null;
  if (isScalar(n)) return n.value;
  const j = (n as { toJSON?: () => unknown }).toJSON;
  return typeof j === "function" ? j.call(n) : n;
}

interface Patch {
  start: number;
  end: number;
  text: string;
  order: number;
}

/**
 * Records the changes an operation makes to the Document (mutating it), and at the end turns
 * them into splices of the original text: for every changed list or mapping it compares the
 * items it had with the items it has.
 */
class Editor {
  private readonly src: string;
  private readonly finalNewline: boolean;
  private readonly json: boolean;
  /** Parent collection of every node of the original Document. */
  private readonly parent = new Map<unknown, Coll>();
  /** The pair holding each original value node. */
  private readonly pairOf = new Map<unknown, Pair>();
  /** Where each original node's content ends (exclusive; comments after it excluded). */
  private readonly end = new Map<unknown, number>();
  /** The items (pairs) each changed collection had before the first change. */
  private readonly orig = new Map<Coll, unknown[]>();
  /** The original value of each pair whose value node was replaced. */
  private readonly replaced = new Map<Pair, unknown>();
  private readonly scalars = new Set<Scalar>();
  private readonly styles = new WeakMap<object, Style>();

  constructor(
    text: string,
    private readonly doc: Document,
  ) {
    this.finalNewline = text.endsWith("\n");
    this.src = this.finalNewline ? text : `${text}\n`;
    this.json = isMap(doc.contents) && !!doc.contents.flow;
    this.index(doc.contents);
  }

  private index(node: unknown): void {
    if (isMap(node))
      for (const p of node.items) {
        this.parent.set(p, node);
        this.parent.set(p.key, node);
        if (p.value !== null && p.value !== undefined) {
          this.parent.set(p.value, node);
          this.pairOf.set(p.value, p);
        }
        this.index(p.value);
      }
    else if (isSeq(node))
      for (const it of node.items) {
        this.parent.set(it, node);
        this.index(it);
      }
    const r = rangeOf(node);
    if (!r) return;
    let e = r[1];
    if (isColl(node) && !node.flow && node.items.length > 0) {
      const last = node.items[node.items.length - 1];
      if (isMap(node)) {
        const p = last as Pair;
        const v = rangeOf(p.value);
        e = v && v[1] > v[0] ? this.end.get(p.value)! : this.afterColon(p);
      } else e = this.end.get(last) ?? e;
    }
    this.end.set(node, e);
  }

  // ----- changes ------------------------------------------------------------------------------

  /** The items (pairs) a collection had before this operation changed it. */
  originalItems(c: Coll): unknown[] {
    return this.orig.get(c) ?? c.items;
  }

  private touch(c: Coll): void {
    if (!this.orig.has(c)) this.orig.set(c, [...c.items]);
  }

  setScalar(node: Scalar, value: unknown): void {
    if (node.value === value) return;
    node.value = value;
    this.scalars.add(node);
  }

  /** Sets, adds (after the keys before it in `order`) or, with undefined, removes a key. */
  setKey(map: YAMLMap, key: string, value: unknown, order: string[], style?: Style): void {
    const at = map.items.findIndex((p) => keyOf(p) === key);
    const pair = at >= 0 ? map.items[at] : undefined;
    if (value === undefined) {
      if (!pair) return;
      this.touch(map);
      map.items.splice(at, 1);
      return;
    }
    if (pair) {
      if (isScalar(pair.value) && isPrimitive(value) && !(pair.value.value === null && value !== null)) {
        this.setScalar(pair.value, value);
        return;
      }
      if (JSON.stringify(jsOf(pair.value)) === JSON.stringify(value)) return;
      this.touch(map);
      if (!this.replaced.has(pair)) this.replaced.set(pair, pair.value);
      pair.value = this.node(value, style);
      return;
    }
    this.touch(map);
    const rank = order.indexOf(key);
    let idx = map.items.length;
    if (rank >= 0) {
      idx = 0;
      map.items.forEach((p, i) => {
        const r = order.indexOf(String(keyOf(p)));
        if (r >= 0 && r < rank) idx = i + 1;
      });
    }
    map.items.splice(idx, 0, this.doc.createPair(key, this.node(value, style)) as Pair);
  }

  insertItem(seq: YAMLSeq, index: number, value: unknown, style: Style): void {
    this.touch(seq);
    seq.items.splice(index, 0, this.node(value, style));
  }

  removeItem(seq: YAMLSeq, node: unknown): void {
    const i = seq.items.indexOf(node);
    if (i < 0) return;
    this.touch(seq);
    seq.items.splice(i, 1);
  }

  moveItem(seq: YAMLSeq, from: number, to: number): void {
    this.touch(seq);
    const [node] = seq.items.splice(from, 1);
    seq.items.splice(to, 0, node);
  }

  private node(value: unknown, style: Style | undefined): unknown {
    const n = this.doc.createNode(value);
    if (style && n !== null && typeof n === "object") this.styles.set(n, style);
    return n;
  }

  // ----- writing --------------------------------------------------------------------------------

  /** The new text. */
  result(): string {
    if (this.orig.size === 0 && this.scalars.size === 0)
      return this.finalNewline ? this.src : this.src.slice(0, -1);
    const patches: Patch[] = [];
    const put = (start: number, end: number, text: string) =>
      patches.push({ start, end, text, order: patches.length });
    const flowTargets = new Set<Coll>();
    const changed = new Set<unknown>(); // every original node with a change at or below it
    const mark = (n: unknown) => {
      for (let x: unknown = n; x !== undefined && !changed.has(x); x = this.parent.get(x)) changed.add(x);
    };
    for (const s of this.scalars) mark(s);
    for (const c of this.orig.keys()) mark(c);

    for (const s of this.scalars) {
      if (!rangeOf(s)) continue;
      const t = this.flowTarget(s);
      if (t) flowTargets.add(t);
      else this.patchScalar(s, put);
    }
    for (const [c, orig] of this.orig) {
      if (!rangeOf(c)) continue; // new: written by its container
      const t = this.flowTarget(c);
      if (t === c && isSeq(c) && orig.length === 0 && this.blockPair(c)) this.fillSeq(c, put);
      else if (t) flowTargets.add(t);
      else if (isSeq(c)) this.diffSeq(c, orig, put, changed);
      else this.diffMap(c, orig as Pair[], put);
    }
    for (const t of flowTargets) {
      const r = rangeOf(t)!;
      const value = jsOf(t);
      const text =
        this.json && t === this.doc.contents ? JSON.stringify(value, null, 2) : renderFlow(value, this.json);
      put(r[0], r[1], text);
    }
    const out = applyPatches(this.src, patches);
    return this.finalNewline || !out.endsWith("\n") ? out : out.slice(0, -1);
  }

  /** The outermost flow collection holding a node (itself included), if any. */
  private flowTarget(node: unknown): Coll | undefined {
    let t: Coll | undefined;
    for (let n: unknown = node; n !== undefined; n = this.parent.get(n)) if (isColl(n) && n.flow) t = n;
    return t;
  }

  /** The pair whose value is this list, when it sits in a block mapping. */
  private blockPair(c: Coll): Pair | undefined {
    const p = this.pairOf.get(c);
    const m = this.parent.get(c);
    return p && isMap(m) && !m.flow && rangeOf(p.key) ? p : undefined;
  }

  // Text positions.
  private lineStart(pos: number): number {
    return this.src.lastIndexOf("\n", pos - 1) + 1;
  }
  private lineEnd(pos: number): number {
    const i = this.src.indexOf("\n", pos);
    return i < 0 ? this.src.length : i + 1;
  }
  private col(pos: number): number {
    return pos - this.lineStart(pos);
  }
  /** End of the line holding a node's last character (its trailing comment included). */
  private endLine(node: unknown): number {
    const e = this.end.get(node) ?? rangeOf(node)![1];
    return this.lineEnd(Math.max(e - 1, 0));
  }
  private afterColon(p: Pair): number {
    const k = rangeOf(p.key)!;
    const c = this.src.indexOf(":", k[1]);
    return c < 0 ? k[1] : c + 1;
  }
  /** Position of a block list item's dash. */
  private dash(item: unknown): number {
    const r = rangeOf(item)!;
    let i = r[0] - 1;
    while (i >= 0 && /\s/.test(this.src[i])) i--;
    return i >= 0 && this.src[i] === "-" ? i : r[0];
  }
  /** Start of an item with the comment lines right above it. */
  private leadStart(item: unknown): number {
    let start = this.lineStart(this.dash(item));
    while (start > 0) {
      const prev = this.lineStart(start - 1);
      if (!this.src.slice(prev, start).trim().startsWith("#")) break;
      start = prev;
    }
    return start;
  }
  private blankBefore(pos: number): number | undefined {
    if (pos === 0) return undefined;
    const prev = this.lineStart(pos - 1);
    return this.src.slice(prev, pos).trim() === "" ? prev : undefined;
  }

  private patchScalar(s: Scalar, put: (a: number, b: number, t: string) => void): void {
    const [a, b] = rangeOf(s)!;
    const block = s.type === "BLOCK_FOLDED" || s.type === "BLOCK_LITERAL";
    if (!block) {
      put(a, b, renderScalar(s.value, false));
      return;
    }
    // A block scalar keeps its style when the new text allows it; its range ends after a newline.
    const p = this.pairOf.get(s);
    const pad = " ".repeat((p && rangeOf(p.key) ? this.col(rangeOf(p.key)![0]) : this.col(a)) + 2);
    const v = s.value;
    const lines = typeof v === "string" ? v.split("\n") : [];
    const fits = typeof v === "string" && v !== "" && lines.every((l) => l === l.trimEnd() && !/^\s/.test(l));
    const end = this.src[b - 1] === "\n" ? b : this.lineEnd(b);
    if (fits && lines.length === 1) put(a, end, `>-\n${pad}${v}\n`);
    else if (fits && lines.every((l) => l !== ""))
      put(a, end, `|-\n${lines.map((l) => `${pad}${l}`).join("\n")}\n`);
    else put(a, end, `${renderScalar(v, false)}\n`);
  }

  /** A list that was empty (`[]`) and has items now: written as a block list under its key. */
  private fillSeq(seq: YAMLSeq, put: (a: number, b: number, t: string) => void): void {
    const p = this.blockPair(seq)!;
    const col = this.col(rangeOf(p.key)![0]) + 2;
    const items = seq.items.map((x) => renderItem(jsOf(x), col, this.styles.get(x as object))).join("");
    put(rangeOf(p.key)![1], this.endLine(seq), `:\n${items}`);
  }

  private diffSeq(
    seq: YAMLSeq,
    orig: unknown[],
    put: (a: number, b: number, t: string) => void,
    changed: Set<unknown>,
  ): void {
    const cur = seq.items;
    const p = this.blockPair(seq);
    if (cur.length === 0) {
      if (p) put(rangeOf(p.key)![1], this.endLine(seq), ": []\n");
      else put(this.dash(orig[0]), this.endLine(seq), "[]\n");
      return;
    }
    const origIndex = new Map(orig.map((x, i) => [x, i]));
    const kept = cur.filter((x) => origIndex.has(x));
    const stay = new Set(longestIncreasing(kept, (x) => origIndex.get(x)!));
    const moved = kept.filter((x) => !stay.has(x));
    if (stay.size === 0 || moved.some((x) => isColl(x) && !x.flow && changed.has(x))) {
      this.rewriteSeq(seq, orig, put);
      return;
    }
    const col = this.col(this.dash(orig[0]));
    // Items set apart by blank lines (the seed's factors), not just groups of them (its impacts).
    const spaced =
      orig.slice(1).filter((x) => this.blankBefore(this.leadStart(x)) !== undefined).length * 2 >
      orig.length - 1;
    const cuts: [number, number][] = [];
    for (const x of orig) {
      if (stay.has(x)) continue;
      if (!moved.includes(x)) {
        // In a list set apart by blank lines, one separating blank line goes with the item.
        let a = this.lineStart(this.dash(x));
        let b = this.endLine(x);
        const blank = spaced ? this.blankBefore(a) : undefined;
        if (blank !== undefined && origIndex.get(x)! > 0) a = blank;
        else if (spaced && b < this.src.length && this.src.slice(b, this.lineEnd(b)).trim() === "")
          b = this.lineEnd(b);
        cuts.push([a, b]);
        continue;
      }
      let a = this.leadStart(x);
      let b = this.endLine(x);
      const blank = spaced ? this.blankBefore(a) : undefined;
      if (blank !== undefined && origIndex.get(x)! > 0) a = blank;
      else if (spaced && this.src.slice(b, this.lineEnd(b)).trim() === "") b = this.lineEnd(b);
      cuts.push([a, b]);
    }
    // Cuts that share a blank line merge into one.
    cuts.sort((x, y) => x[0] - y[0]);
    for (let i = 0; i < cuts.length; i++) {
      let [a, b] = cuts[i];
      while (i + 1 < cuts.length && cuts[i + 1][0] <= b) b = Math.max(b, cuts[++i][1]);
      put(a, b, "");
    }
    const textOf = (x: unknown): string => {
      if (!origIndex.has(x)) return renderItem(jsOf(x), col, this.styles.get(x as object));
      if (isColl(x) && !x.flow) return this.src.slice(this.leadStart(x), this.endLine(x));
      // A flow item or scalar is written anew, keeping a comment on its line.
      const tail = this.src.slice(rangeOf(x)![1], this.endLine(x));
      return `${" ".repeat(col)}- ${renderFlow(jsOf(x), this.json)}${tail.trim().startsWith("#") ? tail : "\n"}`;
    };
    let anchor: unknown;
    let run: string[] = [];
    const flush = () => {
      if (run.length === 0) return;
      if (anchor === undefined) {
        const first = cur.find((x) => stay.has(x))!;
        put(
          this.lineStart(this.dash(first)),
          this.lineStart(this.dash(first)),
          run.map((t) => (spaced ? `${t}\n` : t)).join(""),
        );
      } else
        put(this.endLine(anchor), this.endLine(anchor), run.map((t) => (spaced ? `\n${t}` : t)).join(""));
      run = [];
    };
    for (const x of cur) {
      if (stay.has(x)) {
        flush();
        anchor = x;
      } else run.push(textOf(x));
    }
    flush();
  }

  /** Writes a block list anew (comments inside it are lost): the fallback for tangled changes. */
  private rewriteSeq(seq: YAMLSeq, orig: unknown[], put: (a: number, b: number, t: string) => void): void {
    const col = this.col(this.dash(orig[0]));
    const text = seq.items.map((x) => renderItem(jsOf(x), col, this.styles.get(x as object))).join("");
    put(this.lineStart(this.dash(orig[0])), this.endLine(seq), text);
  }

  private diffMap(map: YAMLMap, orig: Pair[], put: (a: number, b: number, t: string) => void): void {
    const cur = map.items;
    const keep = new Set(cur);
    const isOrig = new Set(orig);
    const firstKey = rangeOf(orig[0]?.key);
    if (!firstKey) return;
    const col = this.col(firstKey[0]);
    const survivors = cur.filter((p) => isOrig.has(p));
    if (survivors.length === 0) {
      // Nothing of the old mapping is left: write it anew ({} when empty).
      const p = this.blockPair(map);
      const body = cur.length ? renderEntries(jsOf(map) as Obj, col, undefined) : "";
      if (p) put(rangeOf(p.key)![1], this.endLine(map), cur.length ? `:\n${body}` : ": {}\n");
      else put(firstKey[0], this.endLine(map), cur.length ? body.slice(col) : "{}\n");
      return;
    }
    orig.forEach((p, i) => {
      if (keep.has(p)) return;
      const k = rangeOf(p.key)![0];
      const ls = this.lineStart(k);
      if (this.src.slice(ls, k).trim() === "") put(ls, this.pairEnd(p), "");
      else {
        // The first key of a list item shares the dash's line: the next surviving key moves up.
        const next = orig.slice(i + 1).find((q) => keep.has(q));
        if (next) put(k, rangeOf(next.key)![0], "");
        else put(ls, this.pairEnd(p), ""); // unreachable: a surviving pair precedes, so this one is not first
      }
    });
    for (const p of survivors) {
      if (!this.replaced.has(p)) continue;
      const old = this.replaced.get(p);
      const style = this.styles.get(p.value as object);
      const value = jsOf(p.value);
      const r = rangeOf(old);
      const simple =
        r &&
        r[1] > r[0] &&
        ((isScalar(old) && old.type !== "BLOCK_FOLDED" && old.type !== "BLOCK_LITERAL") ||
          (isColl(old) && old.flow));
      if (simple && isInline(value, style)) put(r[0], r[1], renderFlow(value, false));
      else
        put(rangeOf(p.key)![0], this.pairEnd(p), renderEntry(String(keyOf(p)), value, col, style).slice(col));
    }
    let anchor: Pair | undefined;
    let run: string[] = [];
    const flush = () => {
      if (run.length === 0) return;
      if (anchor) put(this.pairEnd(anchor), this.pairEnd(anchor), run.join(""));
      else {
        const at = rangeOf(survivors[0].key)![0];
        put(at, at, `${run.join("").slice(col)}${" ".repeat(col)}`);
      }
      run = [];
    };
    for (const p of cur) {
      if (isOrig.has(p)) {
        flush();
        anchor = p;
      } else run.push(renderEntry(String(keyOf(p)), jsOf(p.value), col, this.styles.get(p.value as object)));
    }
    flush();
  }

  /** End of the line where a pair's original text ends (its original value, if replaced). */
  private pairEnd(p: Pair): number {
    const v = this.replaced.has(p) ? this.replaced.get(p) : p.value;
    const r = rangeOf(v);
    return r && r[1] > r[0] ? this.endLine(v) : this.lineEnd(this.afterColon(p) - 1);
  }
}

/** The items of `xs` on a longest run with increasing keys (the ones that need not move). */
function longestIncreasing<T>(xs: T[], key: (x: T) => number): T[] {
  const tails: number[] = [];
  const prev: number[] = new Array(xs.length).fill(-1);
  xs.forEach((x, i) => {
    const k = key(x);
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key(xs[tails[mid]]) < k) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  });
  const out: T[] = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.unshift(xs[i]);
  return out;
}

/**
 * Applies splices to a text. A splice inside a larger one (an edit within a removed item) is
 * dropped; insertions at a removal's edge are kept, before it.
 */
function applyPatches(text: string, patches: Patch[]): string {
  const kept = patches.filter(
    (p) =>
      !patches.some(
        (q) =>
          q !== p &&
          q.end > q.start &&
          q.start <= p.start &&
          p.end <= q.end &&
          (p.end > p.start
            ? q.end - q.start > p.end - p.start || q.order < p.order
            : q.start < p.start && p.start < q.end),
      ),
  );
  kept.sort(
    (a, b) =>
      a.start - b.start || (a.end === a.start ? 0 : 1) - (b.end === b.start ? 0 : 1) || a.order - b.order,
  );
  let out = "";
  let at = 0;
  for (const p of kept) {
    if (p.start < at) throw new Error(`internal: overlapping edits at ${p.start}`);
    out += text.slice(at, p.start) + p.text;
    at = p.end;
  }
  return out + text.slice(at);
}
