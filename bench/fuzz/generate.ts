// Inputs for the loader fuzz (bench/fuzz/run.ts and test/model/fuzz.test.ts): case `index` of a
// run with seed `seed` is always the same input, so a crash or a hang can be replayed from its
// two numbers alone.
//
// A case starts from a real model (the seed model, or a small model cut out of it), a small
// random model, or a ScenarioWizard project (the fixtures, or a random model exported as .scw),
// written as YAML, JSON or .scw text. It then takes one to four mutations: lines deleted,
// duplicated, swapped or re-indented; characters replaced by random unicode; anchors and
// aliases (unresolved ones, alias bombs); deep nesting; huge and odd numbers; values of the wrong
// type; truncation; very long lines. A quarter of the cases are handed over as bytes instead of
// text, with invalid UTF-8, byte-order marks, UTF-16 or random bytes mixed in.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { exportScw } from "../../src/model/scw.js";
import type { Model } from "../../src/model/types.js";

export type FuzzFormat = "yaml" | "json" | "scw";

export interface FuzzCase {
  index: number;
  format: FuzzFormat;
  /** Where it started and what was done to it, e.g. "seed-cut json: delete-line, huge-number". */
  label: string;
  /** The input as text, or as the bytes of a file. */
  text?: string;
  bytes?: Uint8Array;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A small, fast generator (mulberry32): the same seed gives the same stream everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

// ---- starting points ----------------------------------------------------------------------

interface Corpus {
  seedText: string;
  seed: Record<string, unknown>;
  scw: string[];
}
let corpus: Corpus | undefined;

/** The seed model and the ScenarioWizard fixtures (read once). */
function load(): Corpus {
  if (corpus) return corpus;
  const seedText = readFileSync(path.join(root, "models", "oman-2025.yaml"), "utf8");
  const dir = path.resolve(root, "../shared/fixtures/scenariowizard");
  let scw: string[] = [];
  try {
    scw = readdirSync(dir)
      .filter((f) => f.endsWith(".scw"))
      .sort()
      .map((f) => readFileSync(path.join(dir, f), "utf8"));
  } catch {
    // Without the fixtures, .scw cases start from random models only.
  }
  corpus = { seedText, seed: parse(seedText) as Record<string, unknown>, scw };
  return corpus;
}

type Obj = Record<string, unknown>;

/** A small model cut out of the seed model: a few factors, and what refers only to them. */
function seedCut(r: Rand): Obj {
  const seed = load().seed;
  const factors = (seed.factors as Obj[]).filter(() => r() < 0.15).slice(0, 3);
  if (factors.length === 0) factors.push(pick(r, seed.factors as Obj[]));
  const ids = new Set(factors.map((f) => f.id as string));
  const refersToKept = (x: unknown) => {
    const refs = JSON.stringify(x).match(/"([a-z0-9-]+)=/g) ?? [];
    return refs.every((m) => ids.has(m.slice(1, -1)));
  };
  const impacts = (seed.impacts as Obj[]).filter((imp) =>
    typeof imp.matrix === "object"
      ? ids.has(imp.from as string) && ids.has(imp.to as string)
      : refersToKept({ a: `${imp.from}`, b: `${imp.to}` }) && r() < 0.6,
  );
  const out: Obj = { ...seed, factors, impacts: impacts.slice(0, 6) };
  out.stakes = (seed.stakes as Obj[]).filter((s) => refersToKept({ s: s.state }) && r() < 0.5).slice(0, 4);
  out.questions = (seed.questions as Obj[]).filter((q) => refersToKept(q)).slice(0, 1);
  if (r() < 0.7) delete out.dynamics;
  if (r() < 0.7) delete out.issues;
  else out.issues = (seed.issues as Obj[]).slice(0, 1);
  if (r() < 0.7) delete out.description;
  if (r() < 0.5) delete out.sources;
  const used = JSON.stringify([out.stakes, out.issues, factors, out.questions]);
  out.actors = (seed.actors as Obj[]).filter((a) => used.includes(`"${a.id}"`) || r() < 0.1);
  // Most cuts drop the prose (long texts make slow cases, not different ones).
  return r() < 0.8 ? (stripProse(out) as Obj) : out;
}

const PROSE = new Set(["description", "rationale", "keywords", "aliases", "note", "text", "evidence"]);
function stripProse(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripProse);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => !PROSE.has(k) || k === "text")
      .map(([k, x]) => [k, k === "text" && typeof x === "string" ? x.slice(0, 40) : stripProse(x)]),
  );
}

