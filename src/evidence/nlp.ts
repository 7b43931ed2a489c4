// The evidence code's one NLP library: wink-nlp with its English lite model
// (wink-eng-lite-web-model), built once on first use. Besides sentences (sentences.ts) it gives
// the gap topics and the unknown names of ingest.ts, both read off wink's part-of-speech tags:
//
// - noun phrases: an optional determiner or possessive, modifiers (adjectives, nouns, numbers,
//   a possessive 's) and a noun head, chained by "of" ("his understanding of power dynamics");
//   bare pronouns are not phrases;
// - proper names: runs of proper nouns, chained by "of"/"for"/"&" ("Joint Comprehensive Plan of
//   Action", "Shafaq News Agency"), outside date/time entities and title-case headings. The lite
//   model has no person or organisation recogniser (its entities are dates, numbers, URLs …), so
//   places and demonyms are among them ("Middle East", "Western").

import model from "wink-eng-lite-web-model";
import winkNLP from "wink-nlp";

let instance: ReturnType<typeof winkNLP> | undefined;

/** The shared wink pipeline: sentence boundaries, entities (dates, times, …) and POS tags. */
export function pipeline(): ReturnType<typeof winkNLP> {
  instance ??= winkNLP(model, ["sbd", "ner", "pos"]);
  return instance;
}

interface Token {
  value: string;
  pos: string;
  /** Spaces before the token in the text (to rebuild a phrase as written). */
  space: string;
  /** Inside a date, time, number or similar entity of wink's recogniser. */
  entity: boolean;
}

function tokens(text: string): Token[] {
  const nlp = pipeline();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const inEntity = new Array<boolean>(values.length).fill(false);
  for (const [a, b] of doc.entities().out(its.span) as unknown as [number, number][])
    for (let i = a; i <= b; i++) inEntity[i] = true;
  return values.map((value, i) => ({ value, pos: pos[i], space: spaces[i] ?? "", entity: inEntity[i] }));
}

const phrase = (ts: Token[], a: number, b: number): string =>
  ts
    .slice(a, b)
    .map((t, i) => (i === 0 ? t.value : t.space + t.value))
    .join("");

const POSSESSIVE = /^(his|her|its|their|our|my|your|whose)$/i;
const isLead = (t: Token) => t.pos === "DET" || (t.pos === "PRON" && POSSESSIVE.test(t.value));
const isHead = (t: Token) => t.pos === "NOUN" || t.pos === "PROPN";
const isModifier = (t: Token) => isHead(t) || t.pos === "ADJ" || t.pos === "NUM";
const isApostropheS = (t: Token) => t.pos === "PART" && /^['’]s?$/i.test(t.value);
/** An unspaced hyphen between two words ("Secretary-General", "U.S.-Iran"). */
const joinsWords = (ts: Token[], j: number) =>
  ts[j].value === "-" && ts[j].space === "" && ts[j + 1]?.space === "" && j > 0;

/**
 * One nominal group from `i`: [lead] (modifier | 's | hyphen)* head. Returns the index after its head,
 * or -1 when there is no noun head.
 */
function nominal(ts: Token[], i: number): number {
  let j = i;
  if (j < ts.length && isLead(ts[j])) j++;
  let end = -1;
  while (j < ts.length) {
    const t = ts[j];
    if (isModifier(t)) {
      j++;
      if (isHead(t)) end = j;
    } else if (
      (isApostropheS(t) || joinsWords(ts, j)) &&
      end === j &&
      j + 1 < ts.length &&
      isModifier(ts[j + 1])
    )
      j++;
    else break;
  }
  return end;
}

/** Noun phrases of a text, in order, as written. */
export function nounPhrases(text: string): string[] {
  if (text.trim() === "") return [];
  const ts = tokens(text);
  const out: string[] = [];
  let i = 0;
  while (i < ts.length) {
    let end = nominal(ts, i);
    if (end < 0) {
      i++;
      continue;
    }
    while (end + 1 < ts.length && ts[end].value.toLowerCase() === "of") {
      const next = nominal(ts, end + 1);
      if (next < 0) break;
      end = next;
    }
    out.push(phrase(ts, i, end));
    i = end;
  }
  return out;
}

const NAME_JOINER = /^(of|for|&)$/i;
const SEGMENT_END = /^[:;—–?!|]$/;
const CONTENT_WORD = new Set(["NOUN", "PROPN", "ADJ", "VERB", "ADV"]);
const FUNCTION_WORD = new Set(["DET", "ADP", "CCONJ", "SCONJ", "PART", "PRON", "AUX"]);

/**
 * Tokens in title-case stretches, i.e. headings and list labels ("Iran’s Deft Hand — A Familiar
 * Dance", "2. Breakdown and Escalation:"): between colons, dashes, question marks …, at least two
 * content words, all capitalised, with a function word among them ("of", "the", "and", a
 * possessive 's) or after a list number ("1. Diplomatic Breakthrough:"). The tagger calls each of
 * their words a proper noun, so they are no evidence of a name; a bare run of capitalised words
 * ("Ahmad Fawad Arsala", a byline) stays a name.
 */
function titleCase(ts: Token[]): boolean[] {
  const out = new Array<boolean>(ts.length).fill(false);
  let a = 0;
  for (let i = 0; i <= ts.length; i++) {
    if (i < ts.length && !(ts[i].pos === "PUNCT" && SEGMENT_END.test(ts[i].value))) continue;
    const words = ts.slice(a, i).filter((t) => CONTENT_WORD.has(t.pos) && /^\p{L}/u.test(t.value));
    const capitalised = words.length >= 2 && words.every((t) => /^\p{Lu}/u.test(t.value));
    const listLabel = ts[a]?.pos === "NUM" && /^[.)]$/.test(ts[a + 1]?.value ?? "");
    if (capitalised && (listLabel || ts.slice(a, i).some((t) => FUNCTION_WORD.has(t.pos))))
      out.fill(true, a, i);
    a = i + 1;
  }
  return out;
}

/**
 * Proper-noun runs of a text (people, organisations, places …), in order, as written: runs of
 * capitalised proper nouns outside date/time entities and title-case stretches, joined by
 * "of"/"for"/"&" or an unspaced hyphen ("Secretary-General Hassan Nasrallah").
 */
export function properNames(text: string): string[] {
  if (text.trim() === "") return [];
  const ts = tokens(text);
  const heading = titleCase(ts);
  const isName = (i: number) =>
    i < ts.length && ts[i].pos === "PROPN" && !ts[i].entity && !heading[i] && /^\p{Lu}/u.test(ts[i].value);
  const out: string[] = [];
  let i = 0;
  while (i < ts.length) {
    if (!isName(i)) {
      i++;
      continue;
    }
    let end = i + 1;
    for (;;) {
      if (isName(end)) end++;
      else if (NAME_JOINER.test(ts[end]?.value ?? "") && isName(end + 1)) end += 2;
      else if (end < ts.length && joinsWords(ts, end) && isName(end + 1)) end += 2;
      else break;
    }
    out.push(phrase(ts, i, end));
    i = end;
  }
  return out;
}
