// Clauses of a text and what each says, read off wink-nlp's tokens, lemmas and part-of-speech
// tags (its English lite model ships in the npm package; nothing is downloaded):
//
// - clause boundaries: punctuation (, ; : — ( )), subordinators (if, because, while, which …),
//   "but", and "and"/"or" when both sides have a verb of their own;
// - per clause, the negation cues (lexicon.ts NEGATORS: "not", "no", "never", "without",
//   "fail to", "stop short of" …) and the first modal verb ("will", "could" …): negation and
//   modality belong to their own clause, not to the sentence;
// - the clause's terms for mapping: lexicon concepts ("@strike" for attack/strike/bomb …) and
//   the lemmas of its content words; the object of an intent verb ("threatens to attack")
//   stays out, since the clause says a threat, not the act.
//
// Never throws: an empty or odd text gives no tokens and one empty clause.
import {
  CONCEPT_OF,
  INTENT_VERBS,
  MAX_PHRASE,
  MODALS,
  NEGATORS,
  PROBABILITY_NOUNS,
  SPLIT_PHRASES,
  STOP,
} from "./lexicon.js";
import { pipeline } from "./nlp.js";

export interface Tok {
  value: string;
  lemma: string;
  /** Porter stem of the lemma (wink's `its.stem`): "regional" and "region" meet. */
  stem: string;
  pos: string;
  start: number;
  end: number;
}

export interface Clause {
  /** Token range [from, to). */
  from: number;
  to: number;
  start: number;
  end: number;
  /** Negation cues found, as written (lemma phrases). */
  negations: string[];
  /** Token index of each negation cue (parallel to `negations`). */
  negationAt: number[];
  modal?: { words: string; strong: boolean };
}

export interface Analysis {
  text: string;
  tokens: Tok[];
  clauses: Clause[];
}

