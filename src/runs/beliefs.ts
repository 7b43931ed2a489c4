// The belief bars' run (engine `beliefs`): simulate the stochastic succession from the start
// scenario to one horizon and return, JSON-ready, every factor's distribution there (95 % Wilson
// intervals), the sample of the runs' scenarios at the horizon (distinct scenarios with their
// run counts) that the app conditions on when a state is clamped (src/prob/beliefs.ts), and
// what the bars assume, in words. The horizon is `steps`, or a calendar `date` turned into
// steps with the model's `step` (src/model/step.ts, as the forecast questions' horizons are).
import { InputError } from "../errors.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import {
  addSteps,
  DEFAULT_STEP,
  type Duration,
  gridDays,
  isCalendarDate,
  modelStep,
  parseDuration,
  stepsUntil,
} from "../model/step.js";
import type { Model } from "../model/types.js";
import { type Belief, type BeliefSample, condition, sampleOf } from "../prob/beliefs.js";
import { ENGINE_VERSION } from "../prob/run.js";
import { type SimulationResult, simulate } from "../prob/simulate.js";
import type { RunControl } from "./control.js";
import { type BeliefsOptions, beliefsOptions } from "./options.js";
import { assignmentsOf } from "./prob.js";

export interface BeliefsResult {
  kind: "beliefs";
  engine: { name: string; version: string };
  model: { hash: string };
  seed: number;
  /** Runs simulated (fewer than requested only when the run was stopped: then partial). */
  runs: number;
  runsRequested: number;
  partial: boolean;
  /** The horizon in steps, and in calendar terms. */
  steps: number;
  horizon: {
    /** The model's date: step 0. */
    asOf: string;
    /** The length of one step (ISO 8601), the model's or the default when it gives none. */
    step: string;
    /** Whether the model gives its step (else `step` is the default, P1M). */
    stepGiven: boolean;
    /** The date of the horizon step: asOf + steps · step. */
    date: string;
    /** The date asked for, when the horizon was given as one. */
    requested: string | null;
  };
  /** The start scenario (step 0), by factor id. */
  start: Record<string, string>;
  /** Factors whose start state this run gave (`given`), the others start in their current state. */
  given: string[];
  /** β per factor (by factor id). */
  beta: Record<string, number>;
  /** The shocks applied (none when the run turns them off). */
  shocks: SimulationResult["shocks"];
  /** Wilson 95 %; cluster-robust when the inputs are drawn (the unclamped bars). */
  interval: "wilson-95" | "cluster-wilson-95";
  /** Every factor's distribution over its states at the horizon (no evidence). */
  factors: { id: string; states: ({ id: string } & Belief)[] }[];
  /** The runs' scenarios at the horizon, for conditioning (condition() in src/prob/beliefs.ts). */
  sample: BeliefSample;
  /** What the bars assume, in plain words. */
  assumes: string;
}

const fmt = (x: number) => x.toLocaleString("en");

/** P1M → "1 month", P2W → "2 weeks", P1Y6M → "1 year 6 months". */
export function durationWords(d: Duration): string {
  const part = (n: number, unit: string) => (n ? [`${n} ${unit}${n === 1 ? "" : "s"}`] : []);
  return [
    ...part(d.years, "year"),
    ...part(d.months, "month"),
    ...part(d.weeks, "week"),
    ...part(d.days, "day"),
  ].join(" ");
}

/** The horizon in steps: `date` when given (checked, turned into whole steps), else `steps`. */
export function horizonOf(model: Model, o: BeliefsOptions): BeliefsResult["horizon"] & { steps: number } {
  const stepGiven = model.step !== undefined && parseDuration(model.step) !== undefined;
  const step = stepGiven ? (model.step as string) : DEFAULT_STEP;
  const d = modelStep(model);
  let steps = o.steps;
  const requested = o.date ?? null;
  if (requested !== null) {
    if (!isCalendarDate(requested))
      throw new InputError(`'${requested}' is not a calendar date YYYY-MM-DD`, {
        code: "option",
        path: "date",
      });
    if (requested < model.asOf)
      throw new InputError(`${requested} is before the model's date (asOf ${model.asOf})`, {
        code: "option",
        path: "date",
      });
    steps = stepsUntil(model.asOf, d, requested);
    const max = beliefsOptions.steps.max;
    if (steps > max)
      throw new InputError(`${requested} is ${fmt(steps)} steps of ${step} after asOf: at most ${fmt(max)}`, {
        code: "option",
        path: "date",
      });
  }
  return { asOf: model.asOf, step, stepGiven, date: addSteps(model.asOf, d, steps), requested, steps };
}

