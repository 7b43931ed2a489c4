// Muscat's library entry: the model, every engine's run with its options and result types, and
// the engine registry — what the CLI, the server and the app use, for other programs.
//
//   import { parseModelText, runEngine } from "muscat";
//   const { model } = parseModelText(yamlText);
//   const kernel = await runEngine("scenarios", model!, { maxInconsistency: 1 });
export * from "./errors.js";
export * from "./model/compile.js";
export * from "./model/compiled.js";
export * from "./model/load.js";
export * from "./model/scw.js";
export * from "./model/serialize.js";
export * from "./model/types.js";
export { bargainRun } from "./runs/bargain.js";
export { basinsRun, explainRun, sensitivityRun, successionRun } from "./runs/cib.js";
export type { Progress, RunControl } from "./runs/control.js";
export { evidenceRun } from "./runs/evidence.js";
export {
  checkOptions,
  type Field,
  type OptionProblem,
  type OptionSpec,
  type OptionsOf,
} from "./runs/fields.js";
export { forecastRun } from "./runs/forecast.js";
export * from "./runs/options.js";
export { robustRun, simulateRun, stationaryRun } from "./runs/prob.js";
export { ENGINES, engineOptions, runEngine } from "./runs/registry.js";
export {
  CIB_ENGINE_VERSION,
  type ScenariosReport,
  scenariosReport,
  scenariosReportAsync,
} from "./runs/scenarios.js";
export { type StakesReport, stakesRun } from "./runs/stakes.js";
