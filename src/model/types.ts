// The parsed, normalised model: what engines and adapters work with after `loadModel`.
// Shorthands are expanded (evidence "src:12-14" → { source, from, to }), defaults filled in.

export interface Evidence {
  source: string;
  /** First line, 1-based. */
  from: number;
  /** Last line, inclusive (= from for a single line). */
  to: number;
  note?: string;
}

export interface Source {
  id: string;
  title: string;
  outlet?: string | null;
  author?: string | null;
  date?: string | null;
  file?: string | null;
  url?: string | null;
  sha256?: string | null;
  lines?: number | null;
  language?: string | null;
}

export type ActorKind = "state" | "non-state" | "mediator" | "international";

export interface Actor {
  id: string;
  name: string;
  kind: ActorKind;
  aliases: string[];
  description?: string;
}

export interface State {
  id: string;
  label: string;
  short: string;
  description?: string;
  keywords: string[];
}

export interface Factor {
  id: string;
  name: string;
  short: string;
  description?: string;
  owners: string[];
  exogenous: boolean;
  keywords: string[];
  current?: string;
  states: State[];
}

export interface StateRef {
  factor: string;
  state: string;
}

/** One judged cell: the effect of `from` (a factor in a state) on `to`. */
export interface CellImpact {
  kind: "cell";
  from: StateRef;
  to: StateRef;
  strength: number;
  confidence?: number;
  rationale?: string;
  evidence: Evidence[];
  author?: string;
}

/** A compact block: rows = states of `from`, columns = states of `to`, in declared order. */
export interface BlockImpact {
  kind: "block";
  from: string;
  to: string;
  matrix: number[][];
  confidence?: number;
  rationale?: string;
  evidence: Evidence[];
  author?: string;
}

export type Impact = CellImpact | BlockImpact;

export interface Stake {
  actor: string;
  state: StateRef;
  utility: number;
  rationale?: string;
  evidence: Evidence[];
}

export interface Position {
  actor: string;
  position: number;
  salience: number;
  clout: number;
  rationale?: string;
  evidence: Evidence[];
}

export interface BargainingIssue {
  id: string;
  name: string;
  unit?: string;
  min: number;
  max: number;
  /** Where the issue stays without agreement (status quo); the disagreement point of the NBS. */
  reversion?: number;
  description?: string;
  positions: Position[];
}

/** An exogenous shock: `to` is set with `probability` at every step, or at step `at`. */
export interface Shock {
  to: StateRef;
  probability?: number;
  at?: number;
  rationale?: string;
  evidence: Evidence[];
}

/**
 * How fast one factor moves: its owners revisit it `rate` times per tempo unit when its impact
 * balance pushes it, with a 90 % prior range (the 5 % and 95 % quantiles of its prior: a split
 * log-normal whose median is the rate).
 */
export interface FactorTempo {
  factor: string;
  rate: number;
  /** 90 % prior range [low, high] of the rate, low ≤ rate ≤ high; absent: see Tempo.range. */
  range?: [number, number];
  rationale?: string;
  evidence: Evidence[];
}

/**
 * Calendar time for the continuous-time dynamics: each factor's revisit rate per `unit`.
 * Factors without an entry get `rate` (default DEFAULT_RATE) and `range`.
 */
export interface Tempo {
  /** ISO 8601 duration the rates are per (default: the model's `step`, else P1M). */
  unit?: string;
  /** Default rate of every factor without an entry (default DEFAULT_RATE). */
  rate?: number;
  /**
   * Default 90 % prior range of the default rate (default DEFAULT_RATE_RANGE scaled by
   * rate / DEFAULT_RATE). A factor with its own rate and no range of its own gets this range
   * scaled by its rate over the default rate (the same spread in log terms).
   */
  range?: [number, number];
  rationale?: string;
  evidence: Evidence[];
  factors: FactorTempo[];
}

/** How the probability engine moves between scenarios. */
export type DynamicsMode = "continuous" | "succession";

