/**
 * Stakes: who wins and who loses in each scenario, and in expectation.
 *
 * Method. Each actor values factor states with a utility u_a(j, k) in −3..+3 (the model's
 * `stakes`; unvalued states count 0). Its payoff in a scenario z is additive over factors,
 * U_a(z) = Σ_j u_a(j, z_j) — the additive multi-attribute utility of decision analysis
 * (Keeney & Raiffa 1976) — and it is normalised to the actor's own range over the whole
 * scenario space: N_a(z) = (U_a(z) − min U_a) / (max U_a − min U_a) ∈ [0, 1], where
 * max U_a = Σ_j max_k u_a(j, k) and min U_a = Σ_j min_k u_a(j, k).
 *
 * - Winners and losers of a scenario: against the current situation (the factors' `current`
 *   states) when the model gives it — gain ΔU_a = U_a(z) − U_a(current) > 0 wins, < 0 loses —
 *   otherwise against the midpoint of the actor's range (N_a = 0.5).
 * - Expected payoff under a distribution over scenarios (from the probability engine, or
 *   basin weights): E_a = Σ p(z) U_a(z); with a Monte Carlo distribution of R runs, the 95 %
 *   interval is E_a ± 1.96·sd_a/√R (the payoffs of R independent draws).
 * - Robust winner: an actor whose normalised payoff stays above its midpoint (and above the
 *   current situation, when known) in every consistent scenario; robust loser: the converse.
 *   This is the test of claims such as "Russia wins whichever way the talks go".
 * - Regret of an actor in a scenario: its best payoff among the consistent scenarios minus its
 *   payoff there (Savage 1951's minimax-regret quantity, over the kernel).
 * - Levers: for each actor, the single-factor interventions (fix factor j to state k) that
 *   raise its expected payoff most, from the distribution the caller computes under each
 *   intervention (the CIB kernel under the intervention, or the probability engine's).
 *
 * Deliberately simple: utilities are additive (no interaction terms between factors).
 */
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";

export const STAKES_VERSION = "stakes/1.0.0";

/** A distribution over scenarios (states: one state index per factor). */
export interface ScenarioDistribution {
  scenarios: ArrayLike<number>[];
  probabilities: number[];
  /** Independent draws behind the probabilities (Monte Carlo), for intervals. */
  runs?: number;
  /** Where it comes from, e.g. "stationary", "basin weights", "uniform over kernel". */
  source: string;
}

export interface StakeMatrix {
  actors: string[];
  /** u[a][s]: utility of actor a for state s (global state index). */
  u: Float64Array[];
  best: number[];
  worst: number[];
}

/** The stakes as dense per-actor utility vectors over the model's states. */
export function stakeMatrix(model: Pick<Model, "stakes" | "actors">, cm: CompiledModel): StakeMatrix {
  const actorIds = model.actors.map((a) => a.id);
  const withStakes = actorIds.filter((id) => model.stakes.some((s) => s.actor === id));
  const u = withStakes.map(() => new Float64Array(cm.size));
  for (const s of model.stakes) {
    const a = withStakes.indexOf(s.actor);
    const j = cm.factorIds.indexOf(s.state.factor);
    const k = j < 0 ? -1 : cm.stateIds[j].indexOf(s.state.state);
    if (a < 0 || k < 0)
      throw new Error(`stake ${s.actor} ${s.state.factor}=${s.state.state} does not resolve`);
    u[a][cm.offsets[j] + k] += s.utility;
  }
  const best: number[] = [];
  const worst: number[] = [];
  u.forEach((ua) => {
    let hi = 0;
    let lo = 0;
    for (let j = 0; j < cm.nFactors; j++) {
      let mx = Number.NEGATIVE_INFINITY;
      let mn = Number.POSITIVE_INFINITY;
      for (let s = cm.offsets[j]; s < cm.offsets[j + 1]; s++) {
        mx = Math.max(mx, ua[s]);
        mn = Math.min(mn, ua[s]);
      }
      hi += mx;
      lo += mn;
    }
    best.push(hi);
    worst.push(lo);
  });
  return { actors: withStakes, u, best, worst };
}

export function payoff(sm: StakeMatrix, cm: CompiledModel, a: number, z: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < cm.nFactors; j++) s += sm.u[a][cm.offsets[j] + z[j]];
  return s;
}

export function normalised(sm: StakeMatrix, a: number, value: number): number {
  const span = sm.best[a] - sm.worst[a];
  return span > 0 ? (value - sm.worst[a]) / span : 0.5;
}

