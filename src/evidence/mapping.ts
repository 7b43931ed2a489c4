// Mapping one side of a claim (a condition or a consequence) to the model's states by meaning.
//
// Each state is a bag of terms (clauses.ts `terms`: lexicon concepts and content lemmas) drawn
// from its label, description and keywords; each factor a bag from its name, description and
// keywords. A clause scores a state by weighted overlap: every shared term counts its weight in
// the state's text (keyword 1, label 1, description 0.6) times its idf over the model's own
// state texts (a term every state has says nothing) and its weight in the clause (a lexicon
// concept 1.5, a noun or verb 1, a modifier 0.5), plus half the factor's own overlap. Actor
// names are no terms: they attribute the event instead. When a clause names an actor as the
// agent ("a unilateral Israeli strike", "Washington's sanctions"; not "a strike on Iran"), the
// factors that actor owns (factors[].owners) are favoured and factors owned only by others are
// discounted.
//
// Per clause of the side, its best state is kept when the score reaches MIN_SCORE and beats the
// factor's next state by MARGIN (relative); one state per factor (its best clause's).
// The clause that carried the winning state is returned too: its negation and modal are the
// side's (clauses.ts).
import type { Model } from "../model/types.js";
import {
  type Analysis,
  type Clause,
  clausesIn,
  NOMINAL_NEGATORS,
  negationsOn,
  type Term,
  terms,
  tokenize,
} from "./clauses.js";
import { buildMatcher, findActors, type Matcher, raw } from "./detect.js";
import {
  ABATE,
  CONCEPT_OF,
  DECREASE,
  INTENSIFY,
  NEG_RAISING,
  PROBABILITY_NOUNS,
  SAYING_VERBS,
  SMALL_ODDS,
} from "./lexicon.js";
import { properNames } from "./nlp.js";

export const MIN_SCORE = 2.2;
export const MARGIN = 0.15;
/** Score factors for a factor the clause's agent owns, and for one owned only by others. */
export const OWNER_BONUS = 1.25;
export const OTHER_OWNER = 0.5;

interface Doc {
  weights: Map<string, number>;
}

export interface MappingIndex {
  model: Model;
  matcher: Matcher;
  /** `single`: the state's one-word keywords and label, as terms ("collapse"). */
  /** `id`: `factor=state`. */
  states: { id: string; factor: string; state: string; doc: Doc; single: Set<string> }[];
  factors: Map<string, Doc>;
  /** Each factor's one-word keywords, as terms: the words that name it alone. */
  factorSingles: Map<string, Set<string>>;
  idfState: Map<string, number>;
  /** In how many states' labels or keywords (not descriptions) each term occurs. */
  keyState: Map<string, number>;
  idfFactor: Map<string, number>;
  actorWords: Set<string>;
  knownNames: string[];
}

export interface StatePick {
  /** `factor=state`. */
  id: string;
  factor: string;
  score: number;
  /** Relative lead over the factor's next state (0–1). */
  margin: number;
  clause: Clause;
  /** The actors the clause names as agents. */
  agents: string[];
  /** Verbs of decrease in the clause that flip the sign (lexicon.ts DECREASE). */
  decreases: string[];
  /** The clause's negations that bear on this state's words (clauses.ts negationsOn). */
  negations: string[];
}

export interface SideMapping {
  picks: StatePick[];
  /** Factors the side speaks of (by their own words or an owner agent) with no state chosen. */
  factorsOnly: string[];
  agents: string[];
  /** Proper names in the side that are no actor of the model. */
  unknownNames: string[];
  /**
   * Every state some clause of the side shares a term with, best score first (its best clause's
   * score, before MIN_SCORE, MARGIN and the one-shared-word rule): the candidates a reviewer
   * chooses from when no state, or the wrong one, was picked. At most RANKED long.
   */
  ranked: { id: string; score: number }[];
}

