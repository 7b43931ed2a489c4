// Public API of the CIB engine (Cross-Impact Balance, Weimer-Jehle 2006). See each module's
// opening comment for the method, the reference and what is deliberately different.

export {
  type BasinAttractor,
  type BasinCycle,
  type BasinOptions,
  type BasinResult,
  successionBasins,
  successionBasinsAsync,
} from "./basins.js";
export {
  balanceInto,
  type CibOptions,
  compareScenarios,
  prepare,
  type RunControl,
  type Scenario,
  type ScenarioScores,
  scenarioAt,
  scenarioIndex,
  scenarioKey,
  scoreScenario,
  spaceSizeOf,
} from "./core.js";
export {
  type EnsembleMemberInput,
  type EnsembleOptions,
  type EnsembleResult,
  type EnsembleScenario,
  ensembleAnalysis,
} from "./ensemble.js";
export { enumerateKernel, odometer } from "./enumerate.js";
export {
  type Contribution,
  type ExplainOptions,
  type Explanation,
  explainScenario,
  type FactorExplanation,
  type FlipChange,
} from "./explain.js";
export { type InterventionResult, interventionAnalysis } from "./intervention.js";
export {
  type FactorOrder,
  type FixedState,
  findKernel,
  type KernelGroup,
  type KernelOptions,
  type KernelResult,
  type KernelScenario,
  type StateFilter,
} from "./kernel.js";
export {
  judgmentSensitivity,
  type SensitivityChange,
  type SensitivityOptions,
  type SensitivityResult,
} from "./sensitivity.js";
export {
  exportSolutionList,
  formatVbSingle,
  parseSolutionList,
  type SolutionList,
  type SolutionListEntry,
  type SolutionListExportOptions,
} from "./sl.js";
export {
  makeStepper,
  type SuccessionOptions,
  type SuccessionPath,
  type SuccessionRule,
  traceSuccession,
} from "./succession.js";
