// Every engine's options, declared once (see fields.ts for what each adapter derives from them).
// The defaults and bounds here are the only ones: the CLI's flags, the API's schema and the app's
// inputs all come from these tables. Light on purpose: it imports nothing but fields.ts and the
// bargaining methods' id list, so the CLI can register its flags without loading an engine.
import { BARGAIN_METHODS } from "../bargain/methods.js";
import type { Field, OptionSpec, OptionsOf } from "./fields.js";

const SEED_MAX = 2 ** 31 - 1;
const seed = (describe = "random seed") => ({
  kind: "int" as const,
  min: 0,
  max: SEED_MAX,
  default: 1,
  describe,
});
const scenarioText = (describe: string) => ({ kind: "text" as const, max: 4000, describe });
const assignments = (describe: string) => ({
  kind: "list" as const,
  itemMax: 4000,
  maxItems: 50,
  placeholder: "f=s",
  describe,
});
const selfImpacts = {
  kind: "boolean",
  default: false,
  describe: "zero the same-factor blocks before scoring (ScenarioWizard sums them)",
} satisfies Field;
const beta = {
  kind: "number",
  min: 0,
  max: 1000,
  describe: "responsiveness β for every factor (default: the model's dynamics)",
} satisfies Field;
const shocks = {
  kind: "boolean",
  default: true,
  describe: "apply the model's shocks",
  off: "ignore the model's shocks",
} satisfies Field;
const top = (max: number, describe: string, def: number) => ({
  kind: "int" as const,
  min: 1,
  max,
  describe,
  default: def,
});

export const scenariosOptions = {
  maxInconsistency: {
    kind: "int",
    min: 0,
    max: 100,
    default: 0,
    describe: "also list scenarios with inconsistency up to n",
  },
  fix: scenarioText("intervention: hold factors in states (f=s,…); the others must be consistent"),
  require: scenarioText("filter: only scenarios with these states (f=s|t,…)"),
  forbid: scenarioText("filter: no scenario with these states (f=s,…)"),
  ignoreSelfImpacts: selfImpacts,
  basins: { kind: "boolean", default: false, describe: "add global-succession basin weights" },
  ensemble: {
    kind: "boolean",
    default: false,
    describe: "per-analyst kernels (impacts with `author`) and the share of members",
  },
  quorum: { kind: "int", min: 1, max: 1000, describe: "members needed with ensemble (default: a majority)" },
  compare: {
    kind: "boolean",
    default: false,
    describe: "also search the model as it is and list what appears, vanishes and persists",
  },
  countOnly: {
    kind: "boolean",
    default: false,
    describe: "count the scenarios exactly without listing them",
  },
  offset: {
    kind: "int",
    min: 0,
    max: 1_000_000_000,
    describe: "list from this rank of the listing order on (a page; with limit)",
  },
  limit: {
    kind: "int",
    min: 1,
    max: 100_000,
    describe: "list this many scenarios from offset (a page, found without listing the rest)",
  },
  sample: {
    kind: "int",
    min: 1,
    max: 100_000,
    describe: "list this many distinct scenarios drawn uniformly from the kernel",
  },
  seed: seed("the sample's seed"),
} satisfies OptionSpec;

export const successionOptions = {
  rule: {
    kind: "enum",
    values: ["global", "local", "sequential"],
    default: "global",
    describe: "succession rule",
  },
  from: scenarioText("start scenario (f=s,…; unnamed factors start in their current state)"),
  basins: {
    kind: "boolean",
    default: false,
    describe: "basin weights of every consistent scenario (all starts, or sampled)",
  },
  method: {
    kind: "enum",
    values: ["auto", "exact", "sample"],
    default: "auto",
    describe: "basins: exact enumeration, sampling, or auto",
  },
  samples: { kind: "int", min: 1, max: 10_000_000, describe: "basins: sampled starts" },
  seed: seed("basins: sampling seed"),
  ignoreSelfImpacts: selfImpacts,
} satisfies OptionSpec;