/** How many candidate states a side offers a reviewer (SideMapping.ranked). */
export const RANKED = 5;

/**
 * Adds a text's terms to a document at `weight`. A keyword `phrase` of n terms gives each 1/√n of
 * it: "resume enrichment" says less of "enrichment" alone than the one-word keyword "breakout"
 * says of a breakout.
 */
function addText(
  doc: Doc,
  text: string | undefined,
  weight: number,
  drop: Set<string>,
  phrase = false,
): void {
  if (!text) return;
  const ts = terms(tokenize(text), 0, undefined, true).filter((t) => !drop.has(t.term));
  const n = new Set(ts.map((t) => t.term)).size;
  const w = phrase && n > 1 ? weight / Math.sqrt(n) : weight;
  for (const t of ts) doc.weights.set(t.term, Math.max(doc.weights.get(t.term) ?? 0, w));
}

function df(docs: Doc[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of docs) for (const t of d.weights.keys()) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

function idf(docs: Doc[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [t, n] of df(docs)) out.set(t, Math.log(1 + docs.length / n));
  return out;
}

/** The terms of the phrases that are one term long ("collapse", "talks"; not "technical support"). */
function singles(phrases: string[], drop: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const k of phrases) {
    const ts = terms(tokenize(k), 0, undefined, true).filter((t) => !drop.has(t.term));
    if (ts.length === 1) out.add(ts[0].term);
  }
  return out;
}

const cache = new WeakMap<Model, MappingIndex>();

export function buildIndex(model: Model): MappingIndex {
  const hit = cache.get(model);
  if (hit) return hit;
  const actorWords = new Set<string>();
  const knownNames: string[] = [];
  for (const a of model.actors)
    for (const n of [a.name, ...a.aliases]) {
      knownNames.push(n.toLowerCase());
      if (!/\s/.test(n.trim())) for (const t of tokenize(n)) actorWords.add(t.stem);
    }
  const states: MappingIndex["states"] = [];
  const factors = new Map<string, Doc>();
  const factorSingles = new Map<string, Set<string>>();
  for (const f of model.factors) {
    const fd: Doc = { weights: new Map() };
    addText(fd, f.name, 1, actorWords);
    addText(fd, f.description, 0.6, actorWords);
    for (const k of f.keywords) addText(fd, k, 1, actorWords);
    factors.set(f.id, fd);
    factorSingles.set(f.id, singles(f.keywords, actorWords));
    for (const s of f.states) {
      const d: Doc = { weights: new Map() };
      addText(d, s.label, 1, actorWords);
      addText(d, s.description, 0.6, actorWords);
      for (const k of s.keywords) addText(d, k, 1, actorWords, true);
      states.push({
        id: `${f.id}=${s.id}`,
        factor: f.id,
        state: s.id,
        doc: d,
        single: singles([s.label, ...s.keywords], actorWords),
      });
    }
  }
  const index: MappingIndex = {
    model,
    matcher: buildMatcher(model),
    states,
    factors,
    factorSingles,
    idfState: idf(states.map((s) => s.doc)),
    keyState: df(states.map((s) => ({ weights: new Map([...s.doc.weights].filter(([, w]) => w >= 1)) }))),
    idfFactor: idf([...factors.values()]),
    actorWords,
    knownNames,
  };
  cache.set(model, index);
  return index;
}

function overlap(ts: Term[], doc: Doc, idfs: Map<string, number>): number {
  const clause = new Map<string, number>();
  for (const t of ts) clause.set(t.term, Math.max(clause.get(t.term) ?? 0, t.w));
  let s = 0;
  for (const [t, cw] of clause) {
    const w = doc.weights.get(t);
    if (w) s += cw * w * (idfs.get(t) ?? 0);
  }
  return s;
}

const SET_ASIDE = new Set(["not just", "not only", "not merely", "not simply", "rather than", "instead of"]);

