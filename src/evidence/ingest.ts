// From an article to draft judgments: per sentence of the cleaned article text, the model's
// actors, factors and states (detect.ts), the conditional and causal claims (claims.ts), and
// for each claim whose condition names a state of one factor and whose consequence names a
// state of another, a draft impact (from, to, sign, suggested strength, locator) for the
// analyst to accept or reject. Claims that reach no factor are the model's gaps.
//
// Only kept blocks in the model's language are analysed (furniture and blocks in other
// languages are counted and listed, never matched: no mis-attribution on non-Latin scripts).
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { Evidence, Model, Source } from "../model/types.js";
import { type Claim, detectClaims, NEGATIVE_CUES, type Previous } from "./claims.js";
import { type Analysis, analyse, clausesIn } from "./clauses.js";
import type { BlockReport } from "./clean.js";
import { type ConfidenceSignals, combine, confidenceSignals, draftConfidence } from "./confidence.js";
import { buildMatcher, findActors, findFactorsAndStates, type Mention } from "./detect.js";
import type { PreparedDocument } from "./document.js";
import type { DocumentMetadata } from "./html.js";
import { BELIEF_VERBS } from "./lexicon.js";
import { buildIndex, type MappingIndex, mapSide, RANKED } from "./mapping.js";
import { nounPhrases, properNames } from "./nlp.js";
import { judgedCell, relationOf } from "./relation.js";
import { splitSentences } from "./sentences.js";

/** What ingest needs of a document (prepared from a file or read from the store). */
export interface IngestDocument {
  id: string;
  rawSha256?: string;
  fileName?: string | null;
  kind: "text" | "markdown" | "html" | "pdf";
  metadata: DocumentMetadata;
  lines: string[];
  blocks: BlockReport[];
  language: string;
}

/** What ingest needs of a document just prepared from a file (prepareDocument / readDocument). */
export function ingestInput(d: PreparedDocument): IngestDocument {
  return {
    id: d.id,
    rawSha256: d.rawSha256,
    fileName: d.fileName,
    kind: d.kind,
    metadata: d.metadata,
    lines: d.lines,
    blocks: d.clean.blocks,
    language: d.clean.language,
  };
}

export interface SentenceReport {
  line: number;
  sentence: number;
  actors: string[];
  factors: string[];
  states: string[];
  claims: Claim[];
}

export interface Draft {
  /** Short stable id to accept the draft by. */
  id: string;
  from: string;
  to: string;
  strength: number;
  kind: Claim["kind"];
  cue: string;
  modal?: string;
  negated: boolean;
  source: string;
  line: number;
  sentence: number;
  /**
   * `source:line`, ready for the model's evidence list; `source:from-line` when the condition is
   * a question in the paragraph before (`conditionLine`).
   */
  evidence: string;
  /** The line of the paragraph before that holds the condition (a question this line answers). */
  conditionLine?: number;
  /** How sure the reading is (0–1), from the cue, the mapping of both ends and the clauses. */
  confidence: number;
  /** What the confidence is computed from (confidence.ts). */
  signals?: ConfidenceSignals;
  /** Against the model's own judgment of the cell: none yet, same reading, or another one. */
  relation: "new" | "supports" | "contradicts";
  /** When the model already judges this cell: where, how strong, on what evidence. */
  existing?: { path: string; strength: number; evidence: string[]; rationale?: string; author?: string };
  /** Further sentences that make the same claim (merged into this draft). */
  also?: { line: number; sentence: number; evidence: string }[];
  /** The states each side could also be read as, best first (see Candidates). */
  candidates?: Candidates;
  /** Set on a draft whose cell the analyst chose in review (write.ts decidedDraft). */
  reviewed?: boolean;
}

/**
 * The states a claim's condition and consequence could be read as, best first: the picked
 * state, then every other state the side's words scored (mapping.ts SideMapping.ranked), at most
 * RANKED each. A reviewer who finds the wrong cell, or a gap, chooses from them first.
 */
export interface Candidates {
  condition: string[];
  consequence: string[];
}

