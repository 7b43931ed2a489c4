// Forecasts that update on what happened: sequential importance resampling (a bootstrap particle
// filter; Gordon, Salmond & Smith 1993, IEE Proc. F 140:107–113) over the continuous-time paths
// and the draws of the uncertain inputs (judgments, rates, β).
//
// Each particle is one future: a draw of the inputs and a path from the model's date. Particles
// move forward to the next observation instant; there each is weighted by the likelihood of
// what was observed given its scenario — the observed state with probability 1 − ε, any other
// state of that factor with ε / (states − 1), ε being the chance that a report is wrong (a
// stated default of 2 %) — and the particles are resampled in proportion to their weights
// (systematic resampling), copying their paths and draws. After the last observation they run on
// to the end. The effective sample size (Σw)² / Σw² before each resampling says how much of
// the sample the observations kept; when it collapses the result says so.
//
// With ε > 0 the weights are a proper likelihood and the filter converges to the exact Bayesian
// posterior of the chain (checked by enumeration in test/prob/filter.test.ts).
import { fromState, type StreamState } from "../random.js";
import { sampleMatrix } from "./chunk.js";
import { drawPositive, logitChoice } from "./ctmc.js";
import type { Path } from "./path.js";
import type { ChainSpec } from "./spec.js";

/** A state observed at an instant (days from asOf). */
export interface FilterObservation {
  t: number;
  factor: number;
  state: number;
}

export interface FilterOptions {
  particles: number;
  /** Simulate to this instant (days from asOf). */
  end: number;
  observations: FilterObservation[];
  /** Probability that a report of a state is wrong (default 0.02). */
  error?: number;
  /** Particles per draw of the inputs at the start (the clusters before any resampling). */
  perDraw?: number;
  stream: StreamState;
}

export interface FilterStep {
  /** The observation instant (days from asOf). */
  t: number;
  observed: number;
  /** Effective sample size before resampling, and as a share of the particles. */
  ess: number;
  share: number;
  /** Distinct draws of the inputs left after resampling. */
  draws: number;
}

export interface FilterResult {
  paths: Path[];
  /** The draw each particle carries (for cluster-robust intervals). */
  draw: Int32Array;
  steps: FilterStep[];
  /** log P(observations), the model evidence (a by-product of the weights). */
  logEvidence: number;
  /** The smallest ESS share; a warning when it fell below 5 %. */
  minShare: number;
  warning: string | null;
}

export const DEFAULT_OBSERVATION_ERROR = 0.02;

interface Draw {
  matrix: Int32Array;
  rates: Float64Array;
  beta: Float64Array;
  total: number;
}

