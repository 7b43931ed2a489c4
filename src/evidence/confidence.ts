// How sure a draft's reading is (0–1), separate from its strength: the chance that an analyst
// would accept the draft's cell and sign, from signals of the cue, the mapping and the clauses.
//
// Signals (confidenceSignals):
//  - the cue, against a causal verb: explicit (a conditional: "if", "unless", "should",
//    "provided", "while", a labelled list item), carried (a condition from an earlier sentence:
//    "in this scenario", a continuing modal sentence, "it" for an earlier cause), event (an event
//    noun as the subject of a modal, "a collapse would …", or "the longer/every …");
//  - mapFrom, mapTo: how well each end maps, 1 − e^(−score/4) (how much of the state's text the
//    clause shares) times (0.5 + margin/2) (how clearly it beats the factor's next state);
//  - negations: negations and verbs of decrease resolved (each is a chance of a misread scope);
//  - strongModal: 1 for will/would/likely, 0 for a hedge or none;
//  - ownerAgent: 1 when the consequence's clause names an owner of its factor as the agent;
//  - spread: how many other cells the same claim also gave (a claim read as many cells is
//    less sure of each);
//  - agrees, blank: the model already judges the cell with the same sign, or leaves it empty. A
//    reading the model shares is more often right, and one on a cell the model leaves empty more
//    often a misreading; both are priors from the model, not from the sentence, and a
//    contradiction keeps its place in the review however low its confidence.
//
// The weights are fitted on the read evaluation sets; the probability's scale is then set on
// articles the rules had not met (the `unseen` shift of the intercept, bench/ingest/shift.ts), so
// that a confidence of 0.3 means about 3 drafts in 10 right on a new article.
//
import type { Claim } from "./claims.js";
import fitJson from "./confidence-fit.json" with { type: "json" };
import type { StatePick } from "./mapping.js";

export const SIGNALS = [
  "explicit",
  "carried",
  "event",
  "mapFrom",
  "mapTo",
  "negations",
  "strongModal",
  "ownerAgent",
  "spread",
  "agrees",
  "blank",
] as const;
export type Signal = (typeof SIGNALS)[number];
export type ConfidenceSignals = Record<Signal, number>;

export interface ConfidenceFit {
  about: string;
  trainedOn: string[];
  drafts: number;
  accepted: number;
  lambda: number;
  intercept: number;
  weights: Record<Signal, number>;
  /**
   * The scale on unseen text: the intercept's shift that fits the drafts of held-out sets as
   * first scored, before their output was read (bench/ingest/shift.ts). Without it the
   * probabilities are those of the read sets, whose rules were tuned on them.
   */
  unseen?: { shift: number; from: string[]; drafts: number; accepted: number };
}

/** The fitted weights as shipped. */
export const FIT = fitJson as ConfidenceFit;

/** The cue's class: explicit, carried, event or (none of them) causal. */
export function cueClass(claim: Claim): "explicit" | "carried" | "event" | "causal" {
  if (claim.conditionFrom || claim.cue.endsWith(":anaphor")) return "carried";
  if (claim.kind === "causal") return "causal";
  if (claim.cue.startsWith("event:") || claim.cue === "the longer" || claim.cue === "every") return "event";
  return "explicit";
}

export function mappingQuality(p: Pick<StatePick, "score" | "margin">): number {
  return (1 - Math.exp(-p.score / 4)) * (0.5 + p.margin / 2);
}

export function confidenceSignals(
  claim: Claim,
  from: Pick<StatePick, "score" | "margin">,
  to: Pick<StatePick, "score" | "margin">,
  negations: number,
  strongModal: boolean,
  ownerAgent: boolean,
  cells: number,
  prior: "agrees" | "differs" | "blank",
): ConfidenceSignals {
  const cue = cueClass(claim);
  return {
    explicit: cue === "explicit" ? 1 : 0,
    carried: cue === "carried" ? 1 : 0,
    event: cue === "event" ? 1 : 0,
    mapFrom: round(mappingQuality(from)),
    mapTo: round(mappingQuality(to)),
    negations,
    strongModal: strongModal ? 1 : 0,
    ownerAgent: ownerAgent ? 1 : 0,
    spread: Math.max(0, cells - 1),
    agrees: prior === "agrees" ? 1 : 0,
    blank: prior === "blank" ? 1 : 0,
  };
}

/**
 * The logistic model's probability for `s` under `fit`, on the scale of unseen articles: the
 * weights' score plus the `unseen` shift.
 */
export function draftConfidence(s: ConfidenceSignals, fit: ConfidenceFit = FIT): number {
  const z = confidenceScore(s, fit) + (fit.unseen?.shift ?? 0);
  return round(Math.min(0.99, Math.max(0.01, 1 / (1 + Math.exp(-z)))));
}

/** The weights' linear score of `s`, b + Σ wᵢ·sᵢ, without the unseen shift. */
export function confidenceScore(
  s: ConfidenceSignals,
  fit: Pick<ConfidenceFit, "intercept" | "weights"> = FIT,
): number {
  let z = fit.intercept;
  for (const k of SIGNALS) z += (fit.weights[k] ?? 0) * s[k];
  return z;
}

export function combine(cs: number[]): number {
  return round(Math.min(0.99, 1 - cs.reduce((p, c) => p * (1 - c), 1)));
}

const round = (x: number) => Math.round(x * 100) / 100;
