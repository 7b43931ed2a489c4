// Editing the parts of a model that are forms rather than structure — the metadata, stakes,
// bargaining issues and their positions, questions, sources — one value at a time, in the text.
// Pure and browser-safe: text in, text out.
//
// `setInModel(text, path, value)` sets a value, adds a key (placed in the schema's key order),
// or with `undefined` removes a key or a list item; `insertInModel` adds an item to a list. The
// result is written as splices of the original text, so comments, order, quoting and spacing
// everywhere else stay byte for byte: a scalar is replaced in place (a block scalar keeps its
// style, a text with line breaks becomes a literal block), a new key or item is written in the
// layout of its neighbours, and only a flow collection (`{ actor: us, … }`) that gains or loses
// an entry is written anew on one line. Every result is read back and compared with the data
// the edit should give; when the splice would not give it, the Document API writes the file.
// Values are not validated here: an invalid value goes into the text like any other, and
// `parseModelText` says what is wrong with it, at its path (the forms show it by the field).
//
// Also here: how a form field shows a value and reads what was typed (lists of references
// and evidence, conditions, numbers, horizons), and which problems belong to a field.
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type Pair,
  parse,
  parseDocument,
  type Scalar,
  stringify,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { z } from "zod";
import { InputError } from "../errors.js";
import { formatPath } from "./paths.js";
import { modelSchema } from "./schema.js";
import type { Problem } from "./types.js";

export type Segment = string | number;
type Obj = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Reading the data as written.
// ---------------------------------------------------------------------------------------------

/**
 * The model file's data as written (before validation: wrong types and missing keys as they
 * are), or why it cannot be read (a syntax error, with its line).
 */
export function readModelData(
  text: string,
): { data: Obj; error?: undefined } | { data?: undefined; error: string } {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = text.slice(0, e.pos[0]).split("\n").length;
    return { error: `line ${line}: ${e.message.split("\n")[0]}` };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { error: (e as Error).message.split("\n")[0] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data))
    return { error: "the text is not a model: expected a mapping with id, title, asOf and factors" };
  return { data: data as Obj };
}

// ---------------------------------------------------------------------------------------------
// Editing.
// ---------------------------------------------------------------------------------------------

/**
 * Sets the value at `path` (a key of a mapping, or an item of a list by index; the index one
 * past the end appends). `undefined` removes the key or the item. Mappings on the way that do
 * not exist are made (`["scale", "min"]` without a `scale`); a list index that does not exist is
 * an error. Throws an InputError when the text does not parse.
 */
export function setInModel(text: string, path: Segment[], value: unknown): string {
  if (path.length === 0) throw new InputError("an edit needs a path", { code: "path" });
  const doc = load(text);
  const data = toData(doc);
  const expected = applyToData(data, path, value);
  if (expected === NO_CHANGE) return text;
  let out: string | undefined;
  try {
    out = new Splicer(text, doc).set(path, value);
  } catch (e) {
    if (e instanceof InputError) throw e;
    out = undefined; // a layout the splices do not handle: the Document API writes it
  }
  if (out !== undefined && readsAs(out, expected)) return out;
  return viaDocument(text, path, value);
}

/** Inserts `value` into the list at `path` at `index` (default: at the end); makes the list if absent. */
export function insertInModel(text: string, path: Segment[], value: unknown, index?: number): string {
  const doc = load(text);
  const data = toData(doc);
  const list = getData(data, path);
  if (list === undefined || list === null) return setInModel(text, path, [value]);
  if (!Array.isArray(list))
    throw new InputError(`${formatPath(path)} is not a list`, { code: "path", path: formatPath(path) });
  const at = index ?? list.length;
  if (!Number.isInteger(at) || at < 0 || at > list.length)
    throw new InputError(`no place ${at} in ${formatPath(path)} (it has ${list.length})`, {
      code: "path",
      path: formatPath(path),
    });
  if (at === list.length) return setInModel(text, [...path, at], value);
  const expected = clone(data);
  (getData(expected, path) as unknown[]).splice(at, 0, clone(value));
  let out: string | undefined;
  try {
    out = new Splicer(text, doc).insert(path, at, value);
  } catch (e) {
    if (e instanceof InputError) throw e;
    out = undefined;
  }
  if (out !== undefined && readsAs(out, expected)) return out;
  const d = load(text);
  const seq = d.getIn(path, true) as YAMLSeq;
  seq.items.splice(at, 0, d.createNode(value));
  return d.toString({ lineWidth: 0 });
}

