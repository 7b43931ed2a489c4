// A model's size at a glance — counts of its parts, judged cells and scenarios — as the CLI,
// the report and the app show it.
import { compileModel } from "../model/compile.js";
import type { Model } from "../model/types.js";

/** Counts of a model's parts; `scenarios` is the size of the scenario space (a decimal string). */
export interface ModelCounts {
  sources: number;
  actors: number;
  factors: number;
  states: number;
  impacts: number;
  nonZeroCells: number;
  stakes: number;
  issues: number;
  positions: number;
  evidence: number;
  scenarios: string;
}

export function modelCounts(model: Model): ModelCounts {
  const evidence =
    model.impacts.reduce((s, i) => s + i.evidence.length, 0) +
    model.stakes.reduce((s, i) => s + i.evidence.length, 0) +
    model.issues.reduce((s, iss) => s + iss.positions.reduce((t, p) => t + p.evidence.length, 0), 0);
  const cm = compileModel(model);
  let cells = 0;
  for (let c = 0; c < cm.matrix.length; c++) if (cm.matrix[c] !== 0) cells++;
  let space = 1n;
  for (const f of model.factors) space *= BigInt(f.states.length);
  return {
    sources: model.sources.length,
    actors: model.actors.length,
    factors: model.factors.length,
    states: model.factors.reduce((s, f) => s + f.states.length, 0),
    impacts: model.impacts.length,
    nonZeroCells: cells,
    stakes: model.stakes.length,
    issues: model.issues.length,
    positions: model.issues.reduce((s, i) => s + i.positions.length, 0),
    evidence,
    scenarios: space.toString(),
  };
}