/** Every factor's distribution at the horizon, the sample to condition on, and what it assumes. */
export async function beliefsRun(
  model: Model,
  o: BeliefsOptions,
  ctl: RunControl = {},
): Promise<BeliefsResult> {
  const cm = compileModel(model);
  const h = horizonOf(model, o);
  const given = assignmentsOf(cm, o.given, "given");
  const { result, tally } = await simulate(
    cm,
    {
      steps: h.steps,
      runs: o.runs,
      seed: o.seed,
      beta: o.beta,
      given,
      grid: gridDays(model, h.steps),
      uncertainty: o.uncertainty,
      runsPerMatrix: o.runsPerMatrix,
      noShocks: !o.shocks,
      paths: false,
      top: 1,
    },
    {
      signal: ctl.signal,
      pool: ctl.pool,
      onProgress: (p) => ctl.onProgress?.(p),
    },
  );
  const sample = sampleOf(tally.ends, Array.from(cm.counts));
  const { marginals } = condition(sample, new Map());
  const { steps, ...horizon } = h;
  const givenIds = [...given.keys()].sort((a, b) => a - b).map((f) => cm.factorIds[f]);
  return {
    kind: "beliefs",
    engine: { name: "muscat-prob", version: ENGINE_VERSION },
    model: { hash: cm.hash },
    seed: o.seed,
    runs: result.runs,
    runsRequested: o.runs,
    partial: result.partial,
    steps,
    horizon,
    start: result.start,
    given: givenIds,
    beta: result.beta,
    shocks: result.shocks,
    interval: result.interval,
    // The bars with simulate's intervals (cluster-robust when the inputs are drawn); clamped
    // bars (prob/beliefs.ts condition) treat the matching runs as independent.
    factors: cm.factorIds.map((id, f) => ({
      id,
      states: cm.stateIds[f].map((sid, s) => {
        const at = result.factors[f].states[s];
        return { ...marginals[f][s], id: sid, lo: at.lo[steps], hi: at.hi[steps] };
      }),
    })),
    sample,
    assumes: assumptions(model, cm, o, result, h, givenIds),
  };
}

/** What the bars assume: start, horizon and its dates, runs and seed, dynamics, shocks, evidence. */
function assumptions(
  model: Model,
  cm: CompiledModel,
  o: BeliefsOptions,
  r: SimulationResult,
  h: BeliefsResult["horizon"] & { steps: number },
  given: string[],
): string {
  const K = h.steps;
  const unit = durationWords(modelStep(model));
  const calendar = h.stepGiven
    ? `${fmt(K)} step${K === 1 ? "" : "s"} of ${unit} (${h.step}) from ${h.asOf}, i.e. ${h.date}`
    : `${fmt(K)} step${K === 1 ? "" : "s"}; the model gives no step length, read as ${unit} (${h.step}) from ${h.asOf}, i.e. ${h.date}`;
  const asked = h.requested && h.requested !== h.date ? ` (the last step on or before ${h.requested})` : "";
  const start = cm.factorIds.map((id) => `${id}=${r.start[id]}${given.includes(id) ? " (given)" : ""}`);
  const betas = Object.values(r.beta);
  const betaText = betas.every((b) => b === betas[0])
    ? `β = ${betas[0]} for every factor`
    : `β per factor: ${Object.entries(r.beta)
        .map(([id, b]) => `${id} ${b}`)
        .join(", ")}`;
  const exo = cm.factorIds.filter((_, f) => cm.exogenous[f]);
  const shocks = !o.shocks
    ? (cm.shocks?.length ?? 0) > 0
      ? `The model's shocks are turned off for this run.`
      : "No shocks."
    : r.shocks.length === 0
      ? "The model has no shocks."
      : `Shocks (the model's): ${r.shocks
          .map(
            (s) =>
              `${s.factor}=${s.state} ${s.at !== undefined ? `at step ${s.at}` : `with probability ${s.probability} per step`}`,
          )
          .join("; ")}.`;
  return [
    `Bars: the share of ${fmt(r.runs)} simulated runs (seed ${o.seed}${r.partial ? "; stopped early, partial" : ""}) in each state at the horizon, ${calendar}${asked}, with 95 % ${r.uncertainty ? "cluster-robust " : "Wilson "}intervals for the Monte Carlo error only.`,
    `Start (step 0): ${start.join(", ")}${given.length ? "; the others in the model's current states" : " (the model's current states)"}.`,
    r.dynamics.mode === "continuous"
      ? `Dynamics: calendar time${r.uncertainty ? `, with the judgments, each factor's rate and β drawn from their priors every ${r.uncertainty.runsPerMatrix} runs` : " on the judged matrix (no judgment or tempo uncertainty)"}: each factor is reconsidered at its rate (${rateText(r.dynamics.ratesPerMonth ?? {})}) and then takes a state with probability ∝ exp(β · its impact score), so several factors can move within a step; ${betaText}${o.beta !== undefined ? " (set by this run)" : " (the model's dynamics)"}.${exo.length ? ` Exogenous factors (${exo.join(", ")}) move only by shocks.` : ""}`
      : `Dynamics: stochastic succession on the judged matrix (no judgment uncertainty): each step at most one factor changes, with probability ∝ exp(β · its gain in impact score); ${betaText}${o.beta !== undefined ? " (set by this run)" : " (the model's dynamics)"}.${exo.length ? ` Exogenous factors (${exo.join(", ")}) move only by shocks.` : ""}`,
    shocks,
    `Evidence is conditioning on the simulated runs at the horizon, not an intervention: clamping a state keeps only the runs in that state at step ${fmt(K)}, and the other bars show what tends to go with it (its causes as well as its effects), not what imposing it would bring about (for that, simulate with fix).`,
  ].join("\n");
}

/** Rates per month in words: one figure when every factor has the same. */
function rateText(rates: Record<string, number>): string {
  const v = Object.values(rates);
  if (v.length && v.every((x) => x === v[0])) return `${v[0]} times a month for every factor`;
  return Object.entries(rates)
    .map(([id, x]) => `${id} ${x}/month`)
    .join(", ");
}