const WORDS = [
  "talks",
  "sanctions",
  "escalation",
  "ceasefire",
  "oil",
  "élection",
  "Тегеран",
  "مسقط",
  "和平",
  "🕊",
];

/** A small random model: 1–4 factors of 2–4 states, some cells and blocks, maybe more. */
function randomModel(r: Rand): Obj {
  const nf = 1 + int(r, 4);
  const factors = Array.from({ length: nf }, (_, i) => ({
    id: `f${i}`,
    name: `${pick(r, WORDS)} ${i}`,
    states: Array.from({ length: 2 + int(r, 3) }, (_, k) => ({
      id: `s${k}`,
      label: `${pick(r, WORDS)} ${k}`,
    })),
  }));
  const impacts: Obj[] = [];
  for (let k = int(r, 6); k > 0; k--) {
    const a = pick(r, factors);
    const b = pick(r, factors);
    if (a === b) continue;
    if (r() < 0.5)
      impacts.push({
        from: `${a.id}=${pick(r, a.states).id}`,
        to: `${b.id}=${pick(r, b.states).id}`,
        strength: int(r, 7) - 3,
      });
    else
      impacts.push({
        from: a.id,
        to: b.id,
        matrix: a.states.map(() => b.states.map(() => int(r, 7) - 3)),
      });
  }
  const m: Obj = {
    id: `m${int(r, 1000)}`,
    title: `${pick(r, WORDS)} model`,
    asOf: "2025-04-15",
    actors: [{ id: "a", name: "A", kind: pick(r, ["state", "non-state"]) }],
    factors,
    impacts,
  };
  if (r() < 0.3) m.step = pick(r, ["P1M", "P1W", "P3M"]);
  if (r() < 0.3)
    m.stakes = [
      { actor: "a", state: `${factors[0].id}=${factors[0].states[0].id}`, utility: int(r, 21) - 10 },
    ];
  if (r() < 0.3)
    m.questions = [
      {
        id: "q",
        text: "Will it?",
        condition: `${factors[0].id}=${factors[0].states[1].id}`,
        horizon: "2025-12-31",
      },
    ];
  if (r() < 0.2) m.dynamics = { mode: "myopic", beta: 1 + int(r, 3) };
  return m;
}

/** A random model as a normalised Model, for writing as .scw. */
function randomScw(r: Rand): string {
  const m = randomModel(r) as Obj & {
    factors: { id: string; name: string; states: { id: string; label: string }[] }[];
  };
  const factors = m.factors.map((f) => ({
    ...f,
    short: f.name,
    owners: [],
    exogenous: false,
    keywords: [],
    states: f.states.map((s) => ({ ...s, short: s.label, keywords: [] })),
  }));
  const blocks = (m.impacts as Obj[])
    .filter((i) => Array.isArray(i.matrix))
    .map((i) => ({ kind: "block", from: i.from, to: i.to, matrix: i.matrix, evidence: [] }));
  return exportScw({
    ...m,
    factors,
    impacts: blocks,
    sources: [],
    stakes: [],
    issues: [],
  } as unknown as Model);
}

// ---- mutations ------------------------------------------------------------------------------