function load(text: string): Document {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length)
    throw new InputError(`the file does not parse: ${doc.errors[0].message.split("\n")[0]}`, {
      code: "syntax",
      path: "(file)",
    });
  if (!isMap(doc.contents))
    throw new InputError("the text is not a model: expected a mapping with id, title, asOf and factors", {
      code: "not-a-model",
      path: "(top level)",
    });
  return doc;
}

function toData(doc: Document): Obj {
  return doc.toJS({ maxAliasCount: 100 }) as Obj;
}

const NO_CHANGE = Symbol("no change");

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function getData(data: unknown, path: Segment[]): unknown {
  let v = data;
  for (const s of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/** The data after the edit (a copy), or NO_CHANGE; throws when a list index does not exist. */
function applyToData(data: Obj, path: Segment[], value: unknown): Obj | typeof NO_CHANGE {
  const out = clone(data);
  let v: unknown = out;
  for (let i = 0; i < path.length - 1; i++) {
    const s = path[i];
    const c = v as Record<string | number, unknown>;
    if (c[s] === undefined || c[s] === null) {
      if (typeof s === "number" || Array.isArray(c) || typeof path[i + 1] === "number")
        throw noPlace(path.slice(0, i + 1));
      if (value === undefined) return NO_CHANGE;
      c[s] = {};
    }
    v = c[s];
    if (v === null || typeof v !== "object") throw noPlace(path.slice(0, i + 1));
  }
  const last = path[path.length - 1];
  if (Array.isArray(v)) {
    if (typeof last !== "number" || last < 0 || last > v.length) throw noPlace(path);
    if (value === undefined) {
      if (last === v.length) return NO_CHANGE;
      v.splice(last, 1);
    } else v[last] = clone(value);
  } else {
    if (typeof last === "number") throw noPlace(path);
    const m = v as Obj;
    if (value === undefined) {
      if (!(last in m)) return NO_CHANGE;
      delete m[last];
    } else {
      if (last in m && sameData(m[last], value)) return NO_CHANGE;
      m[last] = clone(value);
    }
  }
  return out;
}

const noPlace = (path: Segment[]) =>
  new InputError(`no such place in the model: ${formatPath(path)}`, { code: "path", path: formatPath(path) });

/** Deep equality of plain data, key order ignored. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameData(x, bb[i]));
  }
  const ka = Object.keys(a as Obj);
  const kb = Object.keys(b as Obj);
  return (
    ka.length === kb.length && ka.every((k) => k in (b as Obj) && sameData((a as Obj)[k], (b as Obj)[k]))
  );
}

function readsAs(text: string, expected: Obj): boolean {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) return false;
  try {
    return sameData(doc.toJS({ maxAliasCount: 100 }), expected);
  } catch {
    return false;
  }
}

/** The fallback: the Document API (comments kept, the rest of the file formatted anew). */
function viaDocument(text: string, path: Segment[], value: unknown): string {
  const doc = load(text);
  if (value === undefined) doc.deleteIn(path);
  else {
    let n = path.length - 1;
    while (n > 0 && !doc.hasIn(path.slice(0, n))) n--;
    let v = value;
    for (let i = path.length - 1; i > n; i--) v = { [path[i]]: v };
    doc.setIn(path.slice(0, n + 1), v);
  }
  return doc.toString({ lineWidth: 0 });
}

// ---------------------------------------------------------------------------------------------
// Key order: where a new key goes, from the schema (the order the format documents).
// ---------------------------------------------------------------------------------------------

function unwrap(s: unknown): unknown {
  let t = s;
  while (t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap();
  return t;
}

/** The keys of the mapping at `path`, in the schema's order (empty when the schema says none). */
export function keyOrder(path: Segment[]): string[] {
  let s: unknown = modelSchema;
  for (const seg of path) {
    s = unwrap(s);
    if (typeof seg === "number") {
      if (!(s instanceof z.ZodArray)) return [];
      s = s.element;
    } else {
      if (!(s instanceof z.ZodObject)) return [];
      s = (s.shape as Record<string, unknown>)[seg];
    }
  }
  s = unwrap(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

// ---------------------------------------------------------------------------------------------
// Rendering new YAML text.
// ---------------------------------------------------------------------------------------------

const isPrimitive = (v: unknown) => v === null || typeof v !== "object";

/** A scalar as YAML: plain where that reads back as the same value, else double-quoted. */
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

function hasBreakingCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
  }
  return false;
}

function quote(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A value on one line: `[a, b]`, `{ k: v }`, a scalar. */
export function renderFlow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(renderFlow).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Obj).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, x]) => `${renderScalar(k, true)}: ${renderFlow(x)}`).join(", ")} }`;
  }
  return renderScalar(v, true);
}

/** The lines of a text for a literal block (`|-`), when it can be one. */
function literalLines(v: unknown): string[] | undefined {
  if (typeof v !== "string" || !v.includes("\n") || hasBreakingCharacter(v.replace(/\n/g, "")))
    return undefined;
  const lines = v.split("\n");
  return lines.every((l) => l === l.trimEnd()) && !/^\s/.test(lines[0]) && lines[0] !== ""
    ? lines
    : undefined;
}

/** A one-line text folded into lines of at most `width` characters for a folded block (`>-`). */
function foldLines(v: string, width: number): string[] {
  // Only single spaces between words fold back to what was written.
  if (/\s\s|\t/.test(v) || v !== v.trim()) return [v];
  const out: string[] = [];
  let line = "";
  for (const w of v.split(" ")) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

/** Whether a new value is written on one line (scalars, lists of scalars, small mappings of scalars). */
function isInline(v: unknown, flowItems: boolean): boolean {
  if (isPrimitive(v)) return true;
  if (Array.isArray(v)) return v.length === 0 || v.every(isPrimitive);
  return flowItems || Object.values(v as Obj).length === 0;
}

/** A short mapping of a few scalars or lists of them (`scale: { min: -3, max: 3 }`), one line as a value. */
const isSmallMap = (v: unknown) =>
  !isPrimitive(v) &&
  !Array.isArray(v) &&
  Object.keys(v as Obj).length <= 3 &&
  Object.values(v as Obj).every((x) => isInline(x, false)) &&
  renderFlow(v).length <= 80;

/** `key: value` lines of a mapping at column `col`, each ending in a newline. */
function renderEntries(v: Obj, col: number): string {
  return Object.entries(v)
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => renderEntry(k, x, col))
    .join("");
}

function renderEntry(key: string, v: unknown, col: number): string {
  const pad = " ".repeat(col);
  const k = renderScalar(key, false);
  const lines = literalLines(v);
  if (lines) return `${pad}${k}: |-\n${lines.map((l) => (l ? `${pad}  ${l}` : "")).join("\n")}\n`;
  if (isInline(v, false) || isSmallMap(v)) return `${pad}${k}: ${renderFlow(v)}\n`;
  if (Array.isArray(v)) return `${pad}${k}:\n${v.map((x) => renderItem(x, col + 2, false)).join("")}`;
  return `${pad}${k}:\n${renderEntries(v as Obj, col + 2)}`;
}

/** One item of a block list whose dashes stand at column `col`. */
function renderItem(v: unknown, col: number, flow: boolean): string {
  const pad = " ".repeat(col);
  if (isInline(v, flow) || Array.isArray(v)) return `${pad}- ${renderFlow(v)}\n`;
  return `${pad}- ${renderEntries(v as Obj, col + 2).slice(col + 2)}`;
}

// ---------------------------------------------------------------------------------------------
// The splices.
// ---------------------------------------------------------------------------------------------

type Range = [number, number, number];
type Coll = YAMLMap | YAMLSeq;
const rangeOf = (n: unknown): Range | undefined =>
  n !== null && typeof n === "object" ? (n as { range?: Range }).range : undefined;
const isColl = (n: unknown): n is Coll => isMap(n) || isSeq(n);
const keyOf = (p: Pair) => (isScalar(p.key) ? p.key.value : p.key);

interface Step {
  node: unknown;
  /** The pair holding the node, when its parent is a mapping. */
  pair?: Pair;
}

class Splicer {
  private readonly src: string;
  private readonly finalNewline: boolean;

  constructor(
    text: string,
    private readonly doc: Document,
  ) {
    this.finalNewline = text.endsWith("\n");
    this.src = this.finalNewline ? text : `${text}\n`;
  }

  private done(start: number, end: number, insert: string): string {
    const out = this.src.slice(0, start) + insert + this.src.slice(end);
    return this.finalNewline || !out.endsWith("\n") ? out : out.slice(0, -1);
  }

  /** The nodes from the root along the path, as far as they exist. */
  private walk(path: Segment[]): Step[] {
    const steps: Step[] = [{ node: this.doc.contents }];
    for (const seg of path) {
      const cur = steps[steps.length - 1].node;
      if (isMap(cur)) {
        const pair = cur.items.find((p) => keyOf(p) === seg);
        if (!pair) break;
        steps.push({ node: pair.value, pair });
      } else if (isSeq(cur) && typeof seg === "number" && seg < cur.items.length) {
        steps.push({ node: cur.items[seg] });
      } else break;
    }
    return steps;
  }

  set(path: Segment[], value: unknown): string {
    const steps = this.walk(path);
    // Mappings that do not exist yet: the value goes in nested under the deepest that does.
    if (steps.length < path.length) {
      const at = steps.length - 1;
      let v = value;
      for (let i = path.length - 1; i > at; i--) v = { [path[i]]: v };
      return this.set(path.slice(0, at + 1), v);
    }
    const parentIndex = path.length - 1;
    const parent = steps[parentIndex].node;
    const last = path[parentIndex];
    const flow = this.outerFlow(steps.slice(0, parentIndex + 1));
    const target = steps.length > path.length ? steps[path.length] : undefined;
    // The first item of a list written `key: []` in a block mapping: a block list under the key.
    if (
      flow &&
      flow.node === parent &&
      flow.depth === parentIndex &&
      isSeq(parent) &&
      parent.items.length === 0 &&
      value !== undefined &&
      this.blockHolder(steps, parentIndex)
    )
      return this.insertItem(parent, 0, value, steps[parentIndex].pair);

    // A scalar replaced by a scalar: in place, wherever it stands.
    if (target && isScalar(target.node) && isPrimitive(value) && value !== undefined)
      return this.patchScalar(target.node, target.pair, value, this.outerFlow(steps) !== undefined);
    // A flow value replaced: in place.
    if (target && value !== undefined && isColl(target.node) && target.node.flow) {
      const r = rangeOf(target.node)!;
      return this.done(r[0], r[1], renderFlow(value));
    }
    if (flow) return this.rewriteFlow(flow, path, (data) => applyToData(data, path, value));
    if (isMap(parent)) {
      if (value === undefined)
        return target?.pair ? this.removePair(parent, target.pair, steps) : this.done(0, 0, "");
      if (target?.pair) return this.replaceValue(target.pair, value);
      return this.addPair(parent, String(last), value, path.slice(0, parentIndex));
    }
    if (isSeq(parent)) {
      const index = last as number;
      if (value === undefined) return this.removeItem(parent, index, steps[parentIndex].pair);
      if (target) return this.replaceItem(parent, index, value);
      return this.insertItem(parent, index, value, steps[parentIndex].pair);
    }
    throw new Error("not a collection");
  }

  insert(path: Segment[], index: number, value: unknown): string {
    const steps = this.walk(path);
    const seq = steps[steps.length - 1].node;
    if (steps.length <= path.length || !isSeq(seq)) throw new Error("no list");
    const flow = this.outerFlow(steps);
    const fill = flow?.node === seq && seq.items.length === 0 && this.blockHolder(steps, steps.length - 1);
    if (flow && !fill)
      return this.rewriteFlow(flow, path, (data) => {
        const d = clone(data);
        (getData(d, path) as unknown[]).splice(index, 0, clone(value));
        return d;
      });
    return this.insertItem(seq, index, value, steps[steps.length - 1].pair);
  }

  /** Whether the node at `depth` is the value of a key in a block mapping. */
  private blockHolder(steps: Step[], depth: number): boolean {
    const m = depth > 0 ? steps[depth - 1].node : undefined;
    return !!steps[depth].pair && isMap(m) && !m.flow && !!rangeOf(steps[depth].pair?.key);
  }

  /** The outermost flow collection among the nodes, if any. */
  private outerFlow(steps: Step[]): { node: Coll; depth: number } | undefined {
    for (let i = 0; i < steps.length; i++) {
      const n = steps[i].node;
      if (isColl(n) && n.flow) return { node: n, depth: i };
    }
    return undefined;
  }

  /** A flow collection written anew with the change made (a JSON file: the whole file as JSON). */
  private rewriteFlow(
    flow: { node: Coll; depth: number },
    path: Segment[],
    change: (data: Obj) => Obj | typeof NO_CHANGE,
  ): string {
    const data = toData(this.doc);
    const after = change(data);
    if (after === NO_CHANGE) return this.done(0, 0, "");
    const r = rangeOf(flow.node)!;
    if (flow.depth === 0) return this.done(r[0], r[1], JSON.stringify(after, null, 2));
    return this.done(r[0], r[1], renderFlow(getData(after, path.slice(0, flow.depth))));
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
  private afterColon(p: Pair): number {
    const k = rangeOf(p.key)!;
    const c = this.src.indexOf(":", k[1]);
    return c < 0 ? k[1] : c + 1;
  }
  /** Where a node's content ends (comments after it excluded). */
  private contentEnd(node: unknown): number {
    const r = rangeOf(node)!;
    if (isColl(node) && !node.flow && node.items.length > 0) {
      const last = node.items[node.items.length - 1];
      if (isMap(node)) {
        const p = last as Pair;
        const v = rangeOf(p.value);
        return v && v[1] > v[0] ? this.contentEnd(p.value) : this.afterColon(p);
      }
      return this.contentEnd(last);
    }
    return r[1];
  }
  /** End of the line holding a node's last character (a comment on that line included). */
  private endLine(node: unknown): number {
    return this.lineEnd(Math.max(this.contentEnd(node) - 1, 0));
  }
  private pairEnd(p: Pair): number {
    const v = rangeOf(p.value);
    return v && v[1] > v[0] ? this.endLine(p.value) : this.lineEnd(this.afterColon(p));
  }
  /** Position of a block list item's dash. */
  private dash(item: unknown): number {
    const r = rangeOf(item)!;
    let i = r[0] - 1;
    while (i >= 0 && /[ \t]/.test(this.src[i])) i--;
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
  /** Whether a list's items are set apart by blank lines (most of them). */
  private spaced(seq: YAMLSeq): boolean {
    const items = seq.items;
    return (
      items.length > 1 &&
      items.slice(1).filter((x) => this.blankBefore(this.leadStart(x)) !== undefined).length * 2 >
        items.length - 1
    );
  }
  /** The column of a block mapping's keys. */
  private keyCol(map: YAMLMap): number {
    return this.col(rangeOf(map.items[0].key)![0]);
  }

  private patchScalar(s: Scalar, pair: Pair | undefined, value: unknown, inFlow: boolean): string {
    const r = rangeOf(s)!;
    const [a, b] = r;
    if (a === b) {
      // `key:` with nothing after it
      const at = pair ? this.afterColon(pair) : a;
      return this.done(at, at, ` ${renderScalar(value, inFlow)}`);
    }
    const keyCol = pair && rangeOf(pair.key) ? this.col(rangeOf(pair.key)![0]) : this.col(this.dash(s));
    const pad = " ".repeat(keyCol + 2);
    const block = s.type === "BLOCK_FOLDED" || s.type === "BLOCK_LITERAL";
    const lines = inFlow ? undefined : literalLines(value);
    if (block) {
      const end = this.src[b - 1] === "\n" ? b : this.lineEnd(b);
      const v = typeof value === "string" ? value : undefined;
      if (lines) return this.done(a, end, `|-\n${lines.map((l) => (l ? `${pad}${l}` : "")).join("\n")}\n`);
      if (v && !hasBreakingCharacter(v) && v === v.trim())
        return this.done(
          a,
          end,
          `>-\n${foldLines(v, Math.max(40, 100 - pad.length))
            .map((l) => `${pad}${l}`)
            .join("\n")}\n`,
        );
      return this.done(a, end, `${renderScalar(value, false)}\n`);
    }
    if (lines) {
      // A text with line breaks in a block mapping: a literal block (a comment after the old
      // value goes on the block's header line).
      const end = this.lineEnd(b);
      const rest = this.src.slice(b, end).trim();
      const header = `|-${rest.startsWith("#") ? ` ${rest}` : ""}`;
      return this.done(a, end, `${header}\n${lines.map((l) => (l ? `${pad}${l}` : "")).join("\n")}\n`);
    }
    return this.done(a, b, renderScalar(value, inFlow));
  }

  /** A value (in a block mapping) replaced by a collection, or a block collection replaced. */
  private replaceValue(pair: Pair, value: unknown): string {
    const old = pair.value;
    const r = rangeOf(old);
    if (!r || r[0] === r[1] || isScalar(old)) {
      const at = r && r[0] !== r[1] ? r[0] : this.afterColon(pair);
      const end = r && r[0] !== r[1] ? r[1] : at;
      return this.done(at, end, `${r && r[0] !== r[1] ? "" : " "}${renderFlow(value)}`);
    }
    // a block collection: the new value on the key's line
    return this.done(this.afterColon(pair), this.endLine(old), ` ${renderFlow(value)}\n`);
  }

  private addPair(map: YAMLMap, key: string, value: unknown, mapPath: Segment[]): string {
    const order = keyOrder(mapPath);
    const rank = order.indexOf(key);
    let prev: Pair | undefined;
    for (const p of map.items) {
      const r = order.indexOf(String(keyOf(p)));
      if (rank < 0 || (r >= 0 && r < rank)) prev = p;
    }
    const first = map.items[0];
    const firstKey = rangeOf(first.key)![0];
    const col = this.keyCol(map);
    const onDash = this.src.slice(this.lineStart(firstKey), firstKey).trim() !== "";
    // A new key never goes before a first key that shares a list item's dash line.
    if (!prev && onDash) prev = first;
    const text = renderEntry(key, value, col);
    // At the top level a new list or mapping is set apart by a blank line.
    const spacer = col === 0 && !isInline(value, false) && !isSmallMap(value) ? "\n" : "";
    if (!prev) {
      const at = this.lineStart(firstKey);
      return this.done(at, at, `${text}${spacer}`);
    }
    const at = this.pairEnd(prev);
    return this.done(at, at, `${spacer}${text}`);
  }

  private removePair(map: YAMLMap, pair: Pair, steps: Step[]): string {
    const i = map.items.indexOf(pair);
    const k = rangeOf(pair.key)![0];
    const ls = this.lineStart(k);
    const ownLine = this.src.slice(ls, k).trim() === "";
    if (map.items.length === 1) {
      // the mapping becomes empty: `{}`
      const holder = steps[steps.length - 2]?.pair;
      if (holder && rangeOf(holder.key))
        return this.done(rangeOf(holder.key)![1], this.pairEnd(pair), ": {}\n");
      return this.done(k, this.pairEnd(pair), "{}\n");
    }
    if (ownLine) return this.done(ls, this.pairEnd(pair), "");
    // The first key of a list item shares the dash's line: the next key moves up.
    const next = map.items[i + 1];
    return this.done(k, rangeOf(next.key)![0], "");
  }

  private removeItem(seq: YAMLSeq, index: number, holder: Pair | undefined): string {
    const item = seq.items[index];
    if (seq.items.length === 1) {
      if (holder && rangeOf(holder.key))
        return this.done(rangeOf(holder.key)![1], this.endLine(seq), ": []\n");
      return this.done(this.lineStart(this.dash(item)), this.endLine(seq), "[]\n");
    }
    let a = this.lineStart(this.dash(item));
    let b = this.endLine(item);
    if (this.spaced(seq)) {
      const blank = this.blankBefore(a);
      if (blank !== undefined && index > 0) a = blank;
      else if (this.src.slice(b, this.lineEnd(b)).trim() === "") b = this.lineEnd(b);
    }
    return this.done(a, b, "");
  }

  private replaceItem(seq: YAMLSeq, index: number, value: unknown): string {
    const item = seq.items[index];
    const col = this.col(this.dash(item));
    const flowItem = isMap(item) && !!item.flow;
    const a = this.lineStart(this.dash(item));
    return this.done(a, this.endLine(item), renderItem(value, col, flowItem));
  }

  private insertItem(seq: YAMLSeq, index: number, value: unknown, holder: Pair | undefined): string {
    if (seq.items.length === 0) {
      // `key: []` becomes a block list under its key
      if (!holder || !rangeOf(holder.key)) throw new Error("an empty list without a key");
      const col = this.col(rangeOf(holder.key)![0]) + 2;
      return this.done(rangeOf(holder.key)![1], this.endLine(seq), `:\n${renderItem(value, col, false)}`);
    }
    const col = this.col(this.dash(seq.items[0]));
    const last = [...seq.items].reverse().find((x) => isMap(x));
    const text = renderItem(value, col, isMap(last) && !!last.flow);
    const spaced = this.spaced(seq);
    if (index >= seq.items.length) {
      const at = this.endLine(seq.items[seq.items.length - 1]);
      return this.done(at, at, `${spaced ? "\n" : ""}${text}`);
    }
    if (index > 0) {
      // right after the item before it (in its group, before the comments that open the next)
      const at = this.endLine(seq.items[index - 1]);
      return this.done(at, at, `${spaced ? "\n" : ""}${text}`);
    }
    const at = this.leadStart(seq.items[0]);
    return this.done(at, at, `${text}${spaced ? "\n" : ""}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Form fields: how a value is shown and how what was typed is read.