const SPLIT_PUNCT = /^[,;:—–()[\]"“”]$/;
const SUBORDINATORS = new Set([
  "if",
  "unless",
  "because",
  "while",
  "whereas",
  "although",
  "though",
  "when",
  "once",
  "since",
  "which",
  "who",
  "whom",
  "where",
  "until",
  "before",
  "after",
  "so",
]);
const VERBISH = new Set(["VERB", "AUX"]);

export function tokenize(text: string): Tok[] {
  if (!text || text.trim() === "") return [];
  const nlp = pipeline();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  // biome-ignore lint/suspicious/noExplicitAny: its.lemma is typed for addons the lite model has built in
  const lemmas = doc.tokens().out(its.lemma as any) as string[];
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const stems = doc.tokens().out(its.stem as any) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const out: Tok[] = [];
  let cursor = 0;
  values.forEach((v, i) => {
    let at = text.indexOf(v, cursor);
    if (at < 0 || at - cursor > 40) at = cursor;
    const end = Math.min(text.length, at + v.length);
    out.push({
      value: v,
      lemma: (lemmas[i] ?? v).toLowerCase(),
      stem: (stems[i] ?? v).toLowerCase(),
      pos: pos[i] ?? "X",
      start: at,
      end,
    });
    cursor = end;
  });
  // A common word capitalised at the start of a sentence or label is tagged a proper noun with
  // its plural kept ("Sanctions maintained"): when its lower-case form is a lexicon word, it is one.
  out.forEach((t, i) => {
    if (t.pos !== "PROPN" || (i > 0 && !/^[.!?:;"“(]$/.test(out[i - 1].value))) return;
    const low = t.value.toLowerCase();
    const base = [low, low.replace(/ies$/, "y"), low.replace(/(?<!s)s$/, "")].find((w) => CONCEPT_OF.has(w));
    if (base) {
      t.lemma = base;
      t.pos = "NOUN";
    }
  });
  // Rejoin hyphenated words that the tokenizer splits ("de-escalation", "multi-front").
  const joined: Tok[] = [];
  for (let i = 0; i < out.length; i++) {
    const t = out[i];
    const prev = joined[joined.length - 1];
    const next = out[i + 1];
    if (
      t.value === "-" &&
      prev &&
      next &&
      prev.end === t.start &&
      t.end === next.start &&
      /\p{L}$/u.test(prev.value)
    ) {
      joined[joined.length - 1] = {
        value: `${prev.value}-${next.value}`,
        lemma: `${prev.lemma}-${next.lemma}`,
        stem: `${prev.lemma}-${next.stem}`,
        pos: next.pos,
        start: prev.start,
        end: next.end,
      };
      i++;
    } else joined.push(t);
  }
  return joined;
}

/** Lemma phrase at token i matching one of `phrases` (longest first), as its word count, or 0. */
function phraseAt(ts: Tok[], i: number, phrases: Set<string>, max: number): number {
  for (let n = Math.min(max, ts.length - i); n >= 1; n--) {
    const p = ts
      .slice(i, i + n)
      .map((t) => t.lemma)
      .join(" ");
    if (phrases.has(p)) return n;
  }
  return 0;
}

const NEG_SET = new Set(NEGATORS);
const NEG_MAX = Math.max(...NEGATORS.map((n) => n.split(" ").length));
const MODAL_SET = new Set(MODALS.map((m) => m.words));
const PHRASES = new Set(CONCEPT_OF.keys());

/** Splits the tokens into clauses. */
function split(ts: Tok[]): { from: number; to: number }[] {
  const cuts: number[] = [0];
  for (let i = 1; i < ts.length; i++) {
    const t = ts[i];
    if (t.pos === "PUNCT" && SPLIT_PUNCT.test(t.value)) cuts.push(i);
    else if ((t.pos === "SCONJ" || t.lemma === "which" || t.lemma === "who") && SUBORDINATORS.has(t.lemma))
      cuts.push(i);
    else if (t.pos === "CCONJ" && t.lemma === "but") cuts.push(i);
    else if (t.pos === "CCONJ" && (t.lemma === "and" || t.lemma === "or")) {
      const prev = cuts[cuts.length - 1];
      let next = ts.findIndex(
        (x, k) => k > i && ((x.pos === "PUNCT" && SPLIT_PUNCT.test(x.value)) || x.pos === "SCONJ"),
      );
      if (next < 0) next = ts.length;
      const verbBefore = ts.slice(prev, i).some((x) => VERBISH.has(x.pos));
      const verbAfter = ts.slice(i + 1, next).some((x) => VERBISH.has(x.pos));
      if (verbBefore && verbAfter) cuts.push(i);
    }
  }
  cuts.push(ts.length);
  const out: { from: number; to: number }[] = [];
  for (let k = 0; k + 1 < cuts.length; k++)
    if (cuts[k + 1] > cuts[k]) out.push({ from: cuts[k], to: cuts[k + 1] });
  return out;
}

/** Negation cues and the first modal of tokens [from, to). */
export function scope(
  ts: Tok[],
  from: number,
  to: number,
): Pick<Clause, "negations" | "negationAt" | "modal"> {
  const negations: string[] = [];
  const negationAt: number[] = [];
  let modal: Clause["modal"];
  for (let i = from; i < to; i++) {
    const n = failsDeal(ts, i, to) ? 0 : phraseAt(ts.slice(0, to), i, NEG_SET, NEG_MAX);
    if (n > 0) {
      negationAt.push(i);
      negations.push(
        ts
          .slice(i, i + n)
          .map((t) => t.lemma)
          .join(" "),
      );
      i += n - 1;
      continue;
    }
    if (!modal) {
      const m = phraseAt(ts.slice(0, to), i, MODAL_SET, 3);
      const words = m
        ? ts
            .slice(i, i + m)
            .map((t) => t.lemma)
            .join(" ")
        : "";
      if (m && (ts[i].pos === "AUX" || ts[i].pos === "VERB" || words.includes("likely")))
        modal = MODALS.find((x) => x.words === words);
    }
  }
  return { negations, negationAt, modal };
}

export function analyse(text: string): Analysis {
  const tokens = tokenize(text);
  const clauses: Clause[] = split(tokens).map(({ from, to }) => ({
    from,
    to,
    start: tokens[from].start,
    end: tokens[to - 1].end,
    ...scope(tokens, from, to),
  }));
  if (clauses.length === 0) clauses.push({ from: 0, to: 0, start: 0, end: 0, negations: [], negationAt: [] });
  return { text, tokens, clauses };
}

/**
 * The clauses overlapping the character range [start, end), each cut to its tokens inside the
 * range (so a claim's condition never borrows the negation or modal of its consequence).
 */
export function clausesIn(a: Analysis, start: number, end: number): Clause[] {
  const out: Clause[] = [];
  for (const c of a.clauses) {
    if (c.end <= start || c.start >= end) continue;
    let from = c.from;
    let to = c.to;
    while (from < to && a.tokens[from].start < start) from++;
    while (to > from && a.tokens[to - 1].end > end) to--;
    if (to <= from) continue;
    out.push({
      from,
      to,
      start: a.tokens[from].start,
      end: a.tokens[to - 1].end,
      ...scope(a.tokens, from, to),
    });
  }
  return out;
}

/**
 * Nominal negators deny only the noun phrase they introduce ("talks *without a result*", "*no*
 * wider war", "*less* need of"), unlike a negated verb ("would *not* stop"), which denies the
 * whole clause.
 */
export const NOMINAL_NEGATORS = new Set(["no", "without", "absent", "less", "fewer", "neither", "nor"]);

/**
 * The negations of clause `c` that bear on the terms at token indices `at`: every verbal one, and
 * a nominal one only when one of the terms lies in its scope (up to the next punctuation,
 * conjunction or subordinator).
 */
export function negationsOn(ts: Tok[], c: Clause, at: number[]): string[] {
  return c.negations.filter((n, k) => {
    if (!NOMINAL_NEGATORS.has(n)) return true;
    const from = c.negationAt[k];
    let end = from + 1;
    while (end < c.to && !["PUNCT", "SCONJ", "CCONJ"].includes(ts[end].pos)) end++;
    return at.some((i) => i > from && i < end);
  });
}

/** "fail(ure) to" at i whose object (to the clause's end) names a deal. */
export function failsDeal(ts: Tok[], i: number, to: number): boolean {
  if (!((ts[i]?.lemma === "fail" || ts[i]?.lemma === "failure") && ts[i + 1]?.lemma === "to")) return false;
  let k = i + 2;
  while (k < to && !(ts[k].pos === "PUNCT" || ts[k].pos === "SCONJ" || ts[k].pos === "CCONJ")) k++;
  return terms(ts, i + 2, k).some((o) => o.term === "@deal");
}

export interface Term {
  term: string;
  /** Its weight in the clause: 1.5 a lexicon concept, 1 a noun or verb, 0.5 a modifier. */
  w: number;
  /** Token index where it starts. */
  at: number;
}

/**
 * Mapping terms of tokens [from, to): lexicon concepts (longest phrase first), else the lemma of
 * a content word. Negation cues and modals are not terms; the object of an intent verb is skipped
 * ("threaten to attack" gives @threat only). With `markNegated` (a model's own state texts), a
 * term just after a negation cue is marked "!term" ("without a consensus" is not a deal).
 */
export function terms(ts: Tok[], from = 0, to = ts.length, markNegated = false): Term[] {
  const out: Term[] = [];
  const win = ts.slice(0, to);
  let negUntil = -1;
  const push = (term: string, at: number, w: number) =>
    out.push({ term: markNegated && at <= negUntil ? `!${term}` : term, at, w });
  for (let i = from; i < to; i++) {
    const neg = failsDeal(ts, i, to) ? 0 : phraseAt(win, i, NEG_SET, NEG_MAX);
    if (neg > 0) {
      negUntil = i + neg + 2;
      i += neg - 1;
      continue;
    }
    const t = ts[i];
    // "according to" attributes a claim; its lemma ("accord") is no agreement.
    if (t.value.toLowerCase() === "according" && ts[i + 1]?.lemma === "to") {
      i++;
      continue;
    }
    if (INTENT_VERBS.has(t.lemma)) {
      push(CONCEPT_OF.get(t.lemma) ?? t.lemma, i, 1.5);
      // Skip "to <verb> …" up to the next noun phrase's end: the intended act.
      if (ts[i + 1]?.lemma === "to" || ts[i + 1]?.lemma === "of") {
        let k = i + 2;
        while (k < to && !(ts[k].pos === "PUNCT" || ts[k].pos === "SCONJ" || ts[k].pos === "CCONJ")) k++;
        i = k - 1;
      }
      continue;
    }
    // "fail(ure) to reach a deal" is the collapse of talks, not a negated deal.
    if (failsDeal(ts, i, to)) {
      push("@collapse", i, 1.5);
      while (i + 1 < to && !["PUNCT", "SCONJ", "CCONJ"].includes(ts[i + 1].pos)) i++;
      continue;
    }
    // A verb that raises or lowers a probability ("reduce the risk of war") is an operator.
    if (
      (t.pos === "VERB" || t.pos === "ADJ") &&
      ts.slice(i + 1, Math.min(to, i + 4)).some((x) => PROBABILITY_NOUNS.has(x.lemma))
    )
      continue;
    // The first phrase with a gap that starts here and whose last word follows within its gap.
    let split: [number, string] | undefined;
    for (const [first, last, gap, concept] of SPLIT_PHRASES) {
      if (first !== t.lemma) continue;
      const k = ts.slice(i + 1, Math.min(to, i + gap + 2)).findIndex((x) => x.lemma === last);
      const at = i + 1 + k;
      if (k >= 0 && (last !== "light" || ts[at - 1]?.lemma === "green")) {
        split = [at, concept];
        break;
      }
    }
    if (split) {
      push(split[1], i, 1.5);
      i = split[0];
      continue;
    }
    const n = phraseAt(win, i, PHRASES, MAX_PHRASE);
    if (n > 0) {
      const p = ts
        .slice(i, i + n)
        .map((x) => x.lemma)
        .join(" ");
      push(CONCEPT_OF.get(p)!, i, 1.5);
      i += n - 1;
      continue;
    }
    // A hyphenated word is its phrase: "drawn-out" is "drawn out", "stand-off" "stand off".
    const spaced = t.value.includes("-")
      ? CONCEPT_OF.get(t.value.toLowerCase().replace(/-/g, " "))
      : undefined;
    if (spaced) {
      push(spaced, i, 1.5);
      continue;
    }
    if (!["NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM"].includes(t.pos)) continue;
    const lemma = t.lemma.replace(/['’]s$/, "");
    if (
      lemma.length < 2 ||
      STOP.has(lemma) ||
      PROBABILITY_NOUNS.has(lemma) ||
      NEG_SET.has(lemma) ||
      MODAL_SET.has(lemma)
    )
      continue;
    if (!/\p{L}/u.test(lemma)) continue;
    push(
      t.stem.replace(/['’]s$/, ""),
      i,
      t.pos === "NOUN" || t.pos === "VERB" || t.pos === "PROPN" ? 1 : 0.5,
    );
  }
  return out;
}