export const explainOptions = {
  scenario: scenarioText("the scenario to explain (f=s,…; default: the first consistent one)"),
  maxFlips: { kind: "int", min: 0, max: 1000, describe: "most single changes listed as what would tip it" },
  ignoreSelfImpacts: selfImpacts,
} satisfies OptionSpec;

export const sensitivityOptions = {
  step: { kind: "int", min: 1, max: 10, default: 1, describe: "size of the change to each judgment" },
  method: {
    kind: "enum",
    values: ["candidates", "rerun"],
    default: "candidates",
    describe: "candidates (exact, fast) or rerun (a full search per change)",
  },
  includeActiveGroups: {
    kind: "boolean",
    default: false,
    describe: "also vary judgments inside active groups",
  },
  ignoreSelfImpacts: selfImpacts,
} satisfies OptionSpec;

/** Which dynamics: the model's (`dynamics.mode`, default continuous), or one named here. */
const dynamics = {
  kind: "enum",
  values: ["model", "continuous", "succession"],
  default: "model",
  describe:
    "dynamics: continuous (calendar time: each factor moves at its rate), succession (the published stepwise CIB succession, one change per step), or the model's",
} as const;

export const simulateOptions = {
  steps: {
    kind: "int",
    min: 0,
    max: 1000,
    default: 12,
    describe: "steps per run (one step = the model's `step`)",
  },
  runs: {
    kind: "int",
    min: 1,
    max: 10_000_000,
    default: 10_000,
    describe: "trajectories (most, with precision)",
  },
  seed: seed(),
  precision: {
    kind: "number",
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
    describe: "stop when every reported probability's 95% half-width is below this",
  },
  beta,
  given: assignments("start state(s), e.g. talks=breakdown"),
  fix: assignments("intervention: hold factor(s) at a state for the whole run"),
  query: {
    kind: "list",
    itemMax: 4000,
    maxItems: 20,
    placeholder: "cond",
    describe: "condition f=s,g=t to track",
  },
  dynamics,
  uncertainty: {
    kind: "boolean",
    default: false,
    describe:
      "draw the judgments around their values (spread from confidence) and, in continuous time, each factor's rate and β from their priors",
  },
  runsPerMatrix: {
    kind: "int",
    min: 1,
    max: 1_000_000,
    default: 100,
    describe: "with uncertainty: runs per draw (a cluster)",
  },
  shocks,
  chunkSize: {
    flag: "chunk",
    kind: "int",
    min: 1,
    max: 1_000_000,
    default: 2000,
    describe: "runs per chunk (one random stream each)",
  },
  top: top(1000, "most frequent end scenarios listed", 20),
} satisfies OptionSpec;

/** Belief bars: every factor's distribution at one horizon, to condition on in the app. */
export const beliefsOptions = {
  steps: {
    kind: "int",
    min: 0,
    max: 1000,
    default: 12,
    describe: "horizon in steps (one step = the model's `step`)",
  },
  date: {
    kind: "text",
    max: 10,
    placeholder: "YYYY-MM-DD",
    describe: "horizon as a date from the model's asOf (overrides steps): the last step on or before it",
  },
  runs: {
    kind: "int",
    min: 1,
    max: 1_000_000,
    default: 10_000,
    describe: "simulated runs (the sample that evidence conditions on)",
  },
  seed: seed(),
  given: assignments("start state(s), e.g. talks=breakdown"),
  beta,
  shocks,
  uncertainty: {
    kind: "boolean",
    default: true,
    describe:
      "draw the judgments, each factor's rate and β from their priors (as forecasts and the outlook do); off: the judged model only",
  },
  runsPerMatrix: {
    kind: "int",
    min: 1,
    max: 100_000,
    default: 25,
    describe: "with uncertainty: runs per draw (a cluster)",
  },
} satisfies OptionSpec;

