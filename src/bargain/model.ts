/**
 * Bargaining forecasts for a Muscat model's issues: every method side by side, on the issue's
 * own scale. Baselines (compromise model, weighted median, Nash bargaining solution with the
 * issue's reversion point as disagreement point) are always reported next to the dynamic
 * models (Scholz et al.'s expected-utility model; KTAB's spatial model, run one-dimensionally
 * on the issue rescaled to 0–100 and mapped back).
 *
 * Optional Monte Carlo over perturbed inputs (positions ± a share of the scale, saliences
 * ± an absolute spread, clout ± a relative spread), seeded and reproducible.
 *
 * The headline is the combined forecast (src/bargain/combine.ts): the shipped stacked fit, learned
 * on DEU III, applied to the issue rescaled to 0–100 and mapped back, with its conformal interval and
 * a check of how far the issue lies from the data the fit learned from.
 */
import type { BargainingIssue, Model } from "../model/types.js";
import { compromiseModel, nashBargaining, weightedMedian } from "./baselines.js";
import {
  COMBINE_VERSION,
  type CombineFit,
  type CombineMethod,
  combineIssue,
  SHIPPED_FIT,
} from "./combine.js";
import { EXCHANGE_VERSION, type ExchangeIssue, exchangeModel } from "./exchange.js";
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

export const MODEL_FORECAST_VERSION = "bargain-model/1.1.0";

import { BARGAIN_METHODS, type BargainMethod } from "./methods.js";

export { BARGAIN_METHODS, type BargainMethod };

export const METHOD_NAMES: Record<BargainMethod, string> = {
  cm: "compromise model (clout × salience weighted mean)",
  median: "weighted median (Condorcet winner)",
  nbs: "Nash bargaining solution (disagreement = reversion point)",
  eum: "expected-utility model (Scholz, Calbert & Smith 2011)",
  smp: "spatial model of politics (KTAB)",
  xm: "exchange model (Stokman & Van Oosten 1994)",
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
  /** Coverage of the combined forecast's conformal interval (default 0.9). */
  level?: number;
}

/** The combined forecast: the headline an analyst can quote. */
export interface CombinedIssueForecast {
  /** On the issue's scale. */
  position: number;
  /** Conformal predictive interval on the issue's scale. */
  interval: [number, number];
  level: number;
  /** What the combination is (methods, loss, training data). */
  method: string;
  version: string;
  /** How far the issue lies from the training data; warnings when extrapolating. */
  extrapolation: { distance: number; warnings: string[] };
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
  /** The combined forecast with its interval (the headline); see src/bargain/combine.ts. */
  combined?: CombinedIssueForecast;
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
    case "xm":
      // Exchanges involve the other issues: no one-issue forecaster (no Monte Carlo for it).
      return undefined;
  }
}

/** The exchange model's forecast of one issue, from a run over several issues. */
export interface ExchangeShare {
  position: number;
  /** Exchanges this issue took part in, and the issues run together. */
  exchanges: number;
  issues: number;
}

/**
 * Runs the exchange model over issues together, each rescaled to 0–100 (utilities compare shifts across
 * issues, so they must share a scale) and mapped back; issue id → forecast.
 */
export function exchangeAcross(issues: readonly BargainingIssue[]): Map<string, ExchangeShare> {
  const input: ExchangeIssue[] = issues
    .filter((i) => i.positions.length > 0 && i.max > i.min)
    .map((i) => ({
      id: i.id,
      actors: issueActors(i).map((a) => ({ ...a, position: ((a.position - i.min) / (i.max - i.min)) * 100 })),
    }));
  const out = new Map<string, ExchangeShare>();
  if (input.length === 0) return out;
  const r = exchangeModel(input);
  for (const o of r.outcomes) {
    const i = issues.find((x) => x.id === o.issue) as BargainingIssue;
    out.set(o.issue, {
      position: i.min + (o.position / 100) * (i.max - i.min),
      exchanges: r.exchanges.filter((e) => e.issueA === o.issue || e.issueB === o.issue).length,
      issues: input.length,
    });
  }
  return out;
}

/**
 * Forecasts one issue with every requested method. The exchange model needs the other issues: pass its
 * share from `exchangeAcross` over the model's issues (forecastModel does); without it, the issue is run
 * alone, where no exchange is possible.
 */