// ---------------------------------------------------------------------------------------------

/** A scalar for a text field ("" for absent or null). */
export function showScalar(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return renderFlow(v);
  return String(v);
}

/** An optional text: "" (after trimming) removes the key. */
export function readOptionalText(s: string): string | undefined {
  return s.trim() === "" ? undefined : s;
}

/**
 * A number field: "" removes the key; a number is a number; anything else goes in as the text
 * typed, so that the check says what is wrong with it.
 */
export function readNumber(s: string): number | string | undefined {
  const t = s.trim();
  if (t === "") return undefined;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return t;
}

/** A question's horizon: a whole number of steps, or a date (any other text goes in as typed). */
export function readHorizon(s: string): number | string | undefined {
  const t = s.trim();
  if (t === "") return undefined;
  return /^[+-]?\d+$/.test(t) ? Number(t) : t;
}

/** A list of references or evidence (`shafaq:6, dawat:9-10`), or a single one as written. */
export function showList(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map((x) => (isPrimitive(x) ? String(x) : renderFlow(x))).join(", ");
  return isPrimitive(v) ? String(v) : renderFlow(v);
}

/**
 * What was typed in a list field: items separated by commas, each a reference (`shafaq:6`) or a
 * flow mapping (`{ source: shafaq, lines: 6, note: … }`). "" removes the key. When the file had
 * a single item as a plain value (`evidence: shafaq:36`) and one item is typed, it stays one.
 */