/** The outlook of one condition: by and on the horizon, in the long run, with ranges. */
export const outlookOptions = {
  condition: {
    kind: "text",
    max: 4000,
    placeholder: "f=s,g=t",
    describe: "the condition: factor=state pairs that must hold together, e.g. region=war",
  },
  horizon: {
    kind: "text",
    max: 20,
    placeholder: "DATE|STEPS|P12M",
    describe:
      "the horizon: a date YYYY-MM-DD, a number of the model's steps, or a duration (default 12 steps)",
  },
  longRun: {
    flag: "long-run",
    kind: "int",
    min: 1,
    max: 200,
    default: 20,
    describe: "years on for the long-run share",
  },
  runs: {
    kind: "int",
    min: 100,
    max: 1_000_000,
    default: 4000,
    describe: "runs per number",
  },
  runsPerMatrix: {
    kind: "int",
    min: 1,
    max: 100_000,
    default: 25,
    describe: "runs per draw of judgments, rates and β (a cluster)",
  },
  seed: seed(),
} satisfies OptionSpec;

export const stationaryOptions = {
  method: {
    kind: "enum",
    values: ["auto", "exact", "mcmc"],
    default: "auto",
    describe: "exact | mcmc | auto",
  },
  solver: {
    kind: "enum",
    values: ["auto", "iad", "gmres", "gauss-seidel"],
    default: "auto",
    describe: "exact solver: iad (aggregation over basins) | gmres | gauss-seidel | auto",
  },
  tolerance: {
    kind: "number",
    min: 0,
    max: 1,
    minExclusive: true,
    default: 1e-12,
    describe: "exact: stop when ‖πP − π‖₁ is below this",
  },
  maxIterations: {
    kind: "int",
    min: 1,
    max: 10_000_000,
    describe: "exact: most iterations (IAD steps, GMRES steps or Gauss–Seidel sweeps)",
  },
  maxStates: { kind: "int", min: 1, max: 50_000_000, describe: "auto: most scenarios solved exactly" },
  seed: seed("MCMC seed"),
  chains: { kind: "int", min: 2, max: 64, default: 4, describe: "MCMC chains" },
  samples: { kind: "int", min: 1, max: 100_000_000, default: 100_000, describe: "MCMC samples per chain" },
  burnIn: { kind: "int", min: 0, max: 10_000_000, default: 10_000, describe: "MCMC burn-in steps per chain" },
  beta,
  given: assignments("start state(s) (MCMC chains start there)"),
  fix: assignments("intervention: hold factor(s) at a state"),
  shocks,
  top: top(1000, "most probable scenarios listed", 20),
} satisfies OptionSpec;

export const robustOptions = {
  samples: { kind: "int", min: 1, max: 1_000_000, default: 200, describe: "sampled matrices" },
  seed: seed(),
} satisfies OptionSpec;

export const stakesOptions = {
  scenario: scenarioText("one scenario to evaluate (every factor, f=s,…)"),
  levers: {
    kind: "boolean",
    default: true,
    describe: "the lever analysis (one run per factor state)",
    off: "skip the lever analysis (one run per factor state)",
  },
  distribution: {
    kind: "enum",
    values: ["simulate", "kernel"],
    default: "simulate",
    describe: "expectations over the simulated scenario after `steps`, or uniform over the kernel",
  },
  steps: { kind: "int", min: 0, max: 1000, default: 12, describe: "steps of the simulation" },
  runs: { kind: "int", min: 1, max: 1_000_000, default: 10_000, describe: "simulated runs" },
  seed: seed("seed of the simulation"),
} satisfies OptionSpec;

export { BARGAIN_METHODS };

export const bargainOptions = {
  issue: { kind: "text", max: 64, placeholder: "id", describe: "only this issue" },
  methods: {
    flag: "method",
    kind: "list",
    itemMax: 16,
    values: BARGAIN_METHODS,
    maxItems: BARGAIN_METHODS.length,
    commaSeparated: true,
    placeholder: "list",
    describe: `methods, comma-separated (default: all of ${BARGAIN_METHODS.join(", ")})`,
  },
  rounds: { kind: "int", min: 0, max: 1000, default: 10, describe: "rounds of the expected-utility model" },
  maxTurns: { kind: "int", min: 1, max: 10_000, default: 100, describe: "turn limit of the spatial model" },
  runs: {
    kind: "int",
    min: 0,
    max: 100_000,
    default: 0,
    describe: "Monte Carlo draws over perturbed inputs (0 = none)",
  },
  seed: seed("seed of the Monte Carlo draws"),
} satisfies OptionSpec;

