// The outlook of one condition (engine `outlook`): the four numbers an analyst quotes, from one
// model of time, each with what it assumes.
//
//   by the horizon      P(the condition holds at some instant from the model's date to the horizon)
//   on the horizon      P(it holds at the horizon instant)
//   in the long run     P(it holds `longRun` years on): the chain forgets its start, so this is
//                       the share of time it holds in the long run
//   range               each one's spread over the draws of judgments, rates and β (the
//                       judgment-and-tempo range), beside its Monte Carlo interval
//
// All three are forecasts of the continuous-time dynamics (src/prob/ctmc.ts) with the model's
// uncertainty integrated, computed by the forecast engine on the same paths machinery, so the
// numbers agree with each other and with the Forecasts view: P(on) ≤ P(by) always.
import { InputError } from "../errors.js";
import { forecastQuestions, type Interval } from "../forecast/forecast.js";
import { compileModel } from "../model/compile.js";
import { addSteps, daysBetween, isCalendarDate, modelStep, parseDuration } from "../model/step.js";
import type { Model, Question } from "../model/types.js";
import { parseCondition, tempoOf } from "../prob/spec.js";
import type { RunControl } from "./control.js";
import type { OutlookOptions } from "./options.js";

export const OUTLOOK_VERSION = "1.0.0";

export interface OutlookFigure {
  p: number;
  /** Monte Carlo 95 % interval (cluster-robust). */
  mc: Interval;
  /** The judgment-and-tempo range (90 %): the spread of p over draws of the uncertain inputs. */
  range: Interval & { level: number };
  /** What this number is, in words. */
  means: string;
}

export interface OutlookResult {
  kind: "outlook";
  engine: { name: string; version: string };
  model: { hash: string; asOf: string };
  seed: number;
  runs: number;
  condition: string;
  /** The horizon date, and the window's end in days from asOf (the end of that day). */
  horizon: { date: string; days: number };
  byHorizon: OutlookFigure;
  onHorizon: OutlookFigure;
  longRun: OutlookFigure & { date: string };
  /** The assumptions behind every number, one per line. */
  assumes: string[];
}

/** The horizon option (steps, or a date) as a date. */
export function horizonDate(model: Model, h: string): string {
  if (/^\d+$/.test(h)) return addSteps(model.asOf, modelStep(model), Number(h));
  const d = parseDuration(h);
  if (d) return addSteps(model.asOf, d, 1);
  if (!isCalendarDate(h))
    throw new InputError(
      `the horizon is a date YYYY-MM-DD, a number of steps or a duration such as P12M; got '${h}'`,
      {
        code: "option",
        path: "horizon",
      },
    );
  if (h <= model.asOf)
    throw new InputError(`the horizon ${h} is not after the model's date ${model.asOf}`, {
      code: "option",
      path: "horizon",
    });
  return h;
}

export async function outlookRun(
  model: Model,
  o: OutlookOptions,
  ctl: RunControl = {},
): Promise<OutlookResult> {
  const cm = compileModel(model);
  if (!o.condition)
    throw new InputError("the outlook needs a condition, e.g. region=war", {
      code: "option",
      path: "condition",
    });
  let cond: ReturnType<typeof parseCondition>;
  try {
    cond = parseCondition(cm, o.condition);
  } catch (e) {
    throw new InputError(e instanceof Error ? e.message : String(e), { code: "option", path: "condition" });
  }
  const date = horizonDate(model, o.horizon ?? "12");
  const far = addSteps(model.asOf, { years: o.longRun, months: 0, weeks: 0, days: 0 }, 1);
  const condition = {
    kind: "all" as const,
    of: cond.factors.map((f, q) => ({
      kind: "state" as const,
      ref: { factor: cm.factorIds[f], state: cm.stateIds[f][cond.states[q]] },
    })),
  };
  const q = (id: string, horizon: string, mode: "by" | "at"): Question => ({
    id,
    text: id,
    condition,
    horizon,
    mode,
    given: [],
    evidence: [],
  });
  const questions = [q("by-horizon", date, "by"), q("on-horizon", date, "at"), q("long-run", far, "at")];
  const f = await forecastQuestions({ ...model, questions }, cm, {
    runs: o.runs,
    seed: o.seed,
    runsPerMatrix: o.runsPerMatrix,
    uncertainty: true,
    drivers: false,
    level: 0.9,
    signal: ctl.signal,
    onProgress: (p) => ctl.onProgress?.({ done: p.done, total: p.total, message: p.phase }),
  });
  const [by, on, long] = f.questions;
  const fig = (x: typeof by, means: string): OutlookFigure => ({
    p: x.p,
    mc: x.mc,
    range: { lo: x.interval.lo, hi: x.interval.hi, level: x.interval.level },
    means,
  });
  const tempo = tempoOf(cm);
  const continuous = tempo.mode === "continuous";
  const assumes = [
    continuous
      ? "Dynamics: calendar time; each factor is reconsidered at its rate and then takes a state with probability ∝ exp(β · impact score) (asynchronous logit dynamics)."
      : "Dynamics: the stepwise CIB succession (the model asks for it): at most one factor changes per step.",
    "Uncertainty: every run draws the judgments around their values (spread from confidence), and in calendar time each factor's rate and β from their priors; the range is the 90 % spread over those draws.",
    `Start: the model's current states on ${model.asOf}; no intervention, no observation after that date.`,
    `Monte Carlo: ${f.runs.toLocaleString("en")} runs per number in clusters of ${f.runsPerMatrix} per draw, seed ${f.seed} keyed by each number's id; 95 % cluster-robust intervals.`,
  ];
  return {
    kind: "outlook",
    engine: { name: "muscat-outlook", version: OUTLOOK_VERSION },
    model: { hash: cm.hash, asOf: model.asOf },
    seed: o.seed,
    runs: f.runs,
    condition: cond.text,
    // "By" and "on" a date include that day: the window ends at the end of it.
    horizon: { date, days: daysBetween(model.asOf, date) + 1 },
    byHorizon: fig(by, `P(${cond.text} holds at some time from ${model.asOf} through ${date})`),
    onHorizon: fig(on, `P(${cond.text} holds at the end of ${date})`),
    longRun: {
      ...fig(long, `P(${cond.text} holds on ${far}, ${o.longRun} years on): the long-run share of time`),
      date: far,
    },
    assumes,
  };
}
