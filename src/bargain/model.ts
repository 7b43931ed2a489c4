/**
 * Bargaining forecasts for a Muscat model's issues: every method side by side, on the issue's
 * own scale. Baselines (compromise model, weighted median, Nash bargaining solution with the
 * issue's reversion point as disagreement point) are always reported next to the dynamic
 * models (Scholz et al.'s expected-utility model; KTAB's spatial model, run one-dimensionally
 * on the issue rescaled to 0–100 and mapped back).
 *
 * Optional Monte Carlo over perturbed inputs (positions ± a share of the scale, saliences
 * ± an absolute spread, clout ± a relative spread), seeded and reproducible.
 */
import type { BargainingIssue, Model } from "../model/types.js";
import { compromiseModel, nashBargaining, weightedMedian } from "./baselines.js";
import { KTAB_VERSION, ktabSmp } from "./ktab.js";
import { describeScholzRound, SCHOLZ_VERSION, type ScholzResult, scholzEum } from "./scholz.js";
import { BargainInputError, type IssueActor } from "./types.js";
import {
  type Forecaster,
  forecasters,
  type MonteCarloResult,
  monteCarlo,
  sensitivity,
} from "./uncertainty.js";

export const MODEL_FORECAST_VERSION = "bargain-model/1.0.0";

export const BARGAIN_METHODS = ["cm", "median", "nbs", "eum", "smp"] as const;
export type BargainMethod = (typeof BARGAIN_METHODS)[number];

export const METHOD_NAMES: Record<BargainMethod, string> = {
  cm: "compromise model (clout × salience weighted mean)",
  median: "weighted median (Condorcet winner)",
  nbs: "Nash bargaining solution (disagreement = reversion point)",
  eum: "expected-utility model (Scholz, Calbert & Smith 2011)",
  smp: "spatial model of politics (KTAB)",
};

export interface IssueForecastOptions {
  methods?: BargainMethod[];
  /** EUM rounds (default 10). */
  rounds?: number;
  /** SMP turn limit (default 100). */
  maxTurns?: number;
  /** Monte Carlo draws (0 = none). */
  runs?: number;
  seed?: number;
  /** Perturbation: positions ± this share of the scale (default 0.1). */
  positionShare?: number;
  /** Saliences ± this absolute spread on 0–1 (default 0.1). */
  salienceSpread?: number;
  /** Clout ± this relative spread (default 0.2). */
  cloutSpread?: number;
  /** Called before each method and each Monte Carlo draw; it throws to stop the run. */
  poll?: () => void;
}

export interface MethodForecast {
  method: BargainMethod;
  name: string;
  engine: string;
  version: string;
  /** The forecast on the issue's scale; undefined when the method cannot run (see note). */
  position?: number;
  note?: string;
  /** Monte Carlo distribution of the forecast (with runs > 0). */
  uncertainty?: Pick<MonteCarloResult, "draws" | "seed" | "mean" | "sd" | "interval" | "quantiles" | "level">;
}

export interface IssueForecast {
  issue: string;
  name: string;
  unit?: string;
  min: number;
  max: number;
  reversion?: number;
  actors: { id: string; position: number; salience: number; clout: number }[];
  forecasts: MethodForecast[];
  /** Round-by-round trail of the dynamic models. */
  trail: {
    eum?: { round: number; positions: number[]; mean: number; narrative: string[] }[];
    smp?: { turn: number; positions: number[]; winProb: number[] }[];
  };
  /** Which inputs move the compromise forecast most (one at a time, ± the perturbation). */
  sensitivity?: { actor: string; input: string; swing: number }[];
}

export interface ModelBargainResult {
  engine: "bargain";
  version: string;
  model: string;
  seed?: number;
  issues: IssueForecast[];
}

function issueActors(issue: BargainingIssue): IssueActor[] {
  return issue.positions.map((p) => ({
    name: p.actor,
    position: p.position,
    salience: p.salience,
    clout: p.clout,
  }));
}

/** The method as a one-issue forecaster on the issue's own scale. */
function forecasterFor(
  method: BargainMethod,
  issue: BargainingIssue,
  opts: IssueForecastOptions,
): Forecaster | undefined {
  const lo = issue.min;
  const span = issue.max - issue.min;
  switch (method) {
    case "cm":
      return forecasters.compromise();
    case "median":
      return forecasters.weightedMedian();
    case "nbs":
      if (issue.reversion === undefined) return undefined;
      return (a) => nashBargaining(a, { disagreement: issue.reversion! }).position;
    case "eum":
      return (a) => scholzEum(a, { rounds: opts.rounds ?? 10 }).forecast.mean;
    case "smp":
      return (a) => {
        const scaled = a.map((x) => ({ ...x, position: ((x.position - lo) / span) * 100 }));
        return lo + (forecasters.ktab({ maxTurns: opts.maxTurns ?? 100 })(scaled) / 100) * span;
      };
  }
}