export const forecastOptions = {
  runs: { kind: "int", min: 1, max: 1_000_000, default: 4000, describe: "runs (trajectories) per forecast" },
  seed: seed(),
  driverRuns: {
    kind: "int",
    min: 1,
    max: 1_000_000,
    default: 1000,
    describe: "runs per one-at-a-time change for the drivers",
  },
  indicatorRuns: {
    kind: "int",
    min: 1,
    max: 1_000_000,
    describe: "runs per observed state for the indicators (default: runs)",
  },
  top: top(100, "drivers and indicators per question", 5),
  drivers: {
    kind: "boolean",
    default: true,
    describe: "drivers and indicators",
    off: "skip drivers and indicators (fast)",
  },
  uncertainty: {
    kind: "boolean",
    default: true,
    describe: "draw judgment matrices around the judged values",
    off: "use the judged matrix only (no judgment draws)",
  },
  questions: {
    kind: "list",
    itemMax: 64,
    maxItems: 200,
    flag: "question",
    placeholder: "id",
    describe: "only these questions",
  },
  observedUntil: {
    flag: "observed-until",
    kind: "text",
    max: 10,
    placeholder: "YYYY-MM-DD",
    describe:
      "condition on the model's observations dated on or before this date (default: all of them; the model's asOf: none)",
  },
} satisfies OptionSpec;

export const evidenceOptions = {} satisfies OptionSpec;

/** The full analysis (muscat analyze): one seed and one horizon for every part. */
export const analysisOptions = {
  steps: { kind: "int", min: 0, max: 1000, default: 12, describe: "horizon of the simulation, in steps" },
  runs: {
    kind: "int",
    min: 1,
    max: 10_000_000,
    default: 20_000,
    describe: "simulated runs for the probabilities",
  },
  stakesRuns: {
    kind: "int",
    min: 1,
    max: 1_000_000,
    default: 5000,
    describe: "simulated runs per intervention for the stakes and their levers",
  },
  forecastRuns: {
    kind: "int",
    min: 1,
    max: 1_000_000,
    default: 2000,
    describe: "runs per forecast question",
  },
  seed: seed(),
} satisfies OptionSpec;

/** Every engine's options, by engine name. */
export const OPTIONS = {
  scenarios: scenariosOptions,
  succession: successionOptions,
  explain: explainOptions,
  sensitivity: sensitivityOptions,
  simulate: simulateOptions,
  beliefs: beliefsOptions,
  stationary: stationaryOptions,
  robust: robustOptions,
  stakes: stakesOptions,
  bargain: bargainOptions,
  forecast: forecastOptions,
  outlook: outlookOptions,
  evidence: evidenceOptions,
  analyze: analysisOptions,
} as const satisfies Record<string, OptionSpec>;

export type EngineName = keyof typeof OPTIONS;
export const ENGINE_NAMES = Object.keys(OPTIONS) as EngineName[];

export type ScenariosOptions = OptionsOf<typeof scenariosOptions>;
export type SuccessionOptions = OptionsOf<typeof successionOptions>;
export type ExplainOptions = OptionsOf<typeof explainOptions>;
export type SensitivityOptions = OptionsOf<typeof sensitivityOptions>;
export type SimulateOptions = OptionsOf<typeof simulateOptions>;
export type BeliefsOptions = OptionsOf<typeof beliefsOptions>;
export type StationaryOptions = OptionsOf<typeof stationaryOptions>;
export type RobustOptions = OptionsOf<typeof robustOptions>;
export type StakesOptions = OptionsOf<typeof stakesOptions>;
export type BargainOptions = OptionsOf<typeof bargainOptions>;
export type ForecastOptions = OptionsOf<typeof forecastOptions>;
export type OutlookOptions = OptionsOf<typeof outlookOptions>;
export type AnalysisOptions = OptionsOf<typeof analysisOptions>;
