// Shapes the UI reads, imported as types only from src/: the API's responses
// (src/contract/api.ts, published as schema/api.schema.json) and the engines' result types.

export type { ModelBargainResult } from "../../src/bargain/model.js";
export type { BasinResult } from "../../src/cib/basins.js";
export type { Explanation, FactorExplanation } from "../../src/cib/explain.js";
export type { InterventionResult } from "../../src/cib/intervention.js";
export type { KernelResult, KernelScenario } from "../../src/cib/kernel.js";
export type { SensitivityResult } from "../../src/cib/sensitivity.js";
export type { SuccessionPath } from "../../src/cib/succession.js";
export type {
  CellSource,
  Draft,
  DraftsSaved,
  Gap,
  IngestReport,
  MatrixRecord,
  ModelRecord,
  ModelSummary,
  ResolutionsRecord,
  StoredDocument as DocumentSummary,
  StoredDocumentFull as DocumentFull,
  StoredResolution,
  StoredVintageSummary as VintageSummary,
} from "../../src/contract/api.js";
export type { Impact, Model, Problem } from "../../src/model/types.js";
export type { SimulationResult } from "../../src/prob/simulate.js";
export type { StationaryResult } from "../../src/prob/stationary.js";
export type { StakesReport } from "../../src/runs/stakes.js";

import type { ResolutionsRecord, RunInfo } from "../../src/contract/api.js";

/** A run as GET /api/runs/{runId} answers, its result typed as the engine's (EngineResults). */
export type RunRecord<R = unknown> = Omit<RunInfo, "result"> & { result?: R };
export type RunStatus = RunInfo["status"];

/** GET /api/models/:id/evidence: every judgment's locators checked against the corpus. */
export type { LocatorCheck, VerifyReport } from "../../src/evidence/verify.js";
export type { ForecastResult, QuestionForecast } from "../../src/forecast/forecast.js";
export type { ScoreSummary } from "../../src/forecast/scoring.js";
export type { VintageScore } from "../../src/forecast/vintage.js";

/** GET|PUT /api/models/{id}/resolutions: one resolution as the API answers. */
export type ResolutionRecord = ResolutionsRecord["resolutions"][number];