/** Stochastic succession settings (all optional in the file; defaults in DEFAULT_BETA). */
export interface Dynamics {
  /**
   * `continuous` (the default): every factor can change at any instant, at its tempo rate
   * (several factors can move within one step); `succession`: the published stepwise CIB
   * succession, at most one change per step.
   */
  mode?: DynamicsMode;
  /** Responsiveness β (inverse temperature) for every factor without an override. */
  beta?: number;
  /**
   * 90 % prior range of β (its 5 % and 95 % quantiles; median β); absent: β × DEFAULT_BETA_RANGE.
   * Per-factor overrides move with β in proportion.
   */
  betaRange?: [number, number];
  /** Per-factor β overrides, by factor id. */
  responsiveness: Record<string, number>;
  shocks: Shock[];
  /** Revisit rates per factor (continuous mode). */
  tempo?: Tempo;
  rationale?: string;
}

/** Judgment uncertainty: spread (standard deviation in scale points) per confidence code. */
export interface Uncertainty {
  /** Overrides of DEFAULT_SPREAD, by confidence code 1..5. */
  spread: Partial<Record<1 | 2 | 3 | 4 | 5, number>>;
  /** Spread of impacts without a confidence code (default DEFAULT_UNRATED_SPREAD). */
  unrated?: number;
  rationale?: string;
}

/**
 * A condition on one scenario (what holds at one instant): a factor's state, any-of / all-of
 * lists, or the negation of a condition.
 */
export type QuestionCondition =
  | { kind: "state"; ref: StateRef }
  | { kind: "any"; of: QuestionCondition[] }
  | { kind: "all"; of: QuestionCondition[] }
  | { kind: "not"; condition: QuestionCondition };

/** One step of a sequence question. */
export interface SequenceStep {
  condition: QuestionCondition;
  /**
   * ISO 8601 duration (mean lengths: a month is 30.436875 days): this step must hold within
   * this long after the previous step held. Absent: at any later time in the window. Never on
   * the first step.
   */
  within?: string;
}

/**
 * A condition on the path through a question's window rather than on one scenario:
 * - `never`: the condition holds at no instant of the window;
 * - `sequence`: there are instants t1 ≤ t2 ≤ … in the window with step k holding at t_k and
 *   t_k − t_{k−1} ≤ within_k;
 * - `changes`: the number of changes of the factor in the window is within [atLeast, atMost].
 */
export type PathCondition =
  | { kind: "never"; condition: QuestionCondition }
  | { kind: "sequence"; steps: SequenceStep[] }
  | { kind: "changes"; factor: string; atLeast?: number; atMost?: number };

/**
 * What a question asks, a discriminated union on `kind`: a condition on the scenario (state,
 * any, all, not), asked `by` or `at` the end of the window as the question's `mode` says; or a
 * condition on the path through the window (never, sequence, changes), whose mode is `by`.
 */
export type QuestionEvent = QuestionCondition | PathCondition;

/** A state observed at a date: a conditional question counts only the futures where it holds. */
export interface ObservedState {
  ref: StateRef;
  /** YYYY-MM-DD, on or after asOf; the state holds at that instant (the date's start). */
  date: string;
}

/**
 * A forecast question: does its event happen within the window [from, horizon]? The window runs
 * from the start of its first date to the end of its horizon's date, so a window
 * [2025-06-01, 2025-09-01] includes both days (as scoring does).
 */
export interface Question {
  id: string;
  text: string;
  /** What is asked (a condition on the scenario, or on the path: see QuestionEvent). */
  condition: QuestionEvent;
  /**
   * End of the window: steps from asOf (an integer ≥ 1; the date of that step), or a date
   * YYYY-MM-DD. (The stepwise forecast converts a date to whole steps with the model's step.)
   */
  horizon: number | string;
  /** Start of the window, a date on or after asOf (absent: asOf). */
  from?: string;
  /**
   * `by`: the condition holds at some instant of the window (a state that began before the
   * window and still holds at its start counts); `at`: at the window's end. A path condition
   * (never, sequence, changes) is judged over the whole window and has `by`.
   */
  mode: "by" | "at";
  /** Interventions: factors held in these states for the whole run. */
  given: StateRef[];
  /**
   * Observations the forecast is conditional on: P(event | each state holds at its date).
   * Absent when none (so older models keep their hash).
   */
  observed?: ObservedState[];
  rationale?: string;
  evidence: Evidence[];
}

