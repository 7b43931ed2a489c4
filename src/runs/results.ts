// Each engine's result type, by engine name: the contract of a run's `result` for every
// adapter. The API publishes it as JSON Schema (results.schema.json, generated from these
// types by `npm run schemas`; a test fails when it is stale), and the app imports the types.
import type { ModelBargainResult } from "../bargain/model.js";
import type { ForecastResult } from "../forecast/forecast.js";
import type { ConsistencyResult } from "../prob/consistency.js";
import type { SimulationResult } from "../prob/simulate.js";
import type { StationaryResult } from "../prob/stationary.js";
import type { AnalysisResult } from "./analysis.js";
import type { BeliefsResult } from "./beliefs.js";
import type { BasinsRunResult, ExplainRunResult, SensitivityRunResult, SuccessionRunResult } from "./cib.js";
import type { EvidenceRunResult } from "./evidence.js";
import type { OutlookResult } from "./outlook.js";
import type { ScenariosReport } from "./scenarios.js";
import type { StakesReport } from "./stakes.js";

export interface EngineResults {
  scenarios: ScenariosReport;
  /** The path from a scenario, or with `basins` every attractor's basin. */
  succession: SuccessionRunResult | BasinsRunResult;
  explain: ExplainRunResult;
  sensitivity: SensitivityRunResult;
  simulate: SimulationResult;
  /** Every factor's distribution at a horizon, with the sample to condition on (belief bars). */
  beliefs: BeliefsResult;
  stationary: StationaryResult;
  robust: ConsistencyResult;
  stakes: StakesReport;
  bargain: ModelBargainResult;
  forecast: ForecastResult;
  /** One condition by and on a horizon and in the long run, with its ranges: the reconciled outlook. */
  outlook: OutlookResult;
  evidence: EvidenceRunResult;
  analyze: AnalysisResult;
}
