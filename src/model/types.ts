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

/** Stochastic succession settings (all optional in the file; defaults in DEFAULT_BETA). */
export interface Dynamics {
  /** Responsiveness β (inverse temperature) for every factor without an override. */
  beta?: number;
  /** Per-factor β overrides, by factor id. */
  responsiveness: Record<string, number>;
  shocks: Shock[];
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

/** A question's condition on factor states (a tree: a state, or any-of / all-of lists). */
export type QuestionCondition =
  | { kind: "state"; ref: StateRef }
  | { kind: "any"; of: QuestionCondition[] }
  | { kind: "all"; of: QuestionCondition[] };

/** A forecast question: will the condition hold by (or at) the horizon? */
export interface Question {
  id: string;
  text: string;
  condition: QuestionCondition;
  /** Steps from asOf (an integer ≥ 1), or a date YYYY-MM-DD (converted with the model's step). */
  horizon: number | string;
  /** `by`: at some step from now up to the horizon; `at`: at the horizon step. */
  mode: "by" | "at";
  /** Interventions: factors held in these states for the whole run. */
  given: StateRef[];
  rationale?: string;
  evidence: Evidence[];
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