/** What happened after asOf: a factor was in a state on a date, and where that is reported. */
export interface Observation {
  ref: StateRef;
  /** YYYY-MM-DD, on or after the model's asOf. */
  date: string;
  evidence: Evidence[];
  note?: string;
}

/**
 * A scenario the analyst has named ("Breakthrough"): every consistent scenario that has all
 * these states is called by this name (the one with the most states when several match).
 */
export interface NamedScenario {
  name: string;
  states: StateRef[];
  description?: string;
}

export interface Model {
  format: string;
  id: string;
  title: string;
  description?: string;
  asOf: string;
  step?: string;
  scale: { min: number; max: number };
  sources: Source[];
  actors: Actor[];
  factors: Factor[];
  impacts: Impact[];
  stakes: Stake[];
  issues: BargainingIssue[];
  dynamics?: Dynamics;
  uncertainty?: Uncertainty;
  /** Forecast questions (absent when the file has none, so older models keep their hash). */
  questions?: Question[];
  /** Scenario names set by the analyst (absent when the file has none). */
  scenarios?: NamedScenario[];
  /** What happened after asOf, with its sources (absent when the file has none). */
  observations?: Observation[];
}

export type Severity = "error" | "warning";

/** One problem found in a model file, with where it is and what was expected. */
export interface Problem {
  severity: Severity;
  /** Stable machine-readable code, e.g. `unknown-reference`. */
  code: string;
  /** Path inside the model, e.g. `impacts[12].to`. */
  path: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export const DEFAULT_SCALE = { min: -3, max: 3 } as const;

/**
 * Default responsiveness β on the default −3..+3 scale: one scale point of impact-balance gain
 * makes a move e ≈ 2.7 times likelier than staying put. For other scales the default is
 * β = 3 / max(|scale.min|, scale.max), so that a full-scale judgment weighs the same.
 */
export const DEFAULT_BETA = 1;

/**
 * Default 90 % prior range of β, relative to β = DEFAULT_BETA: a model's β gets the range
 * β × [0.5, 2] unless it states `betaRange`. A stated default, with no data behind it: half to
 * twice the responsiveness, so that the forecast's intervals carry some doubt about β.
 */
export const DEFAULT_BETA_RANGE: readonly [number, number] = [0.5, 2];

/**
 * Default revisit rate of a factor, per tempo unit (one month unless the model says otherwise):
 * its owners reconsider it about once a unit when its impact balance pushes it. A stated
 * default, with no data behind it; a model states its own rates, with evidence, where it can.
 */
export const DEFAULT_RATE = 1;

/**
 * Default 90 % prior range of a revisit rate, relative to DEFAULT_RATE (its 5 % and 95 %
 * quantiles): from a quarter to four times the rate. A stated default, with no data behind it: wide,
 * because nothing in a model's evidence usually says how fast its actors move.
 */
export const DEFAULT_RATE_RANGE: readonly [number, number] = [0.25, 4];

/**
 * Default spread (standard deviation, in scale points of the −3..+3 scale) of a judgment per
 * confidence code: 1 guess … 5 near certain. For wider scales the spreads scale with
 * max(|scale.min|, scale.max) / 3.
 */
export const DEFAULT_SPREAD: Readonly<Record<1 | 2 | 3 | 4 | 5, number>> = {
  1: 1.5,
  2: 1,
  3: 0.75,
  4: 0.5,
  5: 0.25,
};

/** Default spread of an impact without a confidence code (as code 3). */
export const DEFAULT_UNRATED_SPREAD = 0.75;
