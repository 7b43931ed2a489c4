// Scores one article's ingestion output against its hand labels, sums the counts over the set,
// and gives Wilson 95 % intervals. Pure functions: no file, no ingestion (test/evidence/
// ingest-eval.test.ts checks them on a hand-made case).
//
// A draft is correct when its cell (from, to) and sign match a label (or one of the label's
// alternative cells) on one of the draft's lines (its own line, and the lines of the sentences
// merged into it). A label is found when at least one draft matches it.

import { type ArticleLabels, type Cell, META_FIELDS, type MetaField } from "./labels.js";

export interface DraftLike {
  from: string;
  to: string;
  strength: number;
  line: number;
  also?: { line: number }[];
  confidence?: number;
}
export interface ArticleOutput {
  drafts: DraftLike[];
  /** Gaps reported by the ingestion; only their line is used. */
  gaps: { line: number }[];
  /** The metadata the ingestion read (undefined / null / "" = nothing read). */
  metadata: Partial<Record<MetaField, string | null | undefined>>;
}

export interface Counts {
  drafts: number;
  correct: number;
  labels: number;
  found: number;
  /** Drafts on a line that carries a judgment label. */
  onLabelled: number;
  /** Drafts whose cell, ignoring the sign, is a labelled cell of their line. */
  cellMatch: number;
  signOk: number;
  /** Sum of |draft strength − label strength| over correct drafts, and their number. */
  strengthErr: number;
  strengthN: number;
  gapLabels: number;
  gapFound: number;
  metaFields: number;
  metaOk: number;
}
export interface ArticleScore {
  file: string;
  counts: Counts;
  /** Per draft: the label it matches (index into judgments) or -1. */
  verdicts: number[];
  /** Indexes of the labels no draft found. */
  missed: number[];
  metadata: { field: MetaField; expected: string | null; got: string | null; ok: boolean }[];
}

export const zero = (): Counts => ({
  drafts: 0,
  correct: 0,
  labels: 0,
  found: 0,
  onLabelled: 0,
  cellMatch: 0,
  signOk: 0,
  strengthErr: 0,
  strengthN: 0,
  gapLabels: 0,
  gapFound: 0,
  metaFields: 0,
  metaOk: 0,
});

export function add(a: Counts, b: Counts): Counts {
  const out = zero();
  for (const k of Object.keys(out) as (keyof Counts)[]) out[k] = a[k] + b[k];
  return out;
}

const signOf = (n: number): string => (n > 0 ? "+" : n < 0 ? "-" : "0");
const draftLines = (d: DraftLike) => new Set([d.line, ...(d.also ?? []).map((a) => a.line)]);

/** The main cell and the alternatives of a label, each with its signed reading. */
function cells(j: ArticleLabels["judgments"][number]): Cell[] {
  return [{ from: j.from, to: j.to, sign: j.sign }, ...(j.alt ?? [])];
}

const norm = (s: string) =>
  s
    .normalize("NFKC")
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.\s]+$/, "")
    .toLowerCase();

/** A date read in any common form, as YYYY-MM-DD (null when unreadable). */
export function isoDate(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s.trim());
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function sameField(field: MetaField, expected: string | null, got: string | null): boolean {
  if (expected === null || got === null) return expected === got;
  if (field === "date") return isoDate(got) === expected;
  if (field === "url") return got.trim().replace(/\/$/, "") === expected.trim().replace(/\/$/, "");
  // Several authors are the same people however the list is joined: "A, B" is "A and B".
  if (field === "author") {
    const names = (x: string) =>
      norm(x)
        .split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*/)
        .filter(Boolean)
        .sort()
        .join("|");
    return names(got) === names(expected);
  }
  return norm(got) === norm(expected);
}

export function scoreArticle(lab: ArticleLabels, out: ArticleOutput): ArticleScore {
  const c = zero();
  const js = lab.judgments;
  const labelledLines = new Set(js.map((j) => j.line));
  const found = new Set<number>();
  const verdicts = out.drafts.map((d) => {
    c.drafts++;
    const lines = draftLines(d);
    if ([...lines].some((l) => labelledLines.has(l))) c.onLabelled++;
    const here = js.map((j, i) => [j, i] as const).filter(([j]) => lines.has(j.line));
    const sameCell = here.flatMap(([j, i]) =>
      cells(j)
        .filter((x) => x.from === d.from && x.to === d.to)
        .map((x) => ({ j, i, sign: x.sign })),
    );
    if (sameCell.length) c.cellMatch++;
    const hit = sameCell.find((x) => x.sign === signOf(d.strength));
    if (!hit) return -1;
    c.signOk++;
    c.correct++;
    c.strengthErr += Math.abs(Math.abs(d.strength) - hit.j.strength);
    c.strengthN++;
    found.add(hit.i);
    // The same draft also finds the other labels it matches on its lines.
    for (const x of sameCell) if (x.sign === signOf(d.strength)) found.add(x.i);
    return hit.i;
  });
  c.labels = js.length;
  c.found = found.size;
  // A sentence offered to read ("no-claim") is no claim without a place.
  const gapLines = new Set(
    out.gaps.filter((g) => (g as { reason?: string }).reason !== "no-claim").map((g) => g.line),
  );
  c.gapLabels = lab.gaps.length;
  c.gapFound = lab.gaps.filter((g) => gapLines.has(g.line)).length;
  const metadata: ArticleScore["metadata"] = [];
  if (lab.metadata) {
    for (const field of META_FIELDS) {
      const expected = lab.metadata[field];
      const raw = out.metadata[field];
      const got = typeof raw === "string" && raw.trim() ? raw.trim() : null;
      const ok = sameField(field, expected, got);
      metadata.push({ field, expected, got, ok });
      c.metaFields++;
      if (ok) c.metaOk++;
    }
  }
  const missed = js.map((_, i) => i).filter((i) => !found.has(i));
  return { file: lab.file, counts: c, verdicts, missed, metadata };
}

/** Wilson score interval (95 %: z = 1.96) for k successes out of n; [0, 1] when n = 0. */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface Figures {
  precision: number | null;
  recall: number | null;
  mapping: number | null;
  sign: number | null;
  strengthError: number | null;
  gapRecall: number | null;
  metadata: number | null;
  precisionCI: [number, number];
  recallCI: [number, number];
}

const ratio = (k: number, n: number) => (n ? k / n : null);

export function figures(c: Counts): Figures {
  return {
    precision: ratio(c.correct, c.drafts),
    recall: ratio(c.found, c.labels),
    mapping: ratio(c.correct, c.onLabelled),
    sign: ratio(c.signOk, c.cellMatch),
    strengthError: ratio(c.strengthErr, c.strengthN),
    gapRecall: ratio(c.gapFound, c.gapLabels),
    metadata: ratio(c.metaOk, c.metaFields),
    precisionCI: wilson(c.correct, c.drafts),
    recallCI: wilson(c.found, c.labels),
  };
}

/** Only the drafts at or above a confidence; null when a draft carries no confidence. */
export function cutByConfidence(out: ArticleOutput, min: number): ArticleOutput | null {
  if (out.drafts.some((d) => typeof d.confidence !== "number")) return null;
  return { ...out, drafts: out.drafts.filter((d) => (d.confidence as number) >= min) };
}