const EXPERIENCER =
  /\b(news|blow|boon|gift|setback|win|victory|defeat|loss|windfall|headache|opportunity|opening|advantage|bonus|problem|better|worse|good|bad)\s+(?:for|to)\s+(?:the\s+)?$/i;
const PATIENT = /\b(on|against|at|towards?|into|over|from|in|of|with|by|for)\s+(the\s+|its\s+)?$/i;
/** The object of a verb of attack is its target: "attack American forces", "hit US bases". */
const TARGET =
  /\b(attack|attacks|attacked|attacking|strike|strikes|struck|striking|hit|hits|hitting|bomb|bombs|bombed|bombing|target|targets|targeted|targeting|raid|raids|raided|shell|shells|shelled|ambush|ambushed)\s+(the\s+|its\s+|their\s+)?$/i;

/**
 * Actors a text names as agents, as actor ids: those before its first main verb (the subject,
 * or the adjective or possessive of an event noun: "a unilateral Israeli strike", "Washington's
 * sanctions"), else any not after "on/against/…" ("a strike on Iran" is no act of Iran's).
 */
export function agentsIn(index: MappingIndex, text: string, verbAt = -1): string[] {
  // An actor's name inside a factor's or state's own keyword ("the Oman talks") names the
  // factor, not an agent.
  const named = [...raw(index.matcher, text, "factor"), ...raw(index.matcher, text, "state")];
  const inside = (m: { start: number; end: number }) =>
    named.some((k) => k.start <= m.start && k.end >= m.end && k.end - k.start > m.end - m.start);
  const ms = findActors(index.matcher, text).filter((m) => !inside(m));
  // A name after "on/against/in/…" is the patient or the place ("a strike on Iran", "a deal in
  // Muscat"), even before the verb.
  // A possessor after "of" is an agent: "what is left of Hezbollah's rockets" (but not after
  // "on": "a strike on Iran's sites").
  const free = ms.filter(
    (m) =>
      (!PATIENT.test(text.slice(0, m.start)) && !TARGET.test(text.slice(0, m.start))) ||
      // "bad news for the Kremlin", "a boon to Moscow": the party it happens to.
      EXPERIENCER.test(text.slice(0, m.start)) ||
      (/\bof\s+(the\s+)?$/i.test(text.slice(0, m.start)) &&
        (/^['’]s\b/.test(text.slice(m.end)) || /['’]s$/.test(text.slice(m.start, m.end)))),
  );
  const subject = verbAt >= 0 ? free.filter((m) => m.end <= verbAt) : [];
  const pool = subject.length ? subject : free;
  return [...new Set(pool.map((m) => m.id))];
}

/** Nouns that stand for a group named before them: "the group", "the movement", "the militia". */
const GROUP_NOUNS = new Set([
  "group",
  "movement",
  "militia",
  "party",
  "organisation",
  "organization",
  "rebel",
  "guerrilla",
]);

function clauseAgents(index: MappingIndex, a: Analysis, c: Clause): string[] {
  const verb = a.tokens.slice(c.from, c.to).find((t) => t.pos === "VERB");
  // "Tehran won't see a dollar of relief", "Iran would receive relief": the subject of a verb of
  // receiving is who it happens to, not who acts; what it gets is another's to give.
  if (verb && RECEIVE.has(verb.lemma)) return [];
  const named = agentsIn(index, a.text.slice(c.start, c.end), verb ? verb.start - c.start : -1);
  if (named.length) return named;
  // "the group is more likely to keep rebuilding", "the movement's operations": the armed group
  // named last before the clause in the paragraph.
  const head = a.tokens
    .slice(c.from, c.to)
    .find(
      (t, k, all) =>
        GROUP_NOUNS.has(t.lemma) && t.pos === "NOUN" && /^(the|its|their)$/i.test(all[k - 1]?.value ?? ""),
    );
  if (!head) return [];
  const before = findActors(index.matcher, a.text.slice(0, head.start)).filter(
    (m) => index.model.actors.find((x) => x.id === m.id)?.kind === "non-state",
  );
  const last = before.sort((x, y) => y.start - x.start)[0];
  return last ? [last.id] : [];
}

