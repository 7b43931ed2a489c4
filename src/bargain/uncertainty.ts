/**
 * Uncertainty of bargaining forecasts on one issue.
 * - Monte Carlo: every draw perturbs each actor's position, salience and clout uniformly within declared
 *   ranges (per actor, or ± spreads for everybody), runs the forecaster and collects the outcomes; result:
 *   mean, standard deviation, quantiles, a central interval and a histogram.
 * - Sensitivity (one at a time): each actor's position, salience and clout is set to the low and high end of
 *   its range with everything else fixed; the swing of the forecast ranks the inputs (tornado chart).
 * Draw k uses its own generator stream (xoroshiro128+ jumped k times), so results do not depend on how many
 * numbers another draw consumed and are reproducible from the seed. Sampling is checked against exact
 * expectations in the tests.
 */
import { makeStreams } from "../random.js";
import { compromiseModel, weightedMedian } from "./baselines.js";
import { type KtabOptions, ktabSmp } from "./ktab.js";
import { type ScholzOptions, scholzEum } from "./scholz.js";
import { checkIssueActors, type EngineStamp, type IssueActor } from "./types.js";

export const UNCERTAINTY_VERSION = "bargain-uncertainty/1.0.0";

export type Forecaster = (actors: IssueActor[]) => number;

/** Ready-made forecasters (each returns one point on the issue scale). */
export const forecasters = {
  compromise: (): Forecaster => (a) => compromiseModel(a).position,
  weightedMedian: (): Forecaster => (a) => weightedMedian(a).position,
  scholz:
    (options: Partial<ScholzOptions> = {}): Forecaster =>
    (a) =>
      scholzEum(a, options).forecast.mean,
  /** KTAB SMP on a one-dimensional 0–100 issue; probability-weighted final position. */
  ktab:
    (options: Partial<KtabOptions> = {}): Forecaster =>
    (a) =>
      ktabSmp(
        {
          name: "issue",
          description: "",
          dimensions: ["issue"],
          actors: a.map((x) => ({
            name: x.name,
            capability: x.clout,
            position: [x.position],
            salience: [x.salience * 100],
          })),
        },
        options,
      ).final.probabilityWeighted[0],
};

export interface InputRanges {
  position?: [number, number];
  salience?: [number, number];
  clout?: [number, number];
}

export interface PerturbationOptions {
  /** Per-actor ranges (by index); they override the spreads below. */
  ranges?: (InputRanges | undefined)[];
  /** ± absolute spread of positions (default 0). */
  positionSpread?: number;
  /** ± absolute spread of saliences on 0–1 (default 0). */
  salienceSpread?: number;
  /** ± relative spread of clout, e.g. 0.2 = ±20% (default 0). */
  cloutSpread?: number;
  /** Positions are clipped to this scale (default: none). */
  scale?: [number, number];
}

/** The effective [low, high] range of each input of each actor. */
export function resolveRanges(
  actors: readonly IssueActor[],
  o: PerturbationOptions,
): Required<InputRanges>[] {
  return actors.map((a, i) => {
    const r = o.ranges?.[i] ?? {};
    const ps = o.positionSpread ?? 0;
    const ss = o.salienceSpread ?? 0;
    const cs = o.cloutSpread ?? 0;
    let position = r.position ?? [a.position - ps, a.position + ps];
    if (o.scale) position = [Math.max(o.scale[0], position[0]), Math.min(o.scale[1], position[1])];
    const salience = r.salience ?? [Math.max(0, a.salience - ss), Math.min(1, a.salience + ss)];
    const clout = r.clout ?? [Math.max(0, a.clout * (1 - cs)), a.clout * (1 + cs)];
    for (const [name, [lo, hi]] of Object.entries({ position, salience, clout }))
      if (!(lo <= hi)) throw new Error(`uncertainty: actors[${i}] ${name} range [${lo}, ${hi}] is empty`);
    return { position, salience, clout };
  });
}

export interface MonteCarloOptions extends PerturbationOptions {
  draws: number;
  seed: number;
  /** Central interval probability (default 0.9). */
  level?: number;
  /** Histogram bins (default 20). */
  bins?: number;
  /** Keep every draw's outcome in the result (default false). */
  keepSamples?: boolean;
}

