// Forecast questions, indicators and scoring: turn a model into forecasts that can be checked.
//
// Method.
// - A question asks whether a condition on factor states (one factor=state, or any-of /
//   all-of combinations) holds by (or at) a horizon, counted in the model's steps from asOf
//   (a date horizon is the last step on or before the date), optionally under interventions
//   (`given`: factors held in a state). Its probability is the share of the probability
//   engine's trajectories (stochastic succession from the current situation, src/prob) that
//   satisfy it, with judgment uncertainty: each block of runs draws the judgments around their
//   values from their confidence codes. Conditions are evaluated on the recorded trajectories,
//   so any-of conditions are exact per run (not combined from marginals).
// - Intervals: the Monte Carlo 95 % Wilson interval (Wilson 1927) of the share, and the
//   judgment interval: the spread of the probability across drawn judgment matrices, with the
//   binomial noise of each matrix's estimate removed by the method of moments.
// - Drivers: one-at-a-time changes — every judgment ±1 within the scale, every factor's current
//   state to each alternative — on the judged matrix, with common random numbers (the same
//   seed for every run), largest |effect| first. Indicators: the states that, if observed now
//   (the start conditioned on factor=state), shift the probability most, computed like the
//   headline (with judgment uncertainty) as common-random-numbers differences.
// - Scoring (scoring.ts): Brier score (Brier 1950), log score (Good 1952), Murphy's (1973)
//   decomposition into reliability, resolution and uncertainty (with the within-bin terms of
//   Stephenson, Coelho & Jolliffe 2008 so the identity is exact), baselines (always 0.5; the
//   base rate) and a calibration table with Wilson intervals (the reliability chart drawn from
//   it is the report's: src/report/charts.ts).
// - Vintages (vintage.ts): every saved forecast keeps the model hash, engine versions, seed,
//   runs, its as-of date (the information date: the model's asOf by default, an earlier one
//   never, a later one recorded), the wall-clock time made and each question's probability, so
//   it is re-scored exactly as issued. They are kept in the store (src/store/forecasts.ts) and
//   move between stores as JSON files checked by parseVintage.
// - Hindcasts and windows (vintage.ts scoreVintage, window.ts): a resolution counts as known,
//   and is not scored, only if it is dated before the vintage's as-of date, so a vintage issued
//   as of a past date scores the outcomes that came after it. Resolution dates are compared with
//   the question's true window: from the model's date (or a later window start) to the horizon
//   exactly as given (a date horizon is that date, not the last whole step before it), both ends
//   inclusive.
//
// Deliberately different: the base-rate baseline uses the resolved questions' own base rate
// (hindsight; a demanding reference). Drivers are computed on the judged matrix (no judgment
// draws) to keep hundreds of comparisons fast; their reference probability is reported.
export { compileCondition, conditionRefs, conditionText, type Dnf, holds } from "./condition.js";
export {
  countOnPaths,
  type Driver,
  FORECAST_ENGINE_VERSION,
  ForecastError,
  type ForecastOptions,
  type ForecastResult,
  forecastQuestions,
  type Indicator,
  judgmentInterval,
  type QuestionForecast,
} from "./forecast.js";
export { forecastHistory } from "./history.js";
export {
  parseCsv,
  parseResolutions,
  type Resolution,
  ResolutionError,
  readResolutions,
} from "./resolutions.js";
export {
  binOf,
  brierScore,
  type CalibrationRow,
  calibrationTable,
  type Decomposition,
  LOG_EPSILON,
  logScore,
  MIN_FOR_DECOMPOSITION,
  murphyDecomposition,
  type Outcome,
  type ScoreSummary,
  scoreOutcomes,
} from "./scoring.js";
export {
  asOfProblem,
  checkVintage,
  dayAfter,
  dayBefore,
  type ExclusionCode,
  makeVintage,
  parseVintage,
  type ScoredQuestion,
  scoreVintage,
  VINTAGE_FORMAT,
  VINTAGE_ID_PATTERN,
  type Vintage,
  type VintageAsOf,
  VintageError,
  type VintageProblem,
  type VintageQuestion,
  type VintageScore,
  vintageAsOf,
  vintageEngineVersion,
  vintageJson,
} from "./vintage.js";
export { type QuestionWindow, questionWindow, type WindowEnd, type WindowedQuestion } from "./window.js";