/**
 * Actors a clause names by a factor's keyword that stands for its owner, as a group ("the
 * Iraqi factions", "the militias") or as a country ("Lebanon"): the keyword names the factor, and
 * its owner as the agent.
 * Only keywords of an armed group (lexicon `@armed`); the agent is the factor's first owner.
 */
function groupAgents(index: MappingIndex, a: Analysis, c: Clause): string[] {
  const text = a.text.slice(c.start, c.end);
  const out: string[] = [];
  for (const m of raw(index.matcher, text, "factor")) {
    const f = index.model.factors.find((x) => x.id === m.id);
    if (!f || f.owners.length === 0) continue;
    const kw = text.slice(m.start, m.end);
    const words = terms(tokenize(kw));
    if (words.some((t) => t.term === "@armed")) out.push(f.owners[0]);
    // A country that stands for its armed movement ("drag Lebanon back into the fighting"): a
    // one-word capitalised keyword, a place name rather than an adjective, of a factor with one
    // non-state owner.
    else if (
      /^\p{Lu}\p{Ll}+$/u.test(kw) &&
      !/(ese|i|ian|an|s)$/.test(kw) &&
      f.owners.length === 1 &&
      index.model.actors.find((x) => x.id === f.owners[0])?.kind === "non-state" &&
      !index.knownNames.includes(kw.toLowerCase())
    )
      out.push(f.owners[0]);
  }
  return out;
}

/** A state that is itself a decrease: its text has the @lose or @calm concept ("Scaled back"). */
const isLower = (doc: Doc) => doc.weights.has("@lose") || doc.weights.has("@calm");

/** A factor's lower states (isLower). */
function lowerStates(index: MappingIndex, factor: string): string[] {
  return index.states.filter((s) => s.factor === factor && isLower(s.doc)).map((s) => s.id);
}

/** A factor's higher states: those whose text has the @escalation concept ("Escalation"). */
function higherStates(index: MappingIndex, factor: string): string[] {
  return index.states.filter((s) => s.factor === factor && s.doc.weights.has("@escalation")).map((s) => s.id);
}

/**
 * The verb of the clause that ends or abates an activity (lexicon.ts ABATE: "end", "tail off"),
 * or with `words` another set of such verbs (INTENSIFY), unless the state's own text has that
 * word ("end" is the talks' collapse).
 */
function abating(
  a: Analysis,
  c: Clause,
  ts: Term[],
  doc: Doc,
  words: Set<string> = ABATE,
): { word: string; at: number } | undefined {
  for (let k = c.from; k < c.to; k++) {
    const t = a.tokens[k];
    // The lite model tags a verb after an aside or a modal as a noun or adjective now and then
    // ("would not, of itself, end Houthi attacks", "would slow the tempo"): such a word counts
    // when an object follows and no determiner or preposition comes before ("the end of").
    const before = a.tokens[k - 1]?.pos;
    const verbal =
      t.pos === "VERB" ||
      (t.pos === "AUX" && words.has(`${t.lemma} ${a.tokens[k + 1]?.lemma ?? ""}`)) ||
      ((t.pos === "NOUN" || t.pos === "ADJ") &&
        !["DET", "ADJ", "ADP", "NUM", "PRON"].includes(before ?? "") &&
        ["DET", "PROPN", "NOUN"].includes(a.tokens[k + 1]?.pos ?? ""));
    // "bring attacks on shipping to an end", "come to a halt": the noun after "to a(n)".
    const brought =
      words === ABATE &&
      /^(end|halt|stop|standstill)$/.test(t.lemma) &&
      /^an?$/i.test(a.tokens[k - 1]?.value ?? "") &&
      a.tokens[k - 2]?.lemma === "to";
    const pair = `${t.lemma} ${a.tokens[k + 1]?.lemma ?? ""}`;
    let word: string | undefined;
    if (brought) word = t.lemma;
    else if (verbal) word = words.has(pair) && k + 1 < c.to ? pair : words.has(t.lemma) ? t.lemma : undefined;
    if (!word) continue;
    if (ts.some((x) => x.at === k && doc.weights.has(x.term))) continue;
    return { word, at: k };
  }
  return undefined;
}

