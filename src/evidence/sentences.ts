// Sentences of a line, with their character offsets, by wink-nlp's English pipeline
// (wink-eng-lite-web-model). A bare list number that wink splits off ("1.") is joined to the
// sentence it numbers. Non-Latin text goes through the same splitter; it never throws.

import { pipeline } from "./nlp.js";

export interface Sentence {
  /** 1-based index within its line. */
  index: number;
  text: string;
  start: number;
  end: number;
}

export function splitSentences(line: string): Sentence[] {
  if (line.trim() === "") return [];
  const doc = pipeline().readDoc(line);
  const texts = doc.sentences().out() as string[];
  const spans: { start: number; end: number }[] = [];
  let cursor = 0;
  for (const t of texts) {
    const s = t.trim();
    if (!s) continue;
    let at = line.indexOf(s, cursor);
    if (at < 0) at = cursor; // wink normalised something: fall back to the running position
    const end = Math.min(line.length, at + s.length);
    spans.push({ start: at, end });
    cursor = end;
  }
  // Join list numbers ("1.", "b)") to the next sentence; cover the line to its end.
  const merged: { start: number; end: number }[] = [];
  for (const sp of spans) {
    const prev = merged[merged.length - 1];
    if (prev && /^\s*(\d{1,3}|[a-z])[.)]\s*$/i.test(line.slice(prev.start, prev.end))) prev.end = sp.end;
    else merged.push({ ...sp });
  }
  if (merged.length === 0) merged.push({ start: 0, end: line.length });
  return merged.map((sp, i) => ({
    index: i + 1,
    text: line.slice(sp.start, sp.end),
    start: sp.start,
    end: sp.end,
  }));
}