export interface MonteCarloResult extends EngineStamp {
  method: "monte-carlo";
  draws: number;
  seed: number;
  level: number;
  /** Forecast with unperturbed inputs. */
  point: number;
  mean: number;
  sd: number;
  quantiles: { p05: number; p25: number; p50: number; p75: number; p95: number };
  interval: [number, number];
  histogram: { from: number; to: number; count: number }[];
  samples?: number[];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 1) return sorted[0];
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** Monte Carlo over perturbed inputs (see file comment). */
export function monteCarlo(
  actors: readonly IssueActor[],
  forecast: Forecaster,
  o: MonteCarloOptions,
): MonteCarloResult {
  checkIssueActors(actors);
  if (!(Number.isInteger(o.draws) && o.draws >= 1))
    throw new Error("monteCarlo: draws must be an integer ≥ 1");
  const level = o.level ?? 0.9;
  const bins = o.bins ?? 20;
  const ranges = resolveRanges(actors, o);
  const streams = makeStreams(o.seed, o.draws);
  const out: number[] = [];
  const u = (rng: { next(): number }, [lo, hi]: [number, number]) => lo + (hi - lo) * rng.next();
  for (let d = 0; d < o.draws; d++) {
    const rng = streams[d];
    const drawn = actors.map((a, i) => ({
      name: a.name,
      position: u(rng, ranges[i].position),
      salience: u(rng, ranges[i].salience),
      clout: u(rng, ranges[i].clout),
    }));
    out.push(forecast(drawn));
  }
  const sorted = [...out].sort((a, b) => a - b);
  const mean = out.reduce((a, b) => a + b, 0) / out.length;
  const sd = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, out.length - 1));
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  const width = (hi - lo) / bins || 1;
  const histogram = Array.from({ length: bins }, (_, b) => ({
    from: lo + b * width,
    to: lo + (b + 1) * width,
    count: 0,
  }));
  for (const v of out) histogram[Math.min(bins - 1, Math.floor((v - lo) / width))].count++;
  const res: MonteCarloResult = {
    engine: "monte-carlo",
    version: UNCERTAINTY_VERSION,
    method: "monte-carlo",
    draws: o.draws,
    seed: o.seed,
    level,
    point: forecast(actors.map((a) => ({ ...a }))),
    mean,
    sd,
    quantiles: {
      p05: quantile(sorted, 0.05),
      p25: quantile(sorted, 0.25),
      p50: quantile(sorted, 0.5),
      p75: quantile(sorted, 0.75),
      p95: quantile(sorted, 0.95),
    },
    interval: [quantile(sorted, (1 - level) / 2), quantile(sorted, 1 - (1 - level) / 2)],
    histogram,
  };
  if (o.keepSamples) res.samples = out;
  return res;
}

export interface SensitivityEntry {
  actor: string;
  input: "position" | "salience" | "clout";
  low: number;
  high: number;
  /** Forecast with the input at the low and at the high end of its range. */
  forecastLow: number;
  forecastHigh: number;
  /** |forecastHigh − forecastLow|. */
  swing: number;
}

export interface SensitivityResult extends EngineStamp {
  method: "sensitivity";
  point: number;
  /** Sorted by swing, largest first (tornado order). */
  entries: SensitivityEntry[];
}

/** One-at-a-time sensitivity of the forecast to each actor's inputs over their ranges. */
export function sensitivity(
  actors: readonly IssueActor[],
  forecast: Forecaster,
  o: PerturbationOptions,
): SensitivityResult {
  checkIssueActors(actors);
  const ranges = resolveRanges(actors, o);
  const base = actors.map((a) => ({ ...a }));
  const entries: SensitivityEntry[] = [];
  actors.forEach((a, i) => {
    for (const input of ["position", "salience", "clout"] as const) {
      const [low, high] = ranges[i][input];
      if (low === high) continue;
      const at = (v: number) => forecast(base.map((b, k) => (k === i ? { ...b, [input]: v } : { ...b })));
      const forecastLow = at(low);
      const forecastHigh = at(high);
      entries.push({
        actor: a.name,
        input,
        low,
        high,
        forecastLow,
        forecastHigh,
        swing: Math.abs(forecastHigh - forecastLow),
      });
    }
  });
  entries.sort((p, q) => q.swing - p.swing);
  return {
    engine: "sensitivity",
    version: UNCERTAINTY_VERSION,
    method: "sensitivity",
    point: forecast(base),
    entries,
  };
}