const ODD_NUMBERS = [
  "1e400",
  "-1e400",
  "1e-400",
  "-0",
  "-0.0",
  ".nan",
  ".NaN",
  ".inf",
  "-.inf",
  "NaN",
  "Infinity",
  "0x7fffffffffffffff",
  "0o777",
  "1_000",
  "9007199254740993",
  "-9223372036854775809",
  "1.7976931348623157e309",
  "5e-324",
];
const WRONG_VALUES = [
  "[]",
  "{}",
  "null",
  "~",
  "true",
  "no",
  "''",
  '""',
  "3.5",
  "-7",
  "x",
  "[1, [2, [3]]]",
  "{a: {b: c}}",
  "!!binary aGk=",
  "!!set {a, b}",
  "!!timestamp 2025-01-01",
  "!foo bar",
  "? complex\n: key",
  "|\n  block",
];
const UNICODE = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u200b",
  "\u200e",
  "\u202e",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\ufffd",
  "\uffff",
  "\ud800",
  "\udc00",
  "😀",
  "𝕏",
  "é",
  "ß",
  "Ω",
  "中",
  "\t",
  "\r",
  "\n",
  "'",
  '"',
  ":",
  "#",
  "&",
  "*",
  "!",
  "|",
  ">",
  "%",
  "@",
  "`",
  "{",
  "}",
  "[",
  "]",
  ",",
  "-",
  "?",
];

/** The largest blow-up a mutation makes (set per run by FuzzCases). */
let big = 500_000;

function hugeInteger(r: Rand): string {
  const digits = pick(r, [20, 310, 1000, 5000]);
  let s = String(1 + int(r, 9));
  while (s.length < digits) s += String(int(r, 10)).repeat(1 + int(r, 40));
  return (r() < 0.3 ? "-" : "") + s.slice(0, digits);
}

