// Small helpers shared by the loader and the validator: printing paths, parsing shorthands,
// and "did you mean" suggestions.
import { EVIDENCE_PATTERN, LINES_PATTERN, STATE_REF_PATTERN } from "./patterns.js";
import type { Evidence, StateRef } from "./types.js";

export type PathSegment = string | number;

/** `["impacts", 12, "to"]` → `impacts[12].to` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || "(top level)";
}

export function parseStateRef(ref: string): StateRef | undefined {
  const m = STATE_REF_PATTERN.exec(ref);
  return m ? { factor: m[1], state: m[2] } : undefined;
}

export function formatStateRef(ref: StateRef): string {
  return `${ref.factor}=${ref.state}`;
}

export function parseLines(lines: number | string): { from: number; to: number } | undefined {
  if (typeof lines === "number") return { from: lines, to: lines };
  const m = LINES_PATTERN.exec(lines);
  if (!m) return undefined;
  const from = Number(m[1]);
  return { from, to: m[2] === undefined ? from : Number(m[2]) };
}

export function parseEvidence(
  item: string | { source: string; lines: number | string; note?: string },
): Evidence | undefined {
  if (typeof item === "string") {
    const m = EVIDENCE_PATTERN.exec(item);
    if (!m) return undefined;
    const from = Number(m[2]);
    return { source: m[1], from, to: m[3] === undefined ? from : Number(m[3]) };
  }
  const l = parseLines(item.lines);
  if (!l) return undefined;
  return item.note === undefined
    ? { source: item.source, ...l }
    : { source: item.source, ...l, note: item.note };
}

export function formatEvidence(e: Evidence): string {
  return e.from === e.to ? `${e.source}:${e.from}` : `${e.source}:${e.from}-${e.to}`;
}

function levenshtein(a: string, b: string): number {
  const prev = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate to `name`, if it is close enough to be a likely typo. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(name.toLowerCase(), c.toLowerCase());
    const prefix = c.startsWith(name) || name.startsWith(c);
    const score = prefix ? Math.min(d, 1) : d;
    if (score < bestD) {
      bestD = score;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function suggestion(name: string, candidates: Iterable<string>): string {
  const s = didYouMean(name, candidates);
  return s ? ` (did you mean '${s}'?)` : "";
}
