// Shapes the UI reads: the API contract (docs/api-contract.md) and the engines' result types,
// imported as types only from src/ (the UI holds no analysis logic).

export type { ModelBargainResult } from "../../src/bargain/model.js";
export type { Explanation, FactorExplanation } from "../../src/cib/explain.js";
export type { InterventionResult } from "../../src/cib/intervention.js";
export type { KernelResult, KernelScenario } from "../../src/cib/kernel.js";
export type { SensitivityResult } from "../../src/cib/sensitivity.js";
export type { BasinResult, SuccessionPath } from "../../src/cib/succession.js";
export type { Impact, Model, Problem } from "../../src/model/types.js";
export type { SimulationResult } from "../../src/prob/simulate.js";
export type { StationaryResult } from "../../src/prob/stationary.js";
export type { StakesReport } from "../../src/runs/stakes.js";

import type { Evidence, Model, Problem } from "../../src/model/types.js";

export interface ModelSummary {
  id: string;
  title: string;
  version: number;
  hash: string;
  updatedAt: string;
}

export interface ModelRecord {
  id: string;
  version: number;
  hash: string;
  text: string;
  model: Model;
  problems: Problem[];
  updatedAt: string;
}

export interface MatrixFactor {
  id: string;
  name: string;
  short: string;
  states: { id: string; label: string; short: string }[];
}

/** One judged cell of the matrix as the API sends it. */
export interface MatrixCell {
  /** Global state index (row) or a `factor=state` reference. */
  from: number | string;
  to: number | string;
  strength: number;
  /** Index of the model impact behind the cell (or indices, when several add up). */
  impact?: number | number[] | null;
  rationale?: string | null;
  evidence?: Evidence[] | string[] | null;
}

export interface MatrixResponse {
  hash: string;
  factors: MatrixFactor[];
  labels?: unknown;
  rows?: number[][];
  cells: MatrixCell[];
}

export type RunStatus = "queued" | "running" | "done" | "failed" | "cancelled";

export interface RunRecord<R = unknown> {
  runId: number;
  modelId: string;
  version: number;
  engine: string;
  options: Record<string, unknown>;
  seed?: number | null;
  modelHash: string;
  engineVersion?: string;
  status: RunStatus;
  progress?: { done: number; total: number; message?: string } | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  elapsedMs?: number | null;
  result?: R;
  error?: string | null;
}

export interface DocumentSummary {
  id: string;
  title: string | null;
  outlet: string | null;
  date: string | null;
  language: string | null;
  lineCount: number;
  keptCount: number;
  version: number;
  fileName?: string | null;
}

export interface DocumentBlock {
  line: number;
  kept: boolean;
  role: string;
  reasons: string[];
  language?: string | null;
}

export interface DocumentFull extends DocumentSummary {
  text: string;
  cleanedText: string;
  blocks: DocumentBlock[];
}

/** GET /api/models/:id/evidence: every judgment's locators checked against the corpus. */
export type { LocatorCheck, VerifyReport } from "../../src/evidence/verify.js";
export type { ForecastResult, QuestionForecast } from "../../src/forecast/forecast.js";
export type { ScoreSummary } from "../../src/forecast/scoring.js";
export type { VintageScore } from "../../src/forecast/vintage.js";

/** GET /api/models/:id/vintages: a vintage kept in the store (without its questions). */
export interface VintageSummary {
  id: string;
  modelId: string;
  modelVersion: number | null;
  modelHash: string;
  engineVersion: string;
  seed: number;
  runs: number;
  runId: number | null;
  questions: number;
  made: string;
  savedAt: string;
}

/** GET|PUT /api/models/:id/resolutions. */
export interface ResolutionRecord {
  question: string;
  outcome: "yes" | "no";
  date: string;
  source?: string;
  recordedAt?: string;
}
