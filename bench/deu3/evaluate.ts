/**
 * DEU III accuracy evaluation of every bargaining method (used by bench/deu3/run.ts).
 * Rules (stated in the output): issues with a coded outcome; actors = those with a position (Commission, EP,
 * member states); salience missing or coded 0 → 50; clout = GDP row (Commission and EP 4.1 each) × salience.
 * Issue sets: 353 (≥2 actors), 351 (≥3 actors, Scholz EUM), 253 (≥3 actors and not every position at 0 or 100:
 * the issues on which KTAB's smpc runs).
 */
import { compromiseModel, nashBargaining, weightedMedian } from "../../src/bargain/baselines.js";
import {
  DEU3_REFERENCE_RULES,
  type Deu3Data,
  type Deu3Issue,
  deu3IssueActors,
} from "../../src/bargain/csv.js";
import { ktabSmp } from "../../src/bargain/ktab.js";
import { scholzEum } from "../../src/bargain/scholz.js";
import type { IssueActor } from "../../src/bargain/types.js";

export interface ErrorStats {
  n: number;
  mae: number;
  median: number;
  within10: number;
}

export function stats(errors: number[]): ErrorStats {
  const s = [...errors].sort((a, b) => a - b);
  const n = s.length;
  const median = n === 0 ? Number.NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return {
    n,
    mae: s.reduce((a, b) => a + b, 0) / n,
    median,
    within10: s.filter((e) => e <= 10 + 1e-9).length / n,
  };
}

export interface IssueCase {
  issue: Deu3Issue;
  actors: IssueActor[];
  outcome: number;
}

export function issueSets(data: Deu3Data) {
  const all: IssueCase[] = data.issues
    .filter((i) => i.outcome !== null)
    .map((issue) => ({
      issue,
      actors: deu3IssueActors(issue, DEU3_REFERENCE_RULES),
      outcome: issue.outcome as number,
    }))
    .filter((c) => c.actors.length >= 2);
  const three = all.filter((c) => c.actors.length >= 3);
  const ktabRuns = three.filter((c) => !c.actors.every((a) => a.position === 0 || a.position === 100));
  return { all, three, ktabRuns };
}

export type Forecaster = (c: IssueCase) => number | null;

export const closedForm: Record<string, Forecaster> = {
  "compromise (GDP×salience)": (c) => compromiseModel(c.actors).position,
  "compromise (salience only)": (c) => compromiseModel(c.actors, { weightRule: "salience" }).position,
  "unweighted mean": (c) => compromiseModel(c.actors, { weightRule: "equal" }).position,
  "weighted median (GDP×salience, lower)": (c) => weightedMedian(c.actors).position,
  "unweighted median (midpoint)": (c) =>
    weightedMedian(c.actors, { weightRule: "equal", tie: "midpoint" }).position,
  "Commission position": (c) => c.issue.actors.find((a) => a.code === "com")?.position ?? null,
  "reference point": (c) => c.issue.referencePoint,
  "Nash bargaining (d = reference point, quadratic)": (c) =>
    c.issue.referencePoint === null
      ? null
      : nashBargaining(c.actors, { disagreement: c.issue.referencePoint }).position,
};

export const scholzForecast: Forecaster = (c) => scholzEum(c.actors, { rounds: 10 }).forecast.mean;

/** KTAB defaults on one issue; returns the three readings of the final state. */
export function ktabForecasts(c: IssueCase) {
  const r = ktabSmp({
    name: c.issue.id,
    description: c.issue.name,
    dimensions: ["issue"],
    actors: c.actors.map((a) => ({
      name: a.name,
      capability: a.clout,
      position: [a.position],
      salience: [a.salience * 100],
    })),
  });
  return {
    probabilityWeighted: r.final.probabilityWeighted[0],
    compromiseOfFinal: r.final.compromise[0],
    mostLikely: r.final.mostLikely[0],
    states: r.states.length,
  };
}

export function evaluate(cases: IssueCase[], f: Forecaster): ErrorStats {
  const errs: number[] = [];
  for (const c of cases) {
    const v = f(c);
    if (v !== null) errs.push(Math.abs(v - c.outcome));
  }
  return stats(errs);
}