/** No state's text: `abating` then looks at the verbs alone. */
const NO_DOC: Doc = { weights: new Map() };

/** Verbs of receiving: their subject gets what another gives. */
const RECEIVE = new Set(["see", "receive"]);

/** Whether the clause denies the pick's state (an odd number of negations on its words). */
const isDenied = (p: StatePick) => p.negations.length % 2 === 1;

/** Called per clause with its agents and its candidate states' scores (bench/ingest/debug-line.ts). */
export type MapTrace = (
  clause: string,
  agents: string[],
  scores: Map<string, { id: string; score: number }[]>,
) => void;

/**
 * An attribution set off as a clause of its own: at most five words, its one verb a verb of
 * saying, nothing after it but who is told ("it warned", "analysts say", "he told reporters"),
 * between punctuation on both sides.
 */
function attribution(a: Analysis, c: Clause): boolean {
  const words = a.tokens.slice(c.from, c.to).filter((t) => t.pos !== "PUNCT");
  if (words.length < 2 || words.length > 5) return false;
  const verbs = words.filter((t) => t.pos === "VERB" || t.pos === "AUX");
  if (verbs.length !== 1 || !SAYING_VERBS.has(verbs[0].lemma)) return false;
  const before = a.text.slice(0, words[0].start).trimEnd();
  const after = a.text.slice(words[words.length - 1].end).trimStart();
  return /[,—–(]$/.test(before) && /^[,—–)]/.test(after);
}

/**
 * Maps the part [start, end) of an analysed sentence to states. `exclude`: factors the side may
 * not name (a consequence never names its condition's factor: "an agreement would push the party
 * into politics" is about the party).
 */