/** Runs the filter on a continuous-time spec (spec.grid and spec.rates set; no shocks). */
export function filterPaths(spec: ChainSpec, o: FilterOptions): FilterResult {
  if (!spec.rates) throw new Error("the filter needs the continuous-time dynamics");
  if (spec.shocks.length) throw new Error("the filter does not model shocks");
  const g = fromState(o.stream);
  const N = o.particles;
  const eps = o.error ?? DEFAULT_OBSERVATION_ERROR;
  const per = Math.max(1, o.perDraw ?? 25);
  const n = spec.nFactors;
  const drawsOn = spec.spread !== null || spec.rateRange !== null || spec.betaRange !== null;

  // Draws: one per `per` particles at the start.
  const draws: Draw[] = [];
  const makeDraw = (): Draw => {
    const matrix = spec.spread ? sampleMatrix(spec.matrix, spec.spread, spec.scale, g) : spec.matrix;
    const rates = Float64Array.from(spec.rates as Float64Array);
    const beta = Float64Array.from(spec.beta);
    if (spec.rateRange)
      for (let j = 0; j < n; j++)
        rates[j] = drawPositive(rates[j], spec.rateRange[2 * j], spec.rateRange[2 * j + 1], g);
    if (spec.betaRange)
      for (let j = 0; j < n; j++)
        beta[j] = drawPositive(beta[j], spec.betaRange[2 * j], spec.betaRange[2 * j + 1], g);
    let total = 0;
    for (let j = 0; j < n; j++) if (spec.movable[j]) total += rates[j];
    return { matrix, rates, beta, total };
  };
  let draw = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    if (!drawsOn) {
      if (draws.length === 0) draws.push(makeDraw());
      draw[i] = 0;
    } else {
      if (i % per === 0) draws.push(makeDraw());
      draw[i] = draws.length - 1;
    }
  }

  // Particle states and paths.
  let z = Array.from({ length: N }, () => Int32Array.from(spec.start));
  let times: number[][] = Array.from({ length: N }, () => []);
  let factors: number[][] = Array.from({ length: N }, () => []);
  let states: number[][] = Array.from({ length: N }, () => []);
  const w = new Float64Array(Math.max(...spec.counts));
  const advance = (i: number, t0: number, t1: number) => {
    const d = draws[draw[i]];
    const zi = z[i];
    let t = t0;
    if (d.total <= 0) return;
    for (;;) {
      t += -Math.log(1 - g.next()) / d.total;
      if (t > t1) return;
      let u = g.next() * d.total;
      let j = -1;
      for (let f = 0; f < n && j < 0; f++) {
        if (!spec.movable[f]) continue;
        if (u < d.rates[f]) j = f;
        else u -= d.rates[f];
      }
      if (j < 0) continue;
      const l = logitChoice(spec, d.matrix, d.beta[j], j, zi, w, g);
      if (l !== zi[j]) {
        zi[j] = l;
        times[i].push(t);
        factors[i].push(j);
        states[i].push(l);
      }
    }
  };

  // Observation instants in order; several observations at one instant weigh together.
  const obs = [...o.observations].sort((a, b) => a.t - b.t);
  const instants = [...new Set(obs.map((x) => x.t))];
  const steps: FilterStep[] = [];
  let logEvidence = 0;
  let t0 = 0;
  for (const t of instants) {
    for (let i = 0; i < N; i++) advance(i, t0, t);
    t0 = t;
    const here = obs.filter((x) => x.t === t);
    const weight = new Float64Array(N);
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < N; i++) {
      let wi = 1;
      for (const x of here)
        wi *= z[i][x.factor] === x.state ? 1 - eps : eps / Math.max(1, spec.counts[x.factor] - 1);
      weight[i] = wi;
      sum += wi;
      sum2 += wi * wi;
    }
    logEvidence += Math.log(sum / N);
    const ess = sum2 > 0 ? (sum * sum) / sum2 : 0;
    // Systematic resampling.
    const pick = new Int32Array(N);
    if (sum > 0) {
      const u0 = g.next() / N;
      let c = weight[0] / sum;
      let k = 0;
      for (let i = 0; i < N; i++) {
        const u = u0 + i / N;
        while (u > c && k < N - 1) c += weight[++k] / sum;
        pick[i] = k;
      }
    } else for (let i = 0; i < N; i++) pick[i] = i;
    z = Array.from(pick, (k) => Int32Array.from(z[k]));
    times = Array.from(pick, (k) => times[k].slice());
    factors = Array.from(pick, (k) => factors[k].slice());
    states = Array.from(pick, (k) => states[k].slice());
    draw = Int32Array.from(pick, (k) => draw[k]);
    steps.push({ t, observed: here.length, ess, share: ess / N, draws: new Set(draw).size });
  }
  for (let i = 0; i < N; i++) advance(i, t0, o.end);
  const minShare = steps.reduce((a, s) => Math.min(a, s.share), 1);
  const paths: Path[] = Array.from({ length: N }, (_, i) => ({
    start: Int32Array.from(spec.start),
    times: Float64Array.from(times[i]),
    factors: Int32Array.from(factors[i]),
    states: Int32Array.from(states[i]),
    length: times[i].length,
    end: o.end,
  }));
  return {
    paths,
    draw,
    steps,
    logEvidence,
    minShare,
    warning:
      minShare < 0.05
        ? `the observations kept ${Math.round(minShare * 1000) / 10} % of the sample at worst (effective sample size ${Math.round(Math.min(...steps.map((s) => s.ess)))} of ${N}): the model found them very unlikely; the updated forecasts rest on few futures`
        : null,
  };
}
