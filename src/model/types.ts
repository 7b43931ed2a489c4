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