export function mapSide(
  index: MappingIndex,
  a: Analysis,
  start: number,
  end: number,
  opts: { exclude?: string[]; trace?: MapTrace } = {},
): SideMapping {
  const { exclude = [], trace } = opts;
  // "A failure in Rome, it warned, would …": the attribution is no part of the side.
  const clauses = clausesIn(a, start, end).filter((c) => !attribution(a, c));
  const sideText = a.text.slice(start, end);
  const agentsOf = clauses.map((c) => clauseAgents(index, a, c));
  const agents = [...new Set(agentsOf.flat())];
  const best = new Map<string, StatePick & { second: number }>();
  const clauseBest: StatePick[] = [];
  const factorScore = new Map<string, number>();
  /** Each state's best score over the side's clauses (SideMapping.ranked). */
  const scored = new Map<string, number>();
  // Actor names are no terms, whole names included: "United States" says nothing of unity.
  const named = findActors(index.matcher, a.text);
  const inName = (at: number) =>
    named.some((m) => a.tokens[at].start >= m.start && a.tokens[at].start < m.end);
  const listed: string[] = [];
  const pendingNeg: string[] = [];
  let earlier: string[] = [];
  for (const [ci, c] of clauses.entries()) {
    // the clause's words, punctuation left out
    const words = a.tokens.slice(c.from, c.to).filter((t) => t.pos !== "PUNCT");
    // ", not just more rhetoric", "rather than a deal": the alternative set aside, not the claim.
    const lead3 = words
      .slice(0, 2)
      .map((t) => t.lemma)
      .join(" ");
    if (SET_ASIDE.has(lead3)) continue;
    // "according to a retired general", "officials said": who says it, not what is said.
    if (lead3 === "accord to" || lead3 === "according to") continue;
    // "more likely to slow the process down than to walk out", "a ceiling rather than zero": what
    // follows "than" is the alternative set aside.
    const than = a.tokens.findIndex((t, k) => k >= c.from && k < c.to && t.lemma === "than");
    const upTo = than > c.from ? than : c.to;
    const ts = terms(a.tokens, c.from, upTo).filter((t) => !index.actorWords.has(t.term) && !inName(t.at));
    const hasVerb = words.some((t) => t.pos === "VERB");
    // A verbless clause's negation goes on to the verb after an aside: "would not, in my
    // assessment, bring Lebanon back into the war".
    if (!hasVerb) pendingNeg.push(...c.negations.filter((n) => !NOMINAL_NEGATORS.has(n)));
    // "could not guarantee that …", "I don't think …": a negated verb of belief or certainty
    // with nothing else denies what its complement says (negation raising), so its negation goes
    // on to the next clause: "could not guarantee that the groups would not act" is a double
    // negative.
    if (
      hasVerb &&
      (ts.length === 0 || words[words.length - 1]?.lemma === "that") &&
      words.some((t) => t.pos === "VERB" && NEG_RAISING.has(t.lemma))
    ) {
      pendingNeg.push(...c.negations.filter((n) => !NOMINAL_NEGATORS.has(n)));
      continue;
    }
    // A verb that steps the clause's activity down or up, whatever state it names.
    const down = abating(a, c, ts, NO_DOC);
    const up = down ? undefined : abating(a, c, ts, NO_DOC, INTENSIFY);
    if (ts.length === 0 && !down && !up) {
      // A clause of names only is the head of a list ("with Hezbollah, the Houthis and …"):
      // its actors are agents of the clause that goes on.
      listed.push(...findActors(index.matcher, a.text.slice(c.start, c.end)).map((m) => m.id));
      continue;
    }
    const carried = hasVerb ? pendingNeg.splice(0) : [];
    const own = [...new Set([...listed, ...agentsOf[ci], ...groupAgents(index, a, c)])];
    listed.length = 0;
    // A clause with no agent of its own goes on with the last one named before it ("Iran keeps
    // enriching and stalls"), never with one named after it.
    const who = own.length ? own : earlier;
    earlier = who;
    // An actor that acts in answer ("Hezbollah may be tempted to act") attacks: the act is read as
    // a strike, and less surely an escalation, of the actor's own factor (the owner weighting
    // below favours it).
    if (who.length)
      for (const t of [...ts])
        if (t.term === "@act") {
          t.term = "@strike";
          ts.push({ term: "@escalation", w: t.w / 2, at: t.at });
        }
    const fScores = new Map<string, number>();
    // Whether the clause names each factor: by a one-word keyword of its own, by two of its
    // words, or as the act of the factor's owner.
    const factorNamed = new Map<string, boolean>();
    for (const [fid, fd] of index.factors) {
      const v = overlap(ts, fd, index.idfFactor);
      fScores.set(fid, v);
      factorScore.set(fid, Math.max(factorScore.get(fid) ?? 0, v));
      const words = new Set(ts.filter((t) => (fd.weights.get(t.term) ?? 0) >= 1).map((t) => t.term));
      const owners = index.model.factors.find((x) => x.id === fid)!.owners;
      const byWords = [...words].some((t) => index.factorSingles.get(fid)!.has(t)) || words.size >= 2;
      factorNamed.set(fid, byWords || (who.length > 0 && owners.some((o) => who.includes(o))));
    }
    const perFactor = new Map<string, { id: string; score: number }[]>();
    for (const s of index.states) {
      if (exclude.includes(s.factor)) continue;
      const own = overlap(ts, s.doc, index.idfState);
      if (own <= 0) continue;
      const f = index.model.factors.find((x) => x.id === s.factor)!;
      // Specificity: one shared word is not enough to name a state unless the clause names its
      // factor too, or the word is a one-word keyword of this state and of no other: "technical
      // support" alone is no Iran–Russia cooperation, "keeps" alone no status quo, but
      // "collapse" is a breakdown.
      const shared = [...new Set(ts.filter((t) => s.doc.weights.has(t.term)).map((t) => t.term))];
      // …but not a verb whose object is a pronoun ("would not stop it"): what is stopped is unknown.
      const onPronoun = ts
        .filter((t) => t.term === shared[0])
        .every((t) => a.tokens[t.at].pos === "VERB" && a.tokens[t.at + 1]?.pos === "PRON");
      const ownWord =
        shared.length === 1 && s.single.has(shared[0]) && index.keyState.get(shared[0]) === 1 && !onPronoun;
      let score = own + 0.5 * (fScores.get(s.factor) ?? 0);
      if (who.length && f.owners.length) score *= f.owners.some((o) => who.includes(o)) ? 1.3 : 0.35;
      // A candidate for the reviewer even when one shared word is too little to pick it.
      scored.set(s.id, Math.max(scored.get(s.id) ?? 0, score));
      if (shared.length < 2 && !factorNamed.get(s.factor) && !ownWord) continue;
      const list = perFactor.get(s.factor) ?? [];
      list.push({ id: s.id, score });
      perFactor.set(s.factor, list);
    }
    // "the Houthis would go further", "the group would not stand down": an agent that owns one
    // factor, a verb that steps an activity up or down, and no word of any state: the factor's
    // one higher or lower state, at the least score that names a state.
    if (who.length === 1) {
      const owned = index.model.factors.filter((f) => f.owners.includes(who[0]));
      const fid = owned.length === 1 ? owned[0].id : undefined;
      if (fid && !perFactor.has(fid) && !exclude.includes(fid)) {
        const target = down ? lowerStates(index, fid) : up ? higherStates(index, fid) : [];
        if (target.length === 1) perFactor.set(fid, [{ id: target[0], score: MIN_SCORE }]);
      }
    }
    trace?.(a.text.slice(c.start, c.end), who, perFactor);
    let top: StatePick | undefined;
    const passing: StatePick[] = [];
    // The factor the clause speaks of most; when its states tie, the clause names none of them
    // rather than a weaker factor's state.
    let lead = 0;
    for (const [, list] of perFactor) lead = Math.max(lead, ...list.map((x) => x.score));
    for (const [fid, list] of perFactor) {
      list.sort((x, y) => y.score - x.score);
      const second = list[1]?.score ?? 0;
      const doc = index.states.find((x) => x.id === list[0].id)!.doc;
      const isDecrease = isLower(doc);
      const decreases: string[] = isDecrease
        ? []
        : a.tokens
            .slice(c.from, c.to)
            .filter(
              (t, k, all) =>
                t.pos !== "ADP" &&
                // A phrasal verb of the lexicon is its own concept: "fall silent", "fall apart".
                !CONCEPT_OF.has(`${t.lemma} ${all[k + 1]?.lemma}`) &&
                (DECREASE.has(t.lemma) ||
                  // "takes away the case for a strike".
                  (t.lemma === "take" && all[k + 1]?.lemma === "away") ||
                  // "lower" tagged an adjective, on a probability: "would lower the chances of war".
                  ((DECREASE.has(t.value.toLowerCase()) || (t.pos === "ADJ" && SMALL_ODDS.has(t.lemma))) &&
                    all.slice(k + 1, k + 4).some((x) => PROBABILITY_NOUNS.has(x.lemma)))),
            )
            .map((t) => t.lemma);
      const matched = ts.filter((t) => doc.weights.has(t.term)).map((t) => t.at);
      // "would not end Houthi attacks", "attacks tail off": the activity's lower state, or a flip.
      // Said of the lower state itself, with that state's word as its object ("would end that
      // quiet"), the verb denies it; "press the Houthis quietly to ease off" affirms it.
      let id = list[0].id;
      const abate = abating(a, c, ts, doc);
      if (abate) {
        const lower = lowerStates(index, fid);
        if (lower.length === 1 && lower[0] !== id) id = lower[0];
        else if (!isDecrease || matched.some((at) => at > abate.at)) decreases.push(abate.word);
      } else if (!doc.weights.has("@escalation") && abating(a, c, ts, doc, INTENSIFY)) {
        const higher = higherStates(index, fid);
        if (higher.length === 1) id = higher[0];
      }
      const pick = {
        id,
        decreases,
        negations: [...carried, ...negationsOn(a.tokens, c, matched)],
        factor: fid,
        score: list[0].score,
        second,
        margin: (list[0].score - second) / list[0].score,
        clause: c,
        agents: who,
      };
      const prev = best.get(fid);
      if (!prev || pick.score > prev.score) best.set(fid, pick);
      if (pick.score >= MIN_SCORE && pick.margin >= MARGIN && (!top || pick.score > top.score)) top = pick;
      if (pick.score >= MIN_SCORE && pick.margin >= MARGIN) passing.push(pick);
    }
    // A state the clause affirms goes before one it denies ("talks drag on without producing
    // limits" are protracted talks, not a denied cap), whatever their scores.
    const affirmed = passing.filter((p) => !isDenied(p)).sort((x, y) => y.score - x.score)[0];
    if (top && affirmed && affirmed !== top && isDenied(top)) top = affirmed;
    else if (top && top.score < lead) top = undefined;
    if (top) clauseBest.push(top);
    // Coordinated agents ("Hezbollah, the Houthis and the Iraqi factions would respond", "the
    // factions in Iraq and Hezbollah remain cautious"): the clause says the same of each, so each
    // agent's own factor gets its state, not only the strongest one.
    if (top && own.length >= 2)
      for (const agent of own) {
        const mine = passing
          .filter(
            (p) => p !== top && index.model.factors.find((x) => x.id === p.factor)!.owners.includes(agent),
          )
          .sort((x, y) => y.score - x.score)[0];
        if (mine && !clauseBest.includes(mine)) clauseBest.push(mine);
      }
  }
  // One state per clause (its best), one per factor (the best of its clauses); a state the side
  // affirms before one it denies ("No deal, talks continue" says the talks go on).
  const picks: StatePick[] = [];
  for (const p of clauseBest.sort((x, y) => Number(isDenied(x)) - Number(isDenied(y)) || y.score - x.score)) {
    if (picks.some((q) => q.factor === p.factor)) continue;
    const { second: _, ...rest } = p as StatePick & { second?: number };
    picks.push(rest);
  }
  const chosen = new Set(picks.map((p) => p.factor));
  const factorsOnly = [...factorScore]
    .filter(([f, v]) => !chosen.has(f) && (v >= MIN_SCORE || (best.get(f)?.score ?? 0) >= MIN_SCORE))
    .map(([f]) => f);
  for (const f of index.model.factors)
    if (
      !chosen.has(f.id) &&
      !factorsOnly.includes(f.id) &&
      f.owners.length === 1 &&
      agents.includes(f.owners[0])
    )
      if ((best.get(f.id)?.score ?? 0) > 0) factorsOnly.push(f.id);
  const unknownNames = properNames(sideText)
    .map((n) => n.replace(/['’]s$/, "").trim())
    .filter((n) => n.length >= 3)
    .filter((n) => {
      const l = n.toLowerCase();
      return !index.knownNames.some((k) => l === k || l.includes(k) || k.includes(l));
    });
  const ranked = [...scored]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .slice(0, RANKED)
    .map(([id, score]) => ({ id, score }));
  return { picks, factorsOnly, agents, unknownNames, ranked };
}
