// How sure a draft's reading is (0–1), separate from its strength: the product of
//  - the cue: an explicit conditional ("if", "unless", "should", "provided") 0.8; an event noun
//    as the subject of a modal ("a collapse would …") or "the longer/every …" 0.65; a condition
//    carried over from an earlier sentence ("in return", "in this scenario", a continuing modal
//    sentence) 0.5; a causal verb 0.45;
//  - the mapping of each end: 1 − e^(−score/4) (how much of the state's text the clause shares)
//    times (0.5 + margin/2) (how clearly it beats the factor's next state), geometric mean of the
//    two ends;
//  - the clause structure: ×0.85 per negation resolved (each is a chance of a misread scope),
//    ×0.9 for a hedged modal (could, might, may, can) or none.
// Merged drafts (several sentences, same cell, same sign) combine as 1 − Π(1 − cᵢ).
import type { Claim } from "./claims.js";
import type { StatePick } from "./mapping.js";

export function cueWeight(claim: Claim): number {
  if (claim.kind === "causal") return 0.45;
  if (claim.conditionFrom === "earlier-sentence") return 0.5;
  if (claim.cue.startsWith("event:") || claim.cue === "the longer" || claim.cue === "every") return 0.65;
  return 0.8;
}

export function mappingQuality(p: Pick<StatePick, "score" | "margin">): number {
  return (1 - Math.exp(-p.score / 4)) * (0.5 + p.margin / 2);
}

export function draftConfidence(
  claim: Claim,
  from: Pick<StatePick, "score" | "margin">,
  to: Pick<StatePick, "score" | "margin">,
  negations: number,
  strongModal: boolean,
): number {
  const c =
    cueWeight(claim) *
    Math.sqrt(mappingQuality(from) * mappingQuality(to)) *
    0.85 ** negations *
    (strongModal ? 1 : 0.9);
  return round(Math.min(0.99, Math.max(0.01, c)));
}

export function combine(cs: number[]): number {
  return round(Math.min(0.99, 1 - cs.reduce((p, c) => p * (1 - c), 1)));
}

const round = (x: number) => Math.round(x * 100) / 100;
