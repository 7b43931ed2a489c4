// Calendar time of the continuous-time dynamics: durations in mean days, and a model's tempo
// (each factor's revisit rate and its 90 % prior range) and β's prior range resolved to numbers,
// with the stated defaults where the model gives none. Browser-safe (no Node imports).
import { DEFAULT_STEP, type Duration, parseDuration } from "./step.js";
import {
  DEFAULT_BETA,
  DEFAULT_BETA_RANGE,
  DEFAULT_RATE,
  DEFAULT_RATE_RANGE,
  type DynamicsMode,
  type Model,
} from "./types.js";

/** Mean length of a calendar month in days (the Gregorian year of 365.2425 days over 12). */
export const DAYS_PER_MONTH = 30.436875;

/** Mean length of a calendar year in days (Gregorian). */
export const DAYS_PER_YEAR = 365.2425;

/**
 * Mean length of a duration in days: years of 365.2425 days, months of 30.436875, weeks of 7.
 * For rates, and for spans measured from an instant that need not fall on a date (a sequence's
 * `within`), where calendar arithmetic (addSteps) does not apply.
 */
export function durationDays(d: Duration): number {
  return d.years * DAYS_PER_YEAR + d.months * DAYS_PER_MONTH + d.weeks * 7 + d.days;
}

/** The unit a model's rates are per: its tempo's `unit`, else its `step`, else P1M. */
export function tempoUnit(model: Pick<Model, "step" | "dynamics">): string {
  return model.dynamics?.tempo?.unit ?? model.step ?? DEFAULT_STEP;
}

export interface ResolvedTempo {
  mode: DynamicsMode;
  /** Revisit rate of each factor (model order), per day. */
  rates: Float64Array;
  /** 90 % prior range of each rate, per day: [low₀, high₀, low₁, high₁, …]. */
  rateRange: Float64Array;
  /** 90 % prior range of the model's β (β × DEFAULT_BETA_RANGE unless the model states one). */
  betaRange: [number, number];
}

/**
 * A model's tempo in numbers. Each factor's rate is its own entry's, else the tempo's `rate`,
 * else DEFAULT_RATE; its range is its entry's, else the tempo's `range` (default
 * DEFAULT_RATE_RANGE × the default rate / DEFAULT_RATE) scaled by its rate over the default
 * rate. Rates are per unit in the model and per day here (÷ durationDays(unit)). `beta` is the
 * model's β (its own, else the scale's default).
 */
export function resolveTempo(
  model: { factors: readonly { id: string }[]; step?: string; dynamics?: Model["dynamics"] },
  beta: number,
): ResolvedTempo {
  const d = model.dynamics;
  const t = d?.tempo;
  const unit = parseDuration(tempoUnit(model)) ?? (parseDuration(DEFAULT_STEP) as Duration);
  const days = durationDays(unit);
  const rate0 = t?.rate ?? DEFAULT_RATE;
  const range0: readonly [number, number] = t?.range ?? [
    (DEFAULT_RATE_RANGE[0] * rate0) / DEFAULT_RATE,
    (DEFAULT_RATE_RANGE[1] * rate0) / DEFAULT_RATE,
  ];
  const own = new Map((t?.factors ?? []).map((f) => [f.factor, f]));
  const n = model.factors.length;
  const rates = new Float64Array(n);
  const rateRange = new Float64Array(2 * n);
  model.factors.forEach((f, i) => {
    const e = own.get(f.id);
    const rate = e?.rate ?? rate0;
    const range = e?.range ?? [(range0[0] * rate) / rate0, (range0[1] * rate) / rate0];
    rates[i] = rate / days;
    rateRange[2 * i] = range[0] / days;
    rateRange[2 * i + 1] = range[1] / days;
  });
  const betaRange: [number, number] = d?.betaRange
    ? [d.betaRange[0], d.betaRange[1]]
    : [(DEFAULT_BETA_RANGE[0] * beta) / DEFAULT_BETA, (DEFAULT_BETA_RANGE[1] * beta) / DEFAULT_BETA];
  return { mode: d?.mode ?? "continuous", rates, rateRange, betaRange };
}