export interface ActorPayoff {
  actor: string;
  payoff: number;
  normalised: number;
  /** Gain against the current situation (when the model gives every factor's current state). */
  gain?: number;
  regret: number;
  outcome: "wins" | "loses" | "even";
}

export interface ScenarioStakes {
  states: Record<string, string>;
  /** The scenario's id ("S1"…) and the states that set it apart (src/cib/labels.ts). */
  label?: string;
  name?: string;
  payoffs: ActorPayoff[];
  winners: string[];
  losers: string[];
}

export interface ActorSummary {
  actor: string;
  best: number;
  worst: number;
  current?: number;
  /** Over the scenarios analysed (the consistent ones by default). */
  min: number;
  max: number;
  minNormalised: number;
  maxNormalised: number;
  /** Expected payoff under the distribution, with its 95 % interval when runs are known. */
  expected?: number;
  expectedNormalised?: number;
  expectedInterval?: [number, number];
  /** Spread of the payoff across scenarios under the distribution. */
  sd?: number;
  maxRegret: number;
  expectedRegret?: number;
  robustWinner: boolean;
  robustLoser: boolean;
  /** Scenarios (by index in `scenarios`) where the actor wins / loses. */
  winsIn: number[];
  losesIn: number[];
}

export interface StakesResult {
  engine: "stakes";
  version: string;
  model: string;
  reference: "current" | "midpoint";
  distribution?: string;
  actors: ActorSummary[];
  scenarios: ScenarioStakes[];
}

function statesRecord(cm: CompiledModel, z: ArrayLike<number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let j = 0; j < cm.nFactors; j++) out[cm.factorIds[j]] = cm.stateIds[j][z[j]];
  return out;
}

/** The current situation as state indices, when every factor has a `current` state. */
export function currentScenario(model: Pick<Model, "factors">): number[] | undefined {
  const z: number[] = [];
  for (const f of model.factors) {
    if (f.current === undefined) return undefined;
    z.push(f.states.findIndex((s) => s.id === f.current));
  }
  return z;
}

/**
 * Payoffs, winners, losers and regret in each given scenario, and per actor the summary over
 * them (robust winners and losers), with expectations when a distribution is given.
 */
export function analyseStakes(
  model: Pick<Model, "stakes" | "actors" | "factors">,
  cm: CompiledModel,
  scenarios: { states: ArrayLike<number>; label?: string; name?: string }[],
  opts: { distribution?: ScenarioDistribution } = {},
): StakesResult {
  const sm = stakeMatrix(model, cm);
  const current = currentScenario(model);
  const reference = current ? "current" : "midpoint";
  const refValue = sm.actors.map((_, a) =>
    current ? payoff(sm, cm, a, current) : (sm.best[a] + sm.worst[a]) / 2,
  );
  const values = scenarios.map((sc) => sm.actors.map((_, a) => payoff(sm, cm, a, sc.states)));
  const bestInSet = sm.actors.map((_, a) => Math.max(...values.map((v) => v[a])));
  const eps = 1e-9;
  const scenarioStakes: ScenarioStakes[] = scenarios.map((sc, i) => {
    const payoffs: ActorPayoff[] = sm.actors.map((actor, a) => {
      const v = values[i][a];
      const gain = v - refValue[a];
      return {
        actor,
        payoff: v,
        normalised: normalised(sm, a, v),
        gain: current ? gain : undefined,
        regret: bestInSet[a] - v,
        outcome: gain > eps ? "wins" : gain < -eps ? "loses" : "even",
      };
    });
    const r: ScenarioStakes = {
      states: statesRecord(cm, sc.states),
      payoffs,
      winners: payoffs.filter((p) => p.outcome === "wins").map((p) => p.actor),
      losers: payoffs.filter((p) => p.outcome === "loses").map((p) => p.actor),
    };
    if (sc.label) r.label = sc.label;
    if (sc.name !== undefined) r.name = sc.name;
    return r;
  });

  const d = opts.distribution;
  const actors: ActorSummary[] = sm.actors.map((actor, a) => {
    const vs = values.map((v) => v[a]);
    const min = vs.length ? Math.min(...vs) : Number.NaN;
    const max = vs.length ? Math.max(...vs) : Number.NaN;
    const mid = (sm.best[a] + sm.worst[a]) / 2;
    const s: ActorSummary = {
      actor,
      best: sm.best[a],
      worst: sm.worst[a],
      current: current ? refValue[a] : undefined,
      min,
      max,
      minNormalised: normalised(sm, a, min),
      maxNormalised: normalised(sm, a, max),
      maxRegret: vs.length ? Math.max(...vs.map((v) => bestInSet[a] - v)) : 0,
      robustWinner: vs.length > 0 && vs.every((v) => v > mid + eps && (!current || v > refValue[a] + eps)),
      robustLoser: vs.length > 0 && vs.every((v) => v < mid - eps && (!current || v < refValue[a] - eps)),
      winsIn: scenarioStakes.flatMap((sc, i) => (sc.winners.includes(actor) ? [i] : [])),
      losesIn: scenarioStakes.flatMap((sc, i) => (sc.losers.includes(actor) ? [i] : [])),
    };
    if (d) {
      const e = expectedPayoff(sm, cm, a, d);
      s.expected = e.mean;
      s.expectedNormalised = normalised(sm, a, e.mean);
      s.sd = e.sd;
      if (e.interval) s.expectedInterval = e.interval;
      let er = 0;
      const bestD = Math.max(...d.scenarios.map((z) => payoff(sm, cm, a, z)));
      d.scenarios.forEach((z, i) => {
        er += d.probabilities[i] * (bestD - payoff(sm, cm, a, z));
      });
      s.expectedRegret = er;
    }
    return s;
  });
  return {
    engine: "stakes",
    version: STAKES_VERSION,
    model: cm.hash,
    reference,
    distribution: d?.source,
    actors,
    scenarios: scenarioStakes,
  };
}