/** Forecasts one issue with every requested method. */
export function forecastIssue(issue: BargainingIssue, opts: IssueForecastOptions = {}): IssueForecast {
  const methods = opts.methods ?? [...BARGAIN_METHODS];
  const actors = issueActors(issue);
  if (actors.length < 2)
    throw new BargainInputError("an issue needs at least two actors' positions", `issues.${issue.id}`);
  const span = issue.max - issue.min;
  const out: IssueForecast = {
    issue: issue.id,
    name: issue.name,
    unit: issue.unit,
    min: issue.min,
    max: issue.max,
    reversion: issue.reversion,
    actors: issue.positions.map((p) => ({
      id: p.actor,
      position: p.position,
      salience: p.salience,
      clout: p.clout,
    })),
    forecasts: [],
    trail: {},
  };
  const perturb = {
    positionSpread: (opts.positionShare ?? 0.1) * span,
    salienceSpread: opts.salienceSpread ?? 0.1,
    cloutSpread: opts.cloutSpread ?? 0.2,
    scale: [issue.min, issue.max] as [number, number],
  };
  for (const method of methods) {
    opts.poll?.();
    const f: MethodForecast = {
      method,
      name: METHOD_NAMES[method],
      engine: method,
      version: method === "eum" ? SCHOLZ_VERSION : method === "smp" ? KTAB_VERSION : "baselines/1.0.0",
    };
    if (method === "cm") f.position = compromiseModel(actors).position;
    else if (method === "median") f.position = weightedMedian(actors).position;
    else if (method === "nbs") {
      if (issue.reversion === undefined)
        f.note = "no reversion point on the issue: the NBS needs a disagreement point";
      else {
        const r = nashBargaining(actors, { disagreement: issue.reversion });
        f.position = r.position;
        if (!r.feasible)
          f.note =
            "no point is better than the reversion point for every actor: the NBS is the reversion point";
      }
    } else if (method === "eum") {
      const r: ScholzResult = scholzEum(actors, { rounds: opts.rounds ?? 10 });
      f.position = r.forecast.mean;
      out.trail.eum = r.rounds.map((rd) => ({
        round: rd.round,
        positions: rd.positions,
        mean: rd.mean,
        narrative: describeScholzRound(rd),
      }));
    } else if (method === "smp") {
      const scaled = actors.map((x) => ({
        name: x.name,
        capability: x.clout > 0 ? x.clout : 1e-9,
        position: [((x.position - issue.min) / span) * 100],
        salience: [x.salience * 100],
      }));
      const r = ktabSmp(
        { name: issue.id, description: issue.name, dimensions: [issue.id], actors: scaled },
        { maxTurns: opts.maxTurns ?? 100 },
      );
      f.position = issue.min + (r.final.probabilityWeighted[0] / 100) * span;
      out.trail.smp = r.states.map((s) => ({
        turn: s.turn,
        positions: s.positions.map((p) => issue.min + (p[0] / 100) * span),
        winProb: s.winProb,
      }));
    }
    const plain = forecasterFor(method, issue, opts);
    const poll = opts.poll;
    const fc =
      plain && poll
        ? (a: Parameters<typeof plain>[0]) => {
            poll();
            return plain(a);
          }
        : plain;
    if (opts.runs && opts.runs > 0 && fc && f.position !== undefined) {
      const mc = monteCarlo(actors, fc, { ...perturb, draws: opts.runs, seed: opts.seed ?? 1 });
      f.uncertainty = {
        draws: mc.draws,
        seed: mc.seed,
        level: mc.level,
        mean: mc.mean,
        sd: mc.sd,
        interval: mc.interval,
        quantiles: mc.quantiles,
      };
    }
    out.forecasts.push(f);
  }
  const sens = sensitivity(actors, forecasters.compromise(), perturb);
  out.sensitivity = sens.entries.slice(0, 6).map((e) => ({ actor: e.actor, input: e.input, swing: e.swing }));
  return out;
}

/** The model's issues, or the one named; an unknown id is a BargainInputError listing the ids. */
export function selectIssues(model: Pick<Model, "issues">, issue?: string): BargainingIssue[] {
  const issues = issue ? model.issues.filter((i) => i.id === issue) : model.issues;
  if (issue && issues.length === 0)
    throw new BargainInputError(
      `no issue '${issue}'; the model's issues are ${model.issues.map((i) => i.id).join(", ") || "none"}`,
      "--issue",
    );
  return issues;
}

/** Forecasts every (or one) issue of a model. */
export function forecastModel(
  model: Pick<Model, "issues">,
  hash: string,
  opts: IssueForecastOptions & { issue?: string } = {},
): ModelBargainResult {
  const issues = selectIssues(model, opts.issue);
  return {
    engine: "bargain",
    version: MODEL_FORECAST_VERSION,
    model: hash,
    seed: opts.runs ? (opts.seed ?? 1) : undefined,
    issues: issues.map((i) => forecastIssue(i, opts)),
  };
}