export interface Gap {
  /** Short stable id to place the gap by (a decision with the cell the reviewer chose). */
  id: string;
  line: number;
  sentence: number;
  kind: Claim["kind"];
  cue: string;
  /** Which side of the claim names no factor or state of the model. */
  missing: ("condition" | "consequence")[];
  /** Noun phrases of the unmatched side (nlp.ts), to name the missing factor. */
  topics: string[];
  /**
   * Why no draft: "no-state" (a factor is reached but none of its states), "unknown-actor" (the
   * side names someone the model has no actor for), "no-factor" (nothing of the model); or
   * "no-claim": a sentence that names two or more factors of the model but in which no claim was
   * read (a sentence to read; both sides missing, `factors` the factors named).
   */
  reason: "no-state" | "unknown-actor" | "no-factor" | "no-claim";
  /** For "no-state": the factors reached. For "unknown-actor": the names. */
  factors?: string[];
  names?: string[];
  /** `source:line`, ready for the model's evidence list. */
  evidence: string;
  source: string;
  /** The states each side scored, best first (empty for a side that named nothing scored). */
  candidates: Candidates;
}

export interface IngestResult {
  document: { id: string; title?: string; outlet?: string; fileName?: string | null; language: string };
  source: { id: string; inModel: boolean };
  analysed: { blocks: number; sentences: number };
  skipped: { furniture: number; otherLanguage: { line: number; language: string; script: string }[] };
  actors: { id: string; name: string; mentions: number; lines: number[] }[];
  sentences: SentenceReport[];
  claims: { line: number; sentence: number; claim: Claim }[];
  drafts: Draft[];
  gaps: Gap[];
  /** Proper names (nlp.ts: people, organisations, places) that match no actor. */
  unknownNames: string[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "source";

/** The model source a document is, if any; else a fresh source id for it. */
export function matchSource(model: Model, doc: IngestDocument): { id: string; inModel: boolean } {
  const hit = model.sources.find(
    (s) =>
      (s.sha256 && (s.sha256 === doc.id || s.sha256 === doc.rawSha256)) ||
      (s.file && doc.fileName && basename(s.file) === doc.fileName) ||
      (s.url && doc.metadata.url && s.url === doc.metadata.url),
  );
  if (hit) return { id: hit.id, inModel: true };
  const base = slug(doc.metadata.outlet ?? doc.metadata.title ?? doc.fileName ?? "source");
  let id = base;
  for (let k = 2; model.sources.some((s) => s.id === id); k++) id = `${base}-${k}`;
  return { id, inModel: false };
}

/** A source entry for a document the model does not list yet. */
export function sourceEntry(doc: IngestDocument, id: string): Source {
  const m = doc.metadata;
  const src: Source = { id, title: m.title ?? doc.fileName ?? id };
  if (m.outlet) src.outlet = m.outlet;
  if (m.author) src.author = m.author;
  if (m.date && /^\d{4}-\d{2}-\d{2}/.test(m.date)) src.date = m.date.slice(0, 10);
  // For HTML the stored text is the page's blocks, not the file: no `file`, so `check --sources`
  // does not compare it with the raw HTML; the sha256 is the stored text's (the document id).
  if (doc.fileName && doc.kind !== "html" && doc.kind !== "pdf") src.file = doc.fileName;
  if (m.url) src.url = m.url;
  src.sha256 = doc.id;
  src.lines = doc.lines.length;
  if (doc.language !== "und") src.language = iso1(doc.language);
  return src;
}

const ISO3_TO_1: Record<string, string> = {
  eng: "en",
  fra: "fr",
  deu: "de",
  spa: "es",
  arb: "ar",
  pes: "fa",
  pbu: "ps",
  rus: "ru",
  ukr: "uk",
  heb: "he",
  tur: "tr",
  cmn: "zh",
};
export function iso1(code: string): string {
  return ISO3_TO_1[code] ?? code;
}

/** A short stable id: `prefix` and six hex digits of the key's sha256. */
function shortId(prefix: string, key: string): string {
  return `${prefix}${createHash("sha256").update(key).digest("hex").slice(0, 6)}`;
}

function draftId(source: string, line: number, sentence: number, from: string, to: string): string {
  return shortId("d", `${source}:${line}.${sentence}:${from}>${to}`);
}

function gapId(source: string, line: number, sentence: number, claim: Claim): string {
  const at = `${claim.condition.start}-${claim.condition.end}>${claim.consequence.start}-${claim.consequence.end}`;
  return shortId("g", `${source}:${line}.${sentence}:${claim.cue}:${at}`);
}

/** A side's candidates: its picked state (if any) first, then the others it scored. */
function candidatesOf(picked: string | undefined, ranked: { id: string }[]): string[] {
  const ids = ranked.map((r) => r.id).filter((id) => id !== picked);
  return (picked ? [picked, ...ids] : ids).slice(0, RANKED);
}

const locator = (e: Evidence) =>
  e.to !== e.from ? `${e.source}:${e.from}-${e.to}` : `${e.source}:${e.from}`;

function judged(
  path: string,
  strength: number,
  imp: { evidence: Evidence[]; rationale?: string; author?: string },
): NonNullable<Draft["existing"]> {
  const out: NonNullable<Draft["existing"]> = { path, strength, evidence: imp.evidence.map(locator) };
  if (imp.rationale) out.rationale = imp.rationale;
  if (imp.author) out.author = imp.author;
  return out;
}

/** The model's existing judgment of a cell, if any, with its evidence (relation.ts judgedCell). */
export function existingCell(model: Model, from: string, to: string): Draft["existing"] {
  const j = judgedCell(model, from, to);
  return j && judged(j.path, j.strength, j.impact);
}

/** A draft's relation to the model's judgment of its cell (relation.ts relationOf). */
export function relationTo(
  strength: number,
  existing: Draft["existing"],
): Pick<Draft, "relation" | "existing"> {
  const relation = relationOf(strength, existing?.strength);
  return existing ? { relation, existing } : { relation };
}

function within(m: Mention, start: number, end: number): boolean {
  return m.start >= start && m.end <= end;
}

interface DraftContext {
  model: Model;
  index: MappingIndex;
  source: string;
  result: IngestResult;
}

const REASON_RANK: Gap["reason"][] = ["no-state", "unknown-actor", "no-factor"];

/**
 * Wording of near-certainty in a consequence: strength 3 ("would almost certainly", "in all
 * probability", "much more likely"), as the evaluation set's labelling rules read it.
 */
const CERTAIN =
  /\b(almost certainly|all but certain(?:ly)?|in all (?:probability|likelihood)|inevitably|certain to|bound to|much more likely|far more likely|all but inevitable|without (?:a )?doubt)\b/i;

/**
 * A claim opened by a negated verb of belief: "Nor do we judge that …", "we do not think …",
 * "I don't believe that …" (negation raising: the claim itself is denied).
 */
const DENIED_FRAME = new RegExp(
  `(?:\\bnot|n['’]t|\\bnor|\\bnever)\\s+(?:[\\p{L}'’]+\\s+){0,3}?(?:${BELIEF_VERBS.join("|")})s?\\s+(?:that\\s+)?$`,
  "iu",
);

/**
 * The drafts (or the gap) of one claim: both sides mapped by meaning (mapping.ts); the sign from
 * the cue ("unless"), and the negations and verbs of decrease of the clause that carries each
 * side's state (a double negative flips twice); the strength from the modal of the consequence's clause
 * only, 3 for wording of near-certainty (CERTAIN).
 */
/**
 * Drafts (or a gap) for one claim of a line. `ca` is the analysis the condition's span is in: the
 * line's own, or the paragraph before's for a condition carried from it.
 */
function draftClaim(
  ctx: DraftContext,
  a: Analysis,
  claim: Claim,
  line: number,
  sentence: number,
  ca: Analysis = a,
  conditionLine?: number,
): void {
  const { result } = ctx;
  const cond = mapSide(ctx.index, ca, claim.condition.start, claim.condition.end);
  const cons = mapSide(ctx.index, a, claim.consequence.start, claim.consequence.end, {
    exclude: cond.picks.map((p) => p.factor),
  });
  const missing: Gap["missing"] = [];
  const reasons: Gap["reason"][] = [];
  const factors: string[] = [];
  const names: string[] = [];
  for (const [side, m] of [
    ["condition", cond],
    ["consequence", cons],
  ] as const) {
    if (m.picks.length) continue;
    missing.push(side);
    if (m.factorsOnly.length) {
      reasons.push("no-state");
      factors.push(...m.factorsOnly);
    } else if (m.unknownNames.length && m.agents.length === 0) {
      reasons.push("unknown-actor");
      names.push(...m.unknownNames);
    } else reasons.push("no-factor");
  }
  if (missing.length) {
    // A question's side of a word or none ("And if the talks break down?": "And") asks nothing
    // to place.
    const bare = (m: "condition" | "consequence") =>
      ((m === "condition" ? ca : a).text.slice(claim[m].start, claim[m].end).match(/\p{L}{2,}/gu) ?? [])
        .length < 2;
    if (claim.question && missing.some(bare)) return;
    const topics = missing.flatMap((m) =>
      nounPhrases((m === "condition" ? ca : a).text.slice(claim[m].start, claim[m].end)).slice(0, 3),
    );
    const gap: Gap = {
      id: gapId(ctx.source, line, sentence, claim),
      line,
      sentence,
      kind: claim.kind,
      cue: claim.cue,
      missing,
      topics,
      reason: REASON_RANK.find((r) => reasons.includes(r)) ?? "no-factor",
      evidence: `${ctx.source}:${line}`,
      source: ctx.source,
      candidates: {
        condition: candidatesOf(cond.picks[0]?.id, cond.ranked),
        consequence: candidatesOf(cons.picks[0]?.id, cons.ranked),
      },
    };
    if (factors.length) gap.factors = [...new Set(factors)];
    if (names.length) gap.names = [...new Set(names)];
    result.gaps.push(gap);
    return;
  }
  // What happened, a question, or the reason given for a judgment ("because") is no judgment of
  // its own: it gives its gaps but no draft.
  if (claim.past || claim.question || claim.because) return;
  // "Nor do we judge that X would Y", "I don't think that X would Y": the whole claim denied.
  const opening = claim.conditionFrom
    ? claim.consequence.start
    : Math.min(claim.condition.start, claim.consequence.start);
  const denied = DENIED_FRAME.test(a.text.slice(0, opening));
  const cells = cond.picks.length * cons.picks.length;
  for (const from of cond.picks)
    for (const to of cons.picks) {
      if (from.factor === to.factor) continue;
      const negs = from.negations.length + to.negations.length + from.decreases.length + to.decreases.length;
      const negated = (NEGATIVE_CUES.has(claim.cue) !== (negs % 2 === 1)) !== denied;
      const modal = to.clause.modal ?? clausesIn(a, claim.consequence.start, claim.consequence.end)[0]?.modal;
      const sure = CERTAIN.test(a.text.slice(claim.consequence.start, claim.consequence.end));
      const strength = (sure ? 3 : modal?.strong ? 2 : 1) * (negated ? -1 : 1);
      const owners = ctx.model.factors.find((f) => f.id === to.factor)?.owners ?? [];
      const relation = relationTo(strength, existingCell(ctx.model, from.id, to.id));
      const prior = !relation.existing
        ? "blank"
        : Math.sign(relation.existing.strength) === Math.sign(strength)
          ? "agrees"
          : "differs";
      const signals = confidenceSignals(
        claim,
        from,
        to,
        negs,
        modal?.strong ?? false,
        to.agents.some((x) => owners.includes(x)),
        cells,
        prior,
      );
      const confidence = draftConfidence(signals);
      const evidence = conditionLine ? `${ctx.source}:${conditionLine}-${line}` : `${ctx.source}:${line}`;
      const same = result.drafts.find(
        (d) => d.from === from.id && d.to === to.id && Math.sign(d.strength) === Math.sign(strength),
      );
      if (same) {
        if (same.line === line && same.sentence === sentence) continue;
        if (!same.also?.some((x) => x.line === line && x.sentence === sentence)) {
          same.also = [...(same.also ?? []), { line, sentence, evidence }];
          same.confidence = combine([same.confidence, confidence]);
        }
        continue;
      }
      const draft: Draft = {
        id: draftId(ctx.source, line, sentence, from.id, to.id),
        from: from.id,
        to: to.id,
        strength,
        kind: claim.kind,
        cue: claim.cue,
        negated,
        source: ctx.source,
        line,
        sentence,
        evidence,
        confidence,
        signals,
        ...relation,
        candidates: {
          condition: candidatesOf(from.id, cond.ranked),
          consequence: candidatesOf(to.id, cons.ranked),
        },
      };
      if (modal) draft.modal = modal.words;
      if (conditionLine) draft.conditionLine = conditionLine;
      result.drafts.push(draft);
    }
}

export function ingestDocument(model: Model, doc: IngestDocument): IngestResult {
  const matcher = buildMatcher(model);
  const source = matchSource(model, doc);
  const modelLanguage = doc.language;
  const result: IngestResult = {
    document: {
      id: doc.id,
      title: doc.metadata.title,
      outlet: doc.metadata.outlet,
      fileName: doc.fileName,
      language: doc.language,
    },
    source,
    analysed: { blocks: 0, sentences: 0 },
    skipped: { furniture: 0, otherLanguage: [] },
    actors: [],
    sentences: [],
    claims: [],
    drafts: [],
    gaps: [],
    unknownNames: [],
  };
  const ctx: DraftContext = { model, index: buildIndex(model), source: source.id, result };
  const actorCount = new Map<string, { mentions: number; lines: Set<number> }>();
  const known = new Set<string>();
  const unknown = new Set<string>();
  for (const a of model.actors) for (const t of [a.name, ...a.aliases]) known.add(t.toLowerCase());

  // The paragraph analysed before this one: a question it ends with can be the condition of the
  // next paragraph's answer.
  let before: (Previous & { line: number; text: string; analysis?: Analysis }) | undefined;
  for (const b of doc.blocks) {
    if (b.role === "blank" || b.role === "front-matter") continue;
    if (!b.kept) {
      result.skipped.furniture++;
      continue;
    }
    if (b.script !== "Latin" && b.script !== "none") {
      result.skipped.otherLanguage.push({ line: b.line, language: b.language, script: b.script });
      continue;
    }
    if (b.language !== "und" && modelLanguage !== "und" && b.language !== modelLanguage) {
      result.skipped.otherLanguage.push({ line: b.line, language: b.language, script: b.script });
      continue;
    }
    result.analysed.blocks++;
    const line = doc.lines[b.line - 1] ?? "";
    let analysis: Analysis | undefined;
    const sentences = splitSentences(line);
    const claimsPer = detectClaims(sentences, before);
    const here = before;
    before = { sentences, claims: claimsPer, line: b.line, text: line };
    sentences.forEach((s, k) => {
      result.analysed.sentences++;
      const actors = findActors(matcher, s.text).map((m) => ({
        ...m,
        start: m.start + s.start,
        end: m.end + s.start,
      }));
      for (const a of actors) {
        const c = actorCount.get(a.id) ?? { mentions: 0, lines: new Set<number>() };
        c.mentions++;
        c.lines.add(b.line);
        actorCount.set(a.id, c);
      }
      const claims = claimsPer[k];
      const fs = findFactorsAndStates(matcher, s.text, findActors(matcher, s.text));
      result.sentences.push({
        line: b.line,
        sentence: s.index,
        actors: [...new Set(actors.map((a) => a.id))],
        factors: [...new Set(fs.factors.map((f) => f.id))],
        states: [...new Set(fs.states.map((x) => x.id))],
        claims,
      });
      for (const claim of claims) {
        analysis ??= analyse(line);
        if (claim.conditionFrom === "earlier-paragraph" && here) {
          // The condition is a question in the paragraph before: its span is in that line.
          here.analysis ??= analyse(here.text);
          result.claims.push({
            line: b.line,
            sentence: s.index,
            claim: { ...claim, conditionLine: here.line },
          });
          draftClaim(ctx, analysis, claim, b.line, s.index, here.analysis, here.line);
          continue;
        }
        result.claims.push({ line: b.line, sentence: s.index, claim });
        draftClaim(ctx, analysis, claim, b.line, s.index);
      }
      // A sentence that names two factors but gives no claim: one for the reviewer to read.
      const named = [...new Set(fs.factors.map((f) => f.id))];
      if (claims.length === 0 && named.length >= 2) {
        analysis ??= analyse(line);
        const ranked = mapSide(ctx.index, analysis, s.start, s.start + s.text.length).ranked.map((r) => r.id);
        result.gaps.push({
          id: shortId("g", `${source.id}:${b.line}.${s.index}:no-claim`),
          line: b.line,
          sentence: s.index,
          kind: "causal",
          cue: "none",
          missing: ["condition", "consequence"],
          topics: nounPhrases(s.text).slice(0, 3),
          reason: "no-claim",
          factors: named,
          evidence: `${source.id}:${b.line}`,
          source: source.id,
          candidates: { condition: ranked, consequence: ranked },
        });
      }
      // Proper names that the model does not know.
      for (const n of properNames(s.text)) {
        const name = n
          .replace(/['’]s$/, "")
          .replace(/[.,;:]$/, "")
          .trim();
        if (!name || name.length < 3) continue;
        const lower = name.toLowerCase();
        const covered = [...known].some((k) => lower === k || lower.includes(k) || k.includes(lower));
        if (
          !covered &&
          !actors.some((a) => within(a, s.start + s.text.indexOf(n), s.start + s.text.indexOf(n) + n.length))
        )
          unknown.add(name);
      }
    });
  }
  result.actors = model.actors
    .filter((a) => actorCount.has(a.id))
    .map((a) => ({
      id: a.id,
      name: a.name,
      mentions: actorCount.get(a.id)!.mentions,
      lines: [...actorCount.get(a.id)!.lines].sort((x, y) => x - y),
    }));
  result.unknownNames = [...unknown].sort();
  result.drafts.sort((x, y) => y.confidence - x.confidence || x.line - y.line || x.sentence - y.sentence);
  return result;
}