/** E_a and its interval under a distribution (see the file comment). */
export function expectedPayoff(
  sm: StakeMatrix,
  cm: CompiledModel,
  a: number,
  d: ScenarioDistribution,
): { mean: number; sd: number; interval?: [number, number] } {
  let total = 0;
  for (const p of d.probabilities) total += p;
  if (!(total > 0)) throw new Error("the distribution has no mass");
  let mean = 0;
  const vals = d.scenarios.map((z) => payoff(sm, cm, a, z));
  vals.forEach((v, i) => {
    mean += (d.probabilities[i] / total) * v;
  });
  let variance = 0;
  vals.forEach((v, i) => {
    variance += (d.probabilities[i] / total) * (v - mean) ** 2;
  });
  const sd = Math.sqrt(variance);
  const out: { mean: number; sd: number; interval?: [number, number] } = { mean, sd };
  if (d.runs && d.runs > 0) {
    const h = (1.96 * sd) / Math.sqrt(d.runs);
    out.interval = [mean - h, mean + h];
  }
  return out;
}

export interface Lever {
  factor: string;
  state: string;
  expected: number;
  /** Expected payoff under the intervention minus the baseline expectation. */
  gain: number;
}

export interface ActorLevers {
  actor: string;
  baseline: number;
  levers: Lever[];
}

/**
 * For each actor, the single-factor interventions ranked by how much they raise its expected
 * payoff. `under(j, k)` gives the distribution with factor j fixed to state k (or undefined
 * when that intervention leaves no scenario); `baseline` the unconstrained one.
 */
export function leverAnalysis(
  model: Pick<Model, "stakes" | "actors">,
  cm: CompiledModel,
  baseline: ScenarioDistribution,
  under: (factor: number, state: number) => ScenarioDistribution | undefined,
  opts: { top?: number } = {},
): ActorLevers[] {
  const sm = stakeMatrix(model, cm);
  const base = sm.actors.map((_, a) => expectedPayoff(sm, cm, a, baseline).mean);
  const options: { j: number; k: number; d: ScenarioDistribution }[] = [];
  for (let j = 0; j < cm.nFactors; j++)
    for (let k = 0; k < cm.counts[j]; k++) {
      const d = under(j, k);
      if (d && d.scenarios.length > 0) options.push({ j, k, d });
    }
  return sm.actors.map((actor, a) => {
    const levers = options
      .map(({ j, k, d }) => {
        const e = expectedPayoff(sm, cm, a, d).mean;
        return { factor: cm.factorIds[j], state: cm.stateIds[j][k], expected: e, gain: e - base[a] };
      })
      .filter((l) => l.gain > 1e-9)
      .sort((x, y) => y.gain - x.gain || x.factor.localeCompare(y.factor) || x.state.localeCompare(y.state));
    return { actor, baseline: base[a], levers: levers.slice(0, opts.top ?? 5) };
  });
}