function nested(r: Rand, json: boolean): string {
  const depth = Math.min(pick(r, [30, 99, 101, 200, 1000, 5000, 50_000, 250_000]), Math.floor(big / 6));
  if (r() < 0.5) return `${"[".repeat(depth)}1${"]".repeat(depth)}`;
  return json
    ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`
    : `${"{a: ".repeat(depth)}1${"}".repeat(depth)}`;
}

function aliasBomb(r: Rand): string[] {
  const width = 5 + int(r, 6);
  const lines = [`b0: &b0 [${Array(width).fill("lol").join(", ")}]`];
  for (let i = 1; i < 4 + int(r, 8); i++)
    lines.push(`b${i}: &b${i} [${Array.from({ length: width }, () => `*b${i - 1}`).join(", ")}]`);
  return lines;
}

/** Lines whose value can be replaced: `key: value` or `- value`, with what comes before it. */
const VALUE_LINE = /^(\s*(?:- )*(?:"[^"]*"|[\w-]+)\s*:\s*|\s*- )(.*)$/;
const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi;

type Mutation = (r: Rand, text: string, format: FuzzFormat) => string;

function onLines(text: string, f: (lines: string[]) => void): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/\r?\n/);
  f(lines);
  return lines.join(eol);
}

function replaceValue(r: Rand, text: string, value: (old: string) => string): string {
  return onLines(text, (lines) => {
    for (let tries = 0; tries < 8; tries++) {
      const i = int(r, lines.length);
      const m = VALUE_LINE.exec(lines[i]);
      if (m) {
        lines[i] = m[1] + value(m[2]);
        return;
      }
    }
  });
}

function replaceNumber(r: Rand, text: string, by: () => string): string {
  const matches = [...text.matchAll(NUMBER)];
  if (matches.length === 0) return text + by();
  const m = pick(r, matches);
  return text.slice(0, m.index) + by() + text.slice((m.index ?? 0) + m[0].length);
}

const MUTATIONS: Record<string, Mutation> = {
  "delete-line": (r, t) => onLines(t, (l) => l.splice(int(r, l.length), 1 + int(r, 3))),
  "duplicate-line": (r, t) =>
    onLines(t, (l) => {
      const i = int(r, l.length);
      l.splice(i, 0, ...l.slice(i, i + 1 + int(r, 3)));
    }),
  "swap-lines": (r, t) =>
    onLines(t, (l) => {
      const i = int(r, l.length);
      const j = int(r, l.length);
      [l[i], l[j]] = [l[j], l[i]];
    }),
  reindent: (r, t) =>
    onLines(t, (l) => {
      const i = int(r, l.length);
      l[i] =
        r() < 0.5 ? l[i].replace(/^ {1,2}/, "") : " ".repeat(1 + int(r, 3)) + (r() < 0.2 ? "\t" : "") + l[i];
    }),
  "flip-char": (r, t) => {
    if (!t) return pick(r, UNICODE);
    let out = t;
    for (let k = 1 + int(r, 4); k > 0; k--) {
      const i = int(r, out.length);
      out = out.slice(0, i) + pick(r, UNICODE) + out.slice(i + 1);
    }
    return out;
  },
  "random-unicode": (r, t) => {
    const i = int(r, t.length + 1);
    let s = "";
    for (let k = 1 + int(r, 20); k > 0; k--)
      s += r() < 0.5 ? pick(r, UNICODE) : String.fromCodePoint(int(r, r() < 0.8 ? 0x800 : 0x110000));
    return t.slice(0, i) + s + t.slice(i);
  },
  anchor: (r, t) => {
    const name = pick(r, ["a", "b", "x1"]);
    let out = replaceValue(r, t, (v) => `&${name} ${v}`);
    for (let k = 1 + int(r, 3); k > 0; k--) out = replaceValue(r, out, () => `*${r() < 0.7 ? name : "nope"}`);
    return out;
  },
  "alias-undefined": (r, t) => replaceValue(r, t, () => `*${pick(r, ["nope", "a", "🕳"])}`),
  "alias-bomb": (r, t) => onLines(t, (l) => l.splice(int(r, l.length + 1), 0, ...aliasBomb(r))),
  "deep-nesting": (r, t, f) => replaceValue(r, t, () => nested(r, f === "json")),
  "deep-list": (r, t) =>
    onLines(t, (l) =>
      l.splice(
        int(r, l.length + 1),
        0,
        `deep:${r() < 0.7 ? "\n" : " "}${"- ".repeat(Math.min(pick(r, [98, 99, 100, 3000, 30_000, 250_000]), Math.floor(big / 2)))}x`,
      ),
    ),
  "huge-number": (r, t) => replaceNumber(r, t, () => (r() < 0.5 ? pick(r, ODD_NUMBERS) : hugeInteger(r))),
  "huge-value": (r, t) => replaceValue(r, t, () => (r() < 0.5 ? pick(r, ODD_NUMBERS) : hugeInteger(r))),
  "wrong-type": (r, t) => replaceValue(r, t, () => pick(r, WRONG_VALUES)),
  truncate: (r, t) => t.slice(0, int(r, t.length + 1)),
  "long-line": (r, t) =>
    onLines(t, (l) => {
      const n = Math.min(pick(r, [1000, 20_000, 200_000, 1_000_000]), big);
      const i = int(r, l.length);
      l[i] = r() < 0.5 ? `${l[i]}${"x".repeat(n)}` : `k${"y".repeat(n)}: 1`;
    }),
  "duplicate-key": (r, t) =>
    onLines(t, (l) => l.splice(int(r, l.length + 1), 0, pick(r, ["id: dup", "factors: []", "title: again"]))),
  empty: () => "",
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

// Byte-level damage: what a file on disk can hold that a string cannot say.
const BYTE_DAMAGE = [
  "invalid-utf8",
  "utf8-bom",
  "utf16le-bom",
  "utf16be-bom",
  "utf16le",
  "random-bytes",
  "nul-bytes",
] as const;

function toBytes(r: Rand, text: string, damage: (typeof BYTE_DAMAGE)[number]): Uint8Array {
  const utf8 = Buffer.from(text, "utf8");
  switch (damage) {
    case "invalid-utf8": {
      const bad = pick(r, [
        [0xff],
        [0xc0, 0x80],
        [0x80],
        [0xe2, 0x82],
        [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xfe, 0xfe],
      ]);
      const i = int(r, utf8.length + 1);
      return Buffer.concat([utf8.subarray(0, i), Buffer.from(bad), utf8.subarray(i)]);
    }
    case "utf8-bom":
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    case "utf16le-bom":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "utf16be-bom": {
      const le = Buffer.from(text, "utf16le");
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
    }
    case "utf16le":
      return Buffer.from(text, "utf16le");
    case "random-bytes": {
      const out = Buffer.from(utf8);
      for (let k = 1 + int(r, 8); k > 0 && out.length; k--) out[int(r, out.length)] = int(r, 256);
      if (r() < 0.2) return Buffer.from(Array.from({ length: int(r, 2000) }, () => int(r, 256)));
      return out;
    }
    case "nul-bytes": {
      const i = int(r, utf8.length + 1);
      return Buffer.concat([utf8.subarray(0, i), Buffer.alloc(1 + int(r, 4)), utf8.subarray(i)]);
    }
  }
}

// ---- a case -------------------------------------------------------------------------------------

/** Mixes the run's seed and the case's index into the seed of that case's generator. */
function caseSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export interface GenerateOptions {
  /** Starting texts written once per run (default 400): cases mutate copies of them. */
  pool?: number;
  /** Chance that a case starts from the whole seed model (slow to validate: keep it rare). */
  wholeSeed?: number;
  /** The largest blow-up a mutation makes, in characters (default 500,000). */
  big?: number;
}

interface Start {
  base: string;
  format: FuzzFormat;
  text: string;
}

/**
 * The cases of one run. Writing a model as YAML is slower than reading it back, so the run
 * first writes a pool of starting texts, and each case mutates one of them.
 */
export class FuzzCases {
  private readonly pool: Start[] = [];
  private readonly wholeSeed: number;

  constructor(
    readonly seed: number,
    opts: GenerateOptions = {},
  ) {
    big = opts.big ?? 500_000;
    this.wholeSeed = opts.wholeSeed ?? 0;
    const r = rng(caseSeed(seed, -1));
    const fixtures = load().scw;
    for (const text of fixtures) this.pool.push({ base: "scw-fixture", format: "scw", text });
    for (let k = 0; k < (opts.pool ?? 400); k++) {
      const kind = k % 5;
      if (kind === 4) this.pool.push({ base: "scw-random", format: "scw", text: randomScw(r) });
      else {
        const base = kind < 2 ? "seed-cut" : "random";
        const m = base === "random" ? randomModel(r) : seedCut(r);
        const format = kind % 2 === 0 ? "yaml" : "json";
        const text = format === "json" ? JSON.stringify(m, null, r() < 0.7 ? 2 : undefined) : stringify(m);
        this.pool.push({ base, format, text });
      }
    }
  }

  /** Case `index` of this run: the same input every time. */
  get(index: number): FuzzCase {
    const r = rng(caseSeed(this.seed, index));
    let start: Start;
    if (r() < this.wholeSeed) {
      const json = r() < 0.3;
      start = {
        base: "seed",
        format: json ? "json" : "yaml",
        text: json ? JSON.stringify(load().seed) : load().seedText,
      };
    } else start = pick(r, this.pool);
    const { base, format } = start;
    let text = start.text;
    const done: string[] = [];
    for (let k = r() < 0.1 ? 0 : 1 + int(r, 4); k > 0; k--) {
      const name = pick(r, MUTATION_NAMES);
      text = MUTATIONS[name](r, text, format);
      done.push(name);
    }
    const label = `${base} ${format}: ${done.join(", ") || "as written"}`;
    if (r() < 0.25) {
      const damage = pick(r, BYTE_DAMAGE);
      return { index, format, label: `${label}, bytes ${damage}`, bytes: toBytes(r, text, damage) };
    }
    return { index, format, label, text };
  }
}