export function readList(s: string, before?: unknown): unknown {
  const t = s.trim();
  if (t === "") return undefined;
  let items: unknown;
  try {
    items = parse(`[${t}]`);
  } catch (e) {
    throw new InputError(
      `cannot read the list: ${(e as Error).message.split("\n")[0].split(" at line")[0]}`,
      {
        code: "syntax",
      },
    );
  }
  if (!Array.isArray(items)) throw new InputError("cannot read the list", { code: "syntax" });
  const list = items.filter((x) => x !== null);
  if (list.length === 1 && before !== undefined && !Array.isArray(before) && isPrimitive(list[0]))
    return list[0];
  return list;
}

/** A question's condition: one `factor=state`, or a flow mapping `{ any: [...] }` / `{ all: [...] }`. */
export function showCondition(v: unknown): string {
  return showScalar(v);
}

export function readCondition(s: string): unknown {
  const t = s.trim();
  if (t === "") return undefined;
  if (!/^[{[]/.test(t)) return t;
  try {
    return parse(t);
  } catch (e) {
    throw new InputError(
      `cannot read the condition: ${(e as Error).message.split("\n")[0].split(" at line")[0]}`,
      {
        code: "syntax",
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Problems by place.
// ---------------------------------------------------------------------------------------------

/** The first key below `base` that a problem's path names ("" for `base` itself), or null when not below. */
function keyBelow(problemPath: string, base: string): string | null {
  if (problemPath === base) return "";
  if (!problemPath.startsWith(base)) return null;
  const rest = problemPath.slice(base.length);
  if (base === "") {
    const m = /^([^.[]+)/.exec(rest);
    return m ? m[1] : null;
  }
  const m = /^\.([^.[]+)|^\[(\d+)\]/.exec(rest);
  return m ? (m[1] ?? m[2]) : null;
}

/**
 * The problems at or below a path. With `except`, those whose next key below the path is one
 * of them are left out (they are shown by those keys' own fields).
 */
export function problemsAt(
  problems: readonly Problem[],
  path: Segment[],
  except: readonly string[] = [],
): Problem[] {
  const base = path.length ? formatPath(path) : "";
  return problems.filter((p) => {
    const k = keyBelow(p.path, base);
    return k !== null && !except.includes(k);
  });
}