export function forecastIssue(
  issue: BargainingIssue,
  opts: IssueForecastOptions = {},
  exchange?: ExchangeShare,
): IssueForecast {
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
      version:
        method === "eum"
          ? SCHOLZ_VERSION
          : method === "smp"
            ? KTAB_VERSION
            : method === "xm"
              ? EXCHANGE_VERSION
              : "baselines/1.0.0",
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
    } else if (method === "xm") {
      const share = exchange ?? exchangeAcross([issue]).get(issue.id);
      f.position = share?.position;
      if (!exchange)
        f.note = "run on this issue alone: exchanges need a second issue, so it is the compromise model";
      else if (share)
        f.note = `${share.exchanges} exchange${share.exchanges === 1 ? "" : "s"} with the model's other issues (${share.issues} run together)`;
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
  opts.poll?.();
  out.combined = combinedForecast(issue, actors, out.forecasts, opts);
  const sens = sensitivity(actors, forecasters.compromise(), perturb);
  out.sensitivity = sens.entries.slice(0, 6).map((e) => ({ actor: e.actor, input: e.input, swing: e.swing }));
  return out;
}

/** The settings the shipped fit's method forecasts were computed with (bench/deu3). */
const FIT_SETTINGS: IssueForecastOptions = { rounds: 10, maxTurns: 100 };

/** A short description of a fit, e.g. for the `method` field. */
export function describeFit(fit: CombineFit): string {
  return `stacked correction of the compromise model (${fit.loss === "absolute" ? "ridge-penalised least absolute deviations" : "ridge regression"}, λ = ${fit.lambda}) on ${fit.methods.join(", ")}${fit.spec.summaries.length ? `, ${fit.spec.summaries.join(", ")}` : ""}${fit.spec.reversion ? ", the reversion point" : ""}${fit.spec.interactWith.length ? " and issue features" : ""}; fitted on ${fit.data.name} (${fit.data.rows} issues); conformal interval`;
}

/**
 * The shipped combination on one issue: the methods' forecasts (those shown when they were computed
 * with the fit's settings, else recomputed), rescaled to 0–100, combined, and mapped back.
 */
export function combinedForecast(
  issue: BargainingIssue,
  actors: IssueActor[],
  shown: readonly MethodForecast[],
  opts: IssueForecastOptions = {},
  fit: CombineFit = SHIPPED_FIT,
): CombinedIssueForecast {
  const lo = issue.min;
  const span = issue.max - issue.min;
  const to100 = (x: number) => ((x - lo) / span) * 100;
  const from100 = (x: number) => lo + (x / 100) * span;
  const sameSettings =
    (opts.rounds ?? 10) === FIT_SETTINGS.rounds && (opts.maxTurns ?? 100) === FIT_SETTINGS.maxTurns;
  const forecasts: Partial<Record<CombineMethod, number | null>> = {};
  for (const m of fit.methods) {
    const have = shown.find((f) => f.method === m);
    let v: number | undefined;
    if (have && (sameSettings || m === "cm" || m === "median" || m === "nbs")) v = have.position;
    else if ((BARGAIN_METHODS as readonly string[]).includes(m)) {
      opts.poll?.();
      v = forecasterFor(m as BargainMethod, issue, FIT_SETTINGS)?.(actors);
    }
    forecasts[m] = v === undefined ? null : to100(v);
  }
  const c = combineIssue(
    fit,
    {
      actors: actors.map((a) => ({ ...a, position: to100(a.position) })),
      reversion: issue.reversion === undefined ? null : to100(issue.reversion),
      forecasts,
    },
    opts.level ?? 0.9,
  );
  return {
    position: from100(c.position),
    interval: [from100(c.interval[0]), from100(c.interval[1])],
    level: c.level,
    method: describeFit(fit),
    version: `${COMBINE_VERSION}; fit ${fit.version}, ${fit.candidate}`,
    extrapolation: { distance: c.extrapolation.distance, warnings: c.extrapolation.warnings },
  };
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
  const methods = opts.methods ?? [...BARGAIN_METHODS];
  // The exchange model runs over all the model's issues together, also when one issue is asked for.
  const xm = methods.includes("xm") ? exchangeAcross(model.issues) : undefined;
  return {
    engine: "bargain",
    version: MODEL_FORECAST_VERSION,
    model: hash,
    seed: opts.runs ? (opts.seed ?? 1) : undefined,
    issues: issues.map((i) => forecastIssue(i, opts, xm?.get(i.id))),
  };
}
